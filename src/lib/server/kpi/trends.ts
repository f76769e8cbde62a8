/**
 * KPI trends: the scorecard of every month of a window, in one SQL statement: scorecard.ts's
 * own statement over the whole window, grouped (scored and ranked) by month rather than run
 * once per month.
 *
 * Each month gets exactly the numbers computeScorecard gives it alone: no fact of a job depends
 * on the period (reworks and follow-ups are looked up wherever they fall), and the daily
 * rollup's day is the local date of completed_at, so a job belongs to the month of its
 * completion in the station's time zone, as it belongs to a period. The tests hold every
 * month's rows equal to computeScorecard's for that month.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { kpiSettingsSchema } from '../../shared/kpi-settings';
import type { StationScoringRules } from '../../shared/snapshots';
import { scorecardRowSchema, type ScorecardRow } from '../../shared/kpi';
import { settingsForPeriod, settingsInForce } from './settings-in-force';
import { scorecardQuery, type ScorecardBucket } from './scorecard';

/** Longest window: three years of months keeps the statement cheap and a chart readable. */
const MAX_TREND_MONTHS = 36;

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

/**
 * How a station scores its technicians in a period: the KPI settings and ranking minimum of the
 * version that scores it (settings-in-force.ts); without a period, today's.
 */
export async function stationScoring(
	db: Queryable,
	stationId: string,
	period?: { to: string }
): Promise<StationScoringRules> {
	const version = period
		? await settingsForPeriod(db, { stationId, to: period.to })
		: await settingsInForce(db, stationId);
	return {
		kpiSettings: kpiSettingsSchema.parse(version.kpiSettings),
		minJobsForRanking: version.minJobsForRanking
	};
}

export function parseTrendWindow(window: TrendWindow): TrendWindow {
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

/**
 * Each daily row's month, 'YYYY-MM' (its day is a local date of the station), scored with the
 * settings of the month's last day.
 */
export const MONTH_OF_DAY: ScorecardBucket = {
	key: sql`to_char(d.day, 'YYYY-MM')`,
	lastDay: sql`(to_date(b.bucket, 'YYYY-MM') + interval '1 month')::date - 1`
};

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
	const rows = await queryRows<ScorecardRow & { bucket: string }>(
		db,
		scorecardQuery({ stationId, ...trendWindowDates(window) }, MONTH_OF_DAY)
	);
	return rows.map(({ bucket, ...row }) =>
		monthlyScorecardRowSchema.parse({ month: bucket, ...row })
	);
}
