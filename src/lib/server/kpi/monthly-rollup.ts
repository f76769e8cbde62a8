/**
 * The monthly rollup (docs/kpi.md, "The region's comparison"): job_kpi_daily summed per
 * technician and local month (job_kpi_monthly) and per station and month (job_kpi_monthly_station),
 * so a whole-month period — a month, a quarter, a trend of months — adds up a few rows per
 * technician or one per station and month instead of a row per technician and day.
 *
 * Every column is a count or an exact sum of the daily rows', so sums over months equal sums over
 * their days exactly, and the scorecard's statement (scorecard.ts) scores them unchanged. The
 * median needs the values: a technician's month keeps them sorted (repair_minutes); the station's
 * month keeps only every REPAIR_MARK_STRIDE-th of its pooled values (repair_minute_marks), which
 * bound where the pooled median lies, so only the technicians' values near it are sorted
 * (`pooledMedians`), and the median is the same percentile_cont over the same values.
 *
 * Rewritten in the refresh's transaction right after the daily rows it derives from
 * (job-facts.ts refreshTakenJobs), for the months whose days were rewritten; the migration that
 * made the tables filled them from the daily rows of every station.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import type { KpiRollup, ScorecardBucket, StationsPeriod } from './scorecard';

/** Every how many of a station-month's ordered repair minutes one is kept as a mark. */
export const REPAIR_MARK_STRIDE = 64;

/** The counters shared by the daily and both monthly tables: each sums over a month. */
const COUNTERS = [
	'jobs_completed',
	'success_jobs',
	'successes',
	'repair_count',
	'repair_seconds_sum',
	'timed_standard_minutes',
	'response_count',
	'response_seconds_sum',
	'parts_cost_sum',
	'rated_count',
	'rated_sum',
	'satisfied_count',
	'followed_up_count',
	'accuracy_jobs',
	'accurate_count'
] as const;

const counterNames = sql.raw(COUNTERS.join(', '));
const counterSums = (alias: string) =>
	sql.raw(COUNTERS.map((name) => `sum(${alias}.${name})`).join(', '));

/**
 * Rewrites the monthly rows of the months containing `changedDays` (jsonb text of
 * [{technician_id, day}], the (technician, day) pairs whose daily rows were just rewritten) from
 * the daily rows, then the station's rows of those months from the technicians'. In the
 * refresh's transaction, under its station lock, like the daily rows.
 */
