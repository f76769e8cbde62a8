/**
 * The KPI contract of docs/spec kpi.md as types, zod schemas and the scoring rules.
 *
 * The server computes every number in SQL (src/lib/server/kpi); the functions here state the
 * same scoring rules in plain TypeScript for the UI (e.g. "what would this value score?") and
 * for the reference implementation the property test compares the SQL against. The SQL
 * evaluates the very same float8 expressions in the same order, so both sides agree to the bit
 * for identical KPI values.
 */
import { z } from 'zod/mini';
import { SCORED_KPIS, type KpiSettings, type KpiThreshold, type ScoredKpi } from './domain';

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
export type ScorecardColumn = (typeof SCORECARD_COLUMNS)[number];

export const GRADES = ['excellent', 'pass', 'fail'] as const;
export type Grade = (typeof GRADES)[number];

/** Why a completed job is not a first-time success (一次修复成功). */
export const JOB_FAILURE_REASONS = ['not_fixed', 'follow_up_unresolved', 'reworked'] as const;
export type JobFailureReason = (typeof JOB_FAILURE_REASONS)[number];

/** Data-quality flags; a job without any is clean. */
export const JOB_FLAGS = [
	'missing_arrival',
	'missing_start',
	'out_of_order',
	'long_repair'
] as const;
export type JobFlag = (typeof JOB_FLAGS)[number];

/** Repair minutes above this flag a job as `long_repair`. */
export const LONG_REPAIR_MINUTES = 720;
/** Standard minutes of a job without a fault category. */
export const DEFAULT_STANDARD_MINUTES = 60;
/**
 * Composite scores are rounded to this many decimals before grading and ranking, so that two
 * technicians with equal KPI values tie even if floating-point noise differs in the last bits.
 */
export const SCORE_DECIMALS = 9;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(value: string): boolean {
	const match = LOCAL_DATE.exec(value);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

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
	flags: z.array(z.enum(JOB_FLAGS)),
	latest_satisfaction: z.nullable(z.number().check(z.int(), z.gte(1), z.lte(5))),
	has_follow_up: z.boolean()
});
export type JobFact = z.infer<typeof jobFactSchema>;

/**
 * A KPI's score: 60 + 40 * (value - pass) / (excellent - pass), clamped to [0, 100]. The same
 * formula serves lower-is-better KPIs (there excellent < pass). Null when the value is null or
 * the KPI has no usable thresholds (absent, or pass = excellent, which has no scale).
 */
export function kpiScore(
	value: number | null,
	threshold: KpiThreshold | null | undefined
): number | null {
	if (value === null || !threshold || threshold.excellent === threshold.pass) return null;
	const raw = 60 + (40 * (value - threshold.pass)) / (threshold.excellent - threshold.pass);
	return Math.max(0, Math.min(100, raw));
}

/** A KPI's weight in the composite: its configured weight, 0 when absent. */
export function kpiWeight(settings: KpiSettings, kpi: ScoredKpi): number {
	return settings.weights[kpi] ?? 0;
}

/**
 * The composite score: the weighted mean of the scored KPIs (weight > 0 and a KPI score),
 * weights renormalised over those; null when none is scored. Summed in SCORED_KPIS order, the
 * order the SQL uses too, then rounded to SCORE_DECIMALS.
 */
export function compositeScore(
	values: Record<ScoredKpi, number | null>,
	settings: KpiSettings
): number | null {
	let weightedSum = 0;
	let weightTotal = 0;
	for (const kpi of SCORED_KPIS) {
		const weight = kpiWeight(settings, kpi);
		const score = weight > 0 ? kpiScore(values[kpi], settings.thresholds[kpi]) : null;
		if (score === null) continue;
		weightedSum += weight * score;
		weightTotal += weight;
	}
	if (weightTotal === 0) return null;
	return roundScore(weightedSum / weightTotal);
}

/** Rounds half to even, like Postgres' round(float8) (C rint), so both sides round alike. */
export function roundScore(score: number): number {
	const scale = 10 ** SCORE_DECIMALS;
	const scaled = score * scale;
	const floor = Math.floor(scaled);
	const fraction = scaled - floor;
	let rounded = fraction > 0.5 ? floor + 1 : floor;
	if (fraction === 0.5) rounded = floor % 2 === 0 ? floor : floor + 1;
	return rounded / scale;
}

export function gradeFor(score: number | null): Grade | null {
	if (score === null) return null;
	if (score >= 90) return 'excellent';
	if (score >= 60) return 'pass';
	return 'fail';
}

/**
 * Standard competition ranks (1, 1, 3) by descending score over the technicians with at least
 * `minJobs` completed jobs. A technician without a score cannot be placed, so gets null too.
 */
export function competitionRanks(
	entries: readonly { score: number | null; jobsCompleted: number }[],
	minJobs: number
): (number | null)[] {
	const eligible = (e: { score: number | null; jobsCompleted: number }) =>
		e.score !== null && e.jobsCompleted >= minJobs;
	return entries.map((entry) => {
		if (!eligible(entry)) return null;
		const better = entries.filter((other) => eligible(other) && other.score! > entry.score!);
		return better.length + 1;
	});
}
