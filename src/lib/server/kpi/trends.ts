/**
 * KPI trends: the scorecard of every month of a window, in one SQL statement grouped by month
 * rather than one computeScorecard per month.
 *
 * The per-job facts come from the same CTEs as the scorecard (job-facts.ts), over the whole
 * window at once. That gives each month exactly the facts computeScorecard gives it alone,
 * because no fact of a job depends on the period: reworks and follow-ups are looked up
 * wherever they fall. A job belongs to the month of its completed_at in the station's time
 * zone, as it belongs to a period.
 *
 * The KPI values are the aggregates of scorecard.ts grouped by month as well; the composite
 * score, grade and rank are then applied in TypeScript with the scoring functions of
 * shared/kpi.ts, which evaluate the very same float8 expressions as the scorecard's SQL. The
 * tests hold every month's rows equal to computeScorecard's for that month.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { stations } from '../db/schema';
import { SCORED_KPIS, type KpiSettings, type ScoredKpi } from '../../shared/domain';
import { kpiSettingsSchema } from '../../shared/kpi-settings';
import { competitionRanks, compositeScore, gradeFor, scorecardRowSchema } from '../../shared/kpi';
import { jobFactsCtes, refreshJobFacts } from './job-facts';

/** Longest window: three years of months keeps the statement cheap and a chart readable. */
export const MAX_TREND_MONTHS = 36;

export const trendWindowSchema = z.object({
	/** The first month of the window, 'YYYY-MM'. */
	firstMonth: z
		.string()
		.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM (e.g. 2026-03)'),
	months: z
		.number()
		.int('must be a whole number of months')
		.min(1, 'must be at least 1')
		.max(MAX_TREND_MONTHS, `must be at most ${MAX_TREND_MONTHS}`)
});
export type TrendWindow = z.infer<typeof trendWindowSchema>;

export const monthlyScorecardRowSchema = zm.extend(scorecardRowSchema, {
	/** The month, 'YYYY-MM'. */
	month: z.string()
});
export type MonthlyScorecardRow = z.infer<typeof monthlyScorecardRowSchema>;

/** How a station scores its technicians: its KPI settings and the ranking minimum. */
export interface StationScoring {
	kpiSettings: KpiSettings;
	minJobsForRanking: number;
}

/**
 * kpi.md's per-technician values over a group of `job_facts` rows (the scorecard groups by
 * technician, the trends by month and technician), before any division into scores.
 */
function kpiAggregates(): SQL {
	return sql`
	count(*) AS jobs_completed,
	count(*) FILTER (WHERE cardinality(failure_reasons) = 0)::float8 / count(*)
		AS repair_success_rate,
	avg(repair_seconds) / 60 AS avg_repair_minutes,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY (repair_seconds / 60)::float8)
		AS median_repair_minutes,
	sum(repair_seconds)
		/ (60 * sum(standard_minutes) FILTER (WHERE repair_seconds IS NOT NULL))
		AS duration_index,
	avg(response_seconds) / 3600 AS avg_response_hours,
	sum(parts_cost) AS parts_cost_total,
	sum(parts_cost) / count(*) AS parts_cost_per_job,
	count(*) FILTER (WHERE latest_satisfaction >= 4)::float8
		/ nullif(count(latest_satisfaction), 0) AS csat,
	avg(latest_satisfaction) AS avg_satisfaction,
	count(*) FILTER (WHERE has_follow_up)::float8 / count(*) AS follow_up_rate,
	count(*) FILTER (WHERE cardinality(flags) = 0)::float8 / count(*) AS record_accuracy`;
}

export async function stationScoring(db: Queryable, stationId: string): Promise<StationScoring> {
	const [station] = await db
		.select({
			kpiSettings: stations.kpiSettings,
			minJobsForRanking: stations.minJobsForRanking
		})
		.from(stations)
		.where(eq(stations.id, stationId));
	if (!station) throw new Error(`No station with id ${stationId}`);
	return {
		kpiSettings: kpiSettingsSchema.parse(station.kpiSettings),
		minJobsForRanking: station.minJobsForRanking
	};
}

function parseTrendWindow(window: TrendWindow): TrendWindow {
	const result = trendWindowSchema.safeParse(window);
	if (!result.success) {
		const problems = result.error.issues.map(
			(issue) => `${issue.path.join('.')}: ${issue.message}`
		);
		throw new Error(`Invalid trend window: ${problems.join('; ')}`);
	}
	return result.data;
}