export async function refreshMonthlyRollup(
	tx: Queryable,
	stationIdValue: string,
	changedDays: string
): Promise<void> {
	const stationId = sql`${stationIdValue}::uuid`;
	const touched = sql`(
		SELECT DISTINCT k.technician_id, date_trunc('month', k.day)::date AS month
		FROM jsonb_to_recordset(${changedDays}::jsonb) AS k(technician_id uuid, day date)
	)`;
	await tx.execute(sql`
DELETE FROM job_kpi_monthly m
USING ${touched} t
WHERE m.station_id = ${stationId} AND m.technician_id = t.technician_id AND m.month = t.month`);
	await tx.execute(sql`
WITH days AS (
	SELECT t.month, d.*
	FROM ${touched} t
	JOIN job_kpi_daily d
		ON d.station_id = ${stationId}
		AND d.technician_id = t.technician_id
		AND d.day >= t.month
		AND d.day < (t.month + interval '1 month')::date
),
minutes AS (
	SELECT d.technician_id, d.month, array_agg(v.minutes ORDER BY v.minutes) AS repair_minutes
	FROM days d
	CROSS JOIN LATERAL unnest(d.repair_minutes) AS v(minutes)
	GROUP BY d.technician_id, d.month
)
INSERT INTO job_kpi_monthly (station_id, month, technician_id, ${counterNames}, repair_minutes)
SELECT ${stationId}, s.*, coalesce(m.repair_minutes, ARRAY[]::float8[])
FROM (
	SELECT d.month, d.technician_id, ${counterSums('d')}
	FROM days d
	GROUP BY d.month, d.technician_id
) s
LEFT JOIN minutes m ON m.technician_id = s.technician_id AND m.month = s.month`);
	const months = sql`(SELECT DISTINCT t.month FROM ${touched} t)`;
	await tx.execute(sql`
DELETE FROM job_kpi_monthly_station m
WHERE m.station_id = ${stationId} AND m.month IN ${months}`);
	await tx.execute(sql`
WITH technician_months AS (
	SELECT m.*
	FROM job_kpi_monthly m
	WHERE m.station_id = ${stationId} AND m.month IN ${months}
),
marks AS (
	SELECT o.month, array_agg(o.minutes ORDER BY o.minutes) AS marks
	FROM (
		SELECT m.month, v.minutes, row_number() OVER (PARTITION BY m.month ORDER BY v.minutes) AS position
		FROM technician_months m
		CROSS JOIN LATERAL unnest(m.repair_minutes) AS v(minutes)
	) o
	WHERE o.position % ${REPAIR_MARK_STRIDE} = 0
	GROUP BY o.month
)
INSERT INTO job_kpi_monthly_station (station_id, month, ${counterNames}, repair_minute_marks)
SELECT ${stationId}, s.*, coalesce(k.marks, ARRAY[]::float8[])
FROM (
	SELECT m.month, ${counterSums('m')}
	FROM technician_months m
	GROUP BY m.month
) s
LEFT JOIN marks k ON k.month = s.month`);
}

/** A period of whole months ([first of a month, first of a later month)): the monthly rows serve. */
export function isWholeMonths(period: { from: string; to: string }): boolean {
	return period.from.endsWith('-01') && period.to.endsWith('-01');
}

/** `m.station_id IN (…)` over the statement's stations. */
function stationsOf(alias: string, stationIds: readonly string[]): SQL {
	if (stationIds.length === 0) return sql`false`;
	return sql`${sql.raw(alias)}.station_id IN (${sql.join(
		stationIds.map((id) => sql`${id}::uuid`),
		sql`, `
	)})`;
}

/**
 * A technician's monthly rows as the scorecard's rows `d` (`day` = the month's first day). No
 * median: the region computes it only for the technicians it shows (`technicianMedian`).
 */
export const TECHNICIAN_MONTHS: KpiRollup = {
	rows: () => sql`(SELECT m.month AS day, m.* FROM job_kpi_monthly m) d`,
	medians: null
};

/**
 * The station's monthly rows as the scorecard's rows `d` of the whole station, the pooled median
 * found by `pooledMedians`.
 */
export const STATION_MONTHS: KpiRollup = {
	rows: () => sql`(SELECT m.month AS day, m.* FROM job_kpi_monthly_station m) d`,
	medians: pooledMedians
};

/**
 * The median of a technician's repair minutes in a whole-month period, as an expression over a
 * row with `station_id` and `subject_id` (the technician): percentile_cont over their months'
 * values, as the daily rows give it.
 */
export function technicianMedian(period: { from: string; to: string }, row: string): SQL {
	const r = sql.raw(row);
	return sql`(
		SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v.minutes)
		FROM job_kpi_monthly m
		CROSS JOIN LATERAL unnest(m.repair_minutes) AS v(minutes)
		WHERE m.station_id = ${r}.station_id::uuid
			AND m.technician_id = ${r}.subject_id
			AND m.month >= ${period.from}::date
			AND m.month < ${period.to}::date
	)`;
}

