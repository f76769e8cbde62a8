/**
 * The KPI contract of docs/spec kpi.md as types, zod schemas and the scoring rules.
 *
 * The server computes every number, score, grade and rank in SQL (src/lib/server/kpi); the
 * scoring rules are stated a second time only in server/kpi/reference.ts, the property test's
 * oracle.
 */
import { z } from 'zod/mini';
import type { KpiThreshold } from './domain';
import { isCalendarDate } from './time/periods';

/** The output row's keys, in the contract's column order (CSV header, JSON key order). */
export const SCORECARD_COLUMNS = [
	'login',
	'name',
	'jobs_completed',
	'repair_success_rate',
	'avg_repair_minutes',
	'median_repair_minutes',
	'duration_index',
	'avg_response_hours',
	'parts_cost_total',
	'parts_cost_per_job',
	'csat',
	'avg_satisfaction',
	'follow_up_rate',
	'record_accuracy',
	'score',
	'grade',
	'rank'
] as const;

export const GRADES = ['excellent', 'pass', 'fail'] as const;
export type Grade = (typeof GRADES)[number];

/** Why a completed job is not a first-time success (一次修复成功). */
export const JOB_FAILURE_REASONS = ['not_fixed', 'follow_up_unresolved', 'reworked'] as const;
export type JobFailureReason = (typeof JOB_FAILURE_REASONS)[number];

/**
 * Data-quality flags; a job without any (not accepted) is clean. kpi.md's four, then the time
 * flags of docs/kpi-rules.md (shared/honesty-domain.ts TIME_FLAGS).
 */
export const JOB_FLAGS = [
	'missing_arrival',
	'missing_start',
	'out_of_order',
	'long_repair',
	'typed_time',
	'late_entry',
	'same_minute',
	'too_fast'
] as const;
export type JobFlag = (typeof JOB_FLAGS)[number];

/** Repair minutes above this flag a job as `long_repair`. */
export const LONG_REPAIR_MINUTES = 720;
/** Standard minutes of a job without a fault category. */
export const DEFAULT_STANDARD_MINUTES = 60;
/** The too_fast floor of a job without a fault category (fault_categories.floor_minutes). */
export const DEFAULT_FLOOR_MINUTES = 5;
/**
 * Composite scores are rounded to this many decimals before grading and ranking, so that two
 * technicians with equal KPI values tie even if floating-point noise differs in the last bits.
 */
export const SCORE_DECIMALS = 9;

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A local calendar date in the station's time zone, 'YYYY-MM-DD'. */
export const localDateSchema = z
	.string()
	.check(
		z.trim(),
		z.regex(LOCAL_DATE, 'must be a date written YYYY-MM-DD'),
		z.refine(isCalendarDate, 'must be a real calendar date')
	);

/** A KPI period: local dates, half-open [from, to). */
export const kpiPeriodSchema = z.object({ from: localDateSchema, to: localDateSchema }).check(
	z.refine((period) => period.from < period.to, {
		message: 'must be after "from" (the period is [from, to): "to" itself is excluded)',
		path: ['to']
	})
);
export type KpiPeriod = z.infer<typeof kpiPeriodSchema>;

const rate = z.nullable(z.number().check(z.gte(0), z.lte(1)));
const nonNegative = z.nullable(z.number().check(z.gte(0)));

export const scorecardRowSchema = z.object({
	login: z.string(),
	name: z.string(),
	jobs_completed: z.number().check(z.int(), z.positive()),
	repair_success_rate: rate,
	avg_repair_minutes: nonNegative,
	median_repair_minutes: nonNegative,
	duration_index: nonNegative,
	avg_response_hours: nonNegative,
	parts_cost_total: z.number().check(z.gte(0)),
	parts_cost_per_job: nonNegative,
	csat: rate,
	avg_satisfaction: z.nullable(z.number().check(z.gte(1), z.lte(5))),
	follow_up_rate: rate,
	record_accuracy: rate,
	score: z.nullable(z.number().check(z.gte(0), z.lte(100))),
	grade: z.nullable(z.enum(GRADES)),
	rank: z.nullable(z.number().check(z.int(), z.positive()))
});
export type ScorecardRow = z.infer<typeof scorecardRowSchema>;

/**
 * The station's own row (the station home): the same KPIs, score and grade over every job of
 * the period pooled; nobody to name or rank.
 */
export const stationKpiRowSchema = z.omit(scorecardRowSchema, {
	login: true,
	name: true,
	rank: true
});
export type StationKpiRow = z.infer<typeof stationKpiRowSchema>;

/** One completed job of the period with the facts behind the technician's numbers. */
export const jobFactSchema = z.object({
	job_id: z.string(),
	job_no: z.string(),
	technician_id: z.string(),
	technician_login: z.string(),
	technician_name: z.string(),
	/** ISO 8601 in UTC. */
	completed_at: z.string(),
	success: z.boolean(),
	/** Empty exactly when `success`. */
	failure_reasons: z.array(z.enum(JOB_FAILURE_REASONS)),
	/** Job numbers of the jobs that are reworks (返修) of this one. */
	reworked_by: z.array(z.string()),
	repair_minutes: z.nullable(z.number().check(z.gte(0))),
	standard_minutes: z.number().check(z.int(), z.positive()),
	response_hours: z.nullable(z.number().check(z.gte(0))),
	parts_cost: z.number().check(z.gte(0)),
	/** Flags that make the job not clean. */
	flags: z.array(z.enum(JOB_FLAGS)),
	/** Flags a supervisor accepted with a reason: shown, not counted. */
	accepted_flags: z.array(z.enum(JOB_FLAGS)),
	/** KPIs an accepted appeal took this job out of (docs/kpi-rules.md). */
	excluded_kpis: z.array(z.enum(['repair_success_rate', 'record_accuracy'])),
	latest_satisfaction: z.nullable(z.number().check(z.int(), z.gte(1), z.lte(5))),
	has_follow_up: z.boolean()
});
export type JobFact = z.infer<typeof jobFactSchema>;

type KpiRating = 'excellent' | 'pass' | 'fail';

/**
 * Which of its threshold lines a KPI value reaches: 'excellent' at or beyond the excellent
 * line, 'pass' at or beyond the pass line, else 'fail'; beyond is above where excellent > pass
 * (higher is better) and below otherwise. Null without a value or usable thresholds (absent,
 * or pass = excellent). These are the lines at which the KPI's score reaches 100 and 60; the
 * scores themselves are computed only in SQL (server/kpi/scorecard.ts).
 */
export function thresholdRating(
	value: number | null,
	threshold: KpiThreshold | null | undefined
): KpiRating | null {
	if (value === null || !threshold || threshold.excellent === threshold.pass) return null;
	const better = Math.sign(threshold.excellent - threshold.pass);
	if ((value - threshold.excellent) * better >= 0) return 'excellent';
	return (value - threshold.pass) * better >= 0 ? 'pass' : 'fail';
}

/**
 * How far a station's KPI facts are behind its writes (server/kpi/fact-refresh.ts): the facts
 * are refreshed in the background, never by a read, so a scorecard says "as of" while jobs wait.
 */
export const factsFreshnessSchema = z.object({
	/** When the oldest write still waiting was made (ISO instant): the facts hold every write before it; null when none waits. */
	asOf: z.nullable(z.string()),
	/** Jobs waiting for their facts to be refreshed. */
	waitingJobs: z.number().check(z.int()),
	/** The station's completed jobs, counted only while some wait: the "of M" of a refresh. */
	completedJobs: z.number().check(z.int())
});
export type FactsFreshness = z.infer<typeof factsFreshnessSchema>;