/** The local dates [from, to) the window covers. */
export function trendWindowDates(window: TrendWindow): { from: string; to: string } {
	const [year, month] = window.firstMonth.split('-').map(Number);
	const end = new Date(Date.UTC(year, month - 1 + window.months, 1));
	return { from: `${window.firstMonth}-01`, to: end.toISOString().slice(0, 10) };
}

type MonthlyKpiRow = Omit<MonthlyScorecardRow, 'score' | 'grade' | 'rank'>;

/**
 * Every technician's scorecard row for every month of the window in which they completed a
 * job, ordered by month, then like a scorecard (rank, nulls last, then login).
 */
export async function monthlyScorecards(
	db: Queryable,
	input: { stationId: string } & TrendWindow
): Promise<MonthlyScorecardRow[]> {
	const window = parseTrendWindow(input);
	const stationId = z.uuid('stationId must be a UUID').parse(input.stationId);
	const { from, to } = trendWindowDates(window);
	await refreshJobFacts(db, stationId);
	const [scoring, kpiRows] = await Promise.all([
		stationScoring(db, stationId),
		queryRows<MonthlyKpiRow>(
			db,
			sql`
WITH ${jobFactsCtes({ stationId, from, to })},
monthly_facts AS (
	SELECT to_char(jf.completed_at AT TIME ZONE st.time_zone, 'YYYY-MM') AS month, jf.*
	FROM job_facts jf
	JOIN stations st ON st.id = ${stationId}::uuid
),
technician_kpis AS (
	SELECT
		month,
		technician_id,
		${kpiAggregates()}
	FROM monthly_facts
	GROUP BY month, technician_id
)
SELECT
	k.month,
	u.login,
	u.name,
	k.jobs_completed::int AS jobs_completed,
	k.repair_success_rate,
	k.avg_repair_minutes::float8 AS avg_repair_minutes,
	k.median_repair_minutes,
	k.duration_index::float8 AS duration_index,
	k.avg_response_hours::float8 AS avg_response_hours,
	k.parts_cost_total::float8 AS parts_cost_total,
	k.parts_cost_per_job::float8 AS parts_cost_per_job,
	k.csat,
	k.avg_satisfaction::float8 AS avg_satisfaction,
	k.follow_up_rate,
	k.record_accuracy
FROM technician_kpis k
JOIN users u ON u.station_id = ${stationId}::uuid AND u.id = k.technician_id
ORDER BY k.month, u.login COLLATE "C"`
		)
	]);
	return scoreMonths(kpiRows, scoring).map((row) => monthlyScorecardRowSchema.parse(row));
}

/** Adds score, grade and each month's ranks, and orders the rows of each month like a scorecard. */
function scoreMonths(rows: MonthlyKpiRow[], scoring: StationScoring): MonthlyScorecardRow[] {
	const byMonth = new Map<string, MonthlyKpiRow[]>();
	for (const row of rows) byMonth.set(row.month, [...(byMonth.get(row.month) ?? []), row]);
	const scored: MonthlyScorecardRow[] = [];
	for (const monthRows of byMonth.values()) {
		const scores = monthRows.map((row) => compositeScore(scoredValues(row), scoring.kpiSettings));
		const ranks = competitionRanks(
			monthRows.map((row, index) => ({ score: scores[index], jobsCompleted: row.jobs_completed })),
			scoring.minJobsForRanking
		);
		const month = monthRows.map((row, index) => ({
			...row,
			score: scores[index],
			grade: gradeFor(scores[index]),
			rank: ranks[index]
		}));
		// The SQL already ordered by login; a stable sort by rank keeps that order among equals.
		month.sort((a, b) => rankOrder(a.rank) - rankOrder(b.rank));
		scored.push(...month);
	}
	return scored;
}

/** Unranked rows go last. */
function rankOrder(rank: number | null): number {
	return rank ?? Number.MAX_SAFE_INTEGER;
}

function scoredValues(row: MonthlyKpiRow): Record<ScoredKpi, number | null> {
	return Object.fromEntries(SCORED_KPIS.map((kpi) => [kpi, row[kpi]])) as Record<
		ScoredKpi,
		number | null
	>;
}