/**
 * The CTE body of each station's and bucket's median over `period_days` (station-month rows):
 * percentile_cont(0.5) of its pooled repair minutes, found without sorting them all. With n
 * values, the median is the mean of the values at ranks k1 = (n+1) div 2 and k2 = n div 2 + 1.
 * A mark c of month i (the i's w-th mark is its (w·STRIDE)-th value) bounds how many of the
 * month's values are <= c: at least STRIDE·w(c), at most STRIDE·(w(c)+1) − 1, w(c) the marks
 * <= c (width_bucket). `low`, the greatest mark surely below rank k1, and `high`, the least mark
 * surely at or above rank k2 (else ∓infinity), enclose both ranks; the technicians' sorted
 * months give exactly how many values are <= low and the values in (low, high], a few
 * STRIDEs per month, among which the two ranks are picked.
 */
function pooledMedians(period: StationsPeriod, bucket: ScorecardBucket): SQL {
	const stride = sql.raw(String(REPAIR_MARK_STRIDE));
	return sql`
WITH ranks AS (
	SELECT
		d.station_id,
		d.bucket,
		d.subject_id,
		(sum(d.repair_count) + 1) / 2 AS k1,
		sum(d.repair_count) / 2 + 1 AS k2
	FROM period_days d
	GROUP BY d.station_id, d.bucket, d.subject_id
	HAVING sum(d.repair_count) > 0
),
candidates AS (
	SELECT DISTINCT d.station_id, d.bucket, c.minutes
	FROM period_days d
	CROSS JOIN LATERAL unnest(d.repair_minute_marks) AS c(minutes)
),
bounds AS (
	SELECT
		c.station_id,
		c.bucket,
		c.minutes,
		sum(${stride} * width_bucket(c.minutes, d.repair_minute_marks)) AS at_least,
		sum(least(d.repair_count, ${stride} * (width_bucket(c.minutes, d.repair_minute_marks) + 1) - 1))
			AS at_most
	FROM candidates c
	JOIN period_days d ON d.station_id = c.station_id AND d.bucket = c.bucket
	GROUP BY c.station_id, c.bucket, c.minutes
),
enclosing AS (
	SELECT
		r.*,
		coalesce(max(b.minutes) FILTER (WHERE b.at_most < r.k1), '-infinity'::float8) AS low,
		coalesce(min(b.minutes) FILTER (WHERE b.at_least >= r.k2), 'infinity'::float8) AS high
	FROM ranks r
	LEFT JOIN bounds b ON b.station_id = r.station_id AND b.bucket = r.bucket
	GROUP BY r.station_id, r.bucket, r.subject_id, r.k1, r.k2
),
slices AS (
	SELECT
		e.station_id,
		e.bucket,
		width_bucket(e.low, t.repair_minutes) AS below,
		t.repair_minutes[width_bucket(e.low, t.repair_minutes) + 1 : width_bucket(e.high, t.repair_minutes)]
			AS minutes
	FROM enclosing e
	JOIN (
		SELECT ${bucket.key} AS bucket, d.station_id, d.repair_minutes
		FROM (SELECT m.month AS day, m.* FROM job_kpi_monthly m) d
		WHERE ${stationsOf('d', period.stationIds)}
			AND d.day >= ${period.from}::date
			AND d.day < ${period.to}::date
	) t ON t.station_id = e.station_id AND t.bucket = e.bucket
),
below AS (
	SELECT s.station_id, s.bucket, sum(s.below) AS below
	FROM slices s
	GROUP BY s.station_id, s.bucket
),
ordered AS (
	SELECT
		s.station_id,
		s.bucket,
		v.minutes,
		row_number() OVER (PARTITION BY s.station_id, s.bucket ORDER BY v.minutes) AS position
	FROM slices s
	CROSS JOIN LATERAL unnest(s.minutes) AS v(minutes)
)
SELECT
	e.station_id,
	e.bucket,
	e.subject_id,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY o.minutes) AS median_repair_minutes
FROM enclosing e
JOIN below b ON b.station_id = e.station_id AND b.bucket = e.bucket
JOIN ordered o
	ON o.station_id = e.station_id
	AND o.bucket = e.bucket
	AND b.below + o.position IN (e.k1, e.k2)
GROUP BY e.station_id, e.bucket, e.subject_id`;
}
