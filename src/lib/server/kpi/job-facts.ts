/**
 * Per-job facts of kpi.md ("Per-job facts"), as SQL common table expressions shared by the
 * scorecard and by the drill-down (`jobFacts`), so each rule is written exactly once.
 *
 * Conventions the spec leaves open, decided here:
 * - The rework window is `rework_window_days` × 24 hours of elapsed time, not calendar days:
 *   timestamptz + 'n days' would follow the session's time zone across DST changes, which
 *   differs between servers. Its days are those of the settings version in force on the job's
 *   completion date (settings-in-force.ts), so a later change never rewrites an earlier job.
 * - Serials are compared by `device_serial_key`, a generated column: trimmed of every Unicode
 *   white space (as String.prototype.trim), then lower-cased; see schema.ts.
 * - A job's follow-ups count whenever they were made, even outside the period.
 * - "Latest follow-up carrying a satisfaction": latest visited_at; ties broken by the latest
 *   created_at, then the greatest id, so the choice never depends on row order.
 * - Rework candidates R are all non-cancelled jobs of the station, inside or outside the
 *   period, whatever their status; R = J never counts (possible by serial when J's own
 *   reported_at was entered after its completed_at).
 *
 * The facts do not depend on the period, so they are materialised in job_kpi_facts: the
 * database's triggers name in job_kpi_stale every job a write may have changed, and the
 * background refresh (fact-refresh.ts) recomputes those with the rules below; reads only read
 * (docs/kpi.md).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { LATE_ENTRY_MINUTES } from '../../shared/honesty-domain';
import {
	DEFAULT_FLOOR_MINUTES,
	DEFAULT_STANDARD_MINUTES,
	LONG_REPAIR_MINUTES,
	jobFactSchema,
	type JobFact
} from '../../shared/kpi';
import { refreshMonthlyRollup } from './monthly-rollup';
import { parseStationPeriod, type StationPeriod } from './period';
import { versionInForce } from './settings-in-force';

export interface JobFactsScope extends StationPeriod {
	/** Only this technician's jobs (the drill-down of one row). */
	technicianId?: string;
}

/**
 * The rules: CTEs `rule_station`, `fact_jobs`, `job_timing` and `computed_facts` (with each
 * job's reworks, follow-ups and parts as lateral subqueries; one row per completed
 * job among `jobIds`, an SQL set of job ids), without the leading WITH. Repair and response
 * durations stay exact numeric seconds; callers divide once at the end.
 *
 * Reworks, follow-ups and parts are LATERAL subqueries per job that cannot be flattened into
 * joins (each an aggregate without GROUP BY), so each is an index probe whatever the
 * statistics say: the cost follows the jobs refreshed, not the station's history
 * (docs/kpi.md).
 */
function computedFactsCtes(stationIdValue: string, jobIds: SQL): SQL {
	const stationId = sql`${stationIdValue}::uuid`;
	return sql`
rule_station AS (
	SELECT s.id, s.time_zone
	FROM stations s
	WHERE s.id = ${stationId}
),
fact_jobs AS (
	SELECT
		j.id,
		j.job_no,
		j.technician_id,
		j.outcome,
		j.device_serial_key,
		j.reported_at,
		j.arrived_at,
		j.started_at,
		j.completed_at,
		coalesce(fc.standard_minutes, ${DEFAULT_STANDARD_MINUTES}) AS standard_minutes,
		coalesce(fc.floor_minutes, ${DEFAULT_FLOOR_MINUTES}) AS floor_minutes
	FROM (SELECT DISTINCT ids.job_id FROM (${jobIds}) ids (job_id)) wanted
	-- A probe of the primary key per job, whatever the statistics say: right after an import,
	-- before the jobs had statistics, the planner took the station's completed jobs for one row
	-- and scanned all of them at every batch of the background refresh (docs/kpi.md). OFFSET 0
	-- keeps the probe from being flattened into a join; the status is checked outside, so the
	-- partial index of completed jobs does not apply.
	CROSS JOIN LATERAL (
		SELECT * FROM jobs j
		WHERE j.station_id = ${stationId} AND j.id = wanted.job_id
		OFFSET 0
	) j
	LEFT JOIN fault_categories fc
		ON fc.station_id = j.station_id AND fc.id = j.fault_category_id
	WHERE j.status = 'completed'
),
job_timing AS (
	SELECT
		pj.*,
		CASE WHEN pj.started_at <= pj.completed_at
			THEN extract(epoch FROM pj.completed_at) - extract(epoch FROM pj.started_at)
		END AS repair_seconds,
		CASE WHEN pj.reported_at <= pj.arrived_at
			THEN extract(epoch FROM pj.arrived_at) - extract(epoch FROM pj.reported_at)
		END AS response_seconds,
		-- reported <= arrived <= started <= completed, checked between the times present.
		NOT (
			pj.reported_at <= pj.completed_at
			AND coalesce(pj.reported_at <= pj.arrived_at, true)
			AND coalesce(pj.reported_at <= pj.started_at, true)
			AND coalesce(pj.arrived_at <= pj.started_at, true)
			AND coalesce(pj.arrived_at <= pj.completed_at, true)
			AND coalesce(pj.started_at <= pj.completed_at, true)
		) AS out_of_order
	FROM fact_jobs pj
),
raw_facts AS (
	SELECT
		jt.id,
		jt.job_no,
		jt.technician_id,
		jt.completed_at,
		(jt.completed_at AT TIME ZONE s.time_zone)::date AS day,
		jt.standard_minutes,
		jt.repair_seconds,
		jt.response_seconds,
		coalesce(ps.parts_cost, 0) AS parts_cost,
		fs.latest_satisfaction,
		fs.follow_ups > 0 AS has_follow_up,
		coalesce(rs.reworked_by, ARRAY[]::text[]) AS reworked_by,
		array_remove(ARRAY[
			CASE WHEN jt.outcome = 'not_fixed' THEN 'not_fixed' END,
			CASE WHEN fs.has_unresolved THEN 'follow_up_unresolved' END,
			CASE WHEN rs.reworked_by IS NOT NULL THEN 'reworked' END
		], NULL) AS failure_reasons,
		array_remove(ARRAY[
			CASE WHEN jt.arrived_at IS NULL THEN 'missing_arrival' END,
			CASE WHEN jt.started_at IS NULL THEN 'missing_start' END,
			CASE WHEN jt.out_of_order THEN 'out_of_order' END,
			CASE WHEN jt.repair_seconds > ${LONG_REPAIR_MINUTES * 60} THEN 'long_repair' END,
			CASE WHEN se.typed THEN 'typed_time' END,
			CASE WHEN se.late THEN 'late_entry' END,
			CASE WHEN jt.arrived_at IS NOT NULL AND jt.started_at IS NOT NULL
				AND greatest(jt.arrived_at, jt.started_at, jt.completed_at)
					- least(jt.arrived_at, jt.started_at, jt.completed_at) < interval '60 seconds'
				THEN 'same_minute' END,
			CASE WHEN jt.repair_seconds < jt.floor_minutes * 60 THEN 'too_fast' END
		], NULL) AS flags
	FROM job_timing jt
	CROSS JOIN rule_station s
	CROSS JOIN LATERAL (
		SELECT v.rework_window_days * interval '24 hours' AS rework_window
		FROM ${versionInForce(stationId, sql`(jt.completed_at AT TIME ZONE s.time_zone)::date`)} v
	) rw
	-- Each job's reworks, follow-ups and parts as lateral probes by key, not as CTEs joined
	-- afterwards: the planner cannot count a CTE's rows, and joining CTEs of all of a station's
	-- jobs (its first refresh) turned into nested loops over whole CTEs, for minutes.
	CROSS JOIN LATERAL (
		SELECT array_agg(r.job_no ORDER BY r.job_no COLLATE "C") AS reworked_by
		FROM (
			SELECT linked.job_no
			FROM jobs linked
			WHERE linked.station_id = ${stationId}
				AND linked.previous_job_id IS NOT NULL
				AND linked.previous_job_id = jt.id
				AND linked.status <> 'cancelled'
			UNION ALL
			-- Not linked to jt: those came from the first branch, so the two are disjoint.
			SELECT same.job_no
			FROM jobs same
			WHERE jt.device_serial_key <> ''
				AND same.station_id = ${stationId}
				AND same.device_serial_key <> ''
				AND same.device_serial_key = jt.device_serial_key
				AND same.reported_at > jt.completed_at
				AND same.reported_at <= jt.completed_at + rw.rework_window
				AND same.status <> 'cancelled'
				AND same.id <> jt.id
				AND same.previous_job_id IS DISTINCT FROM jt.id
		) r
	) rs
	CROSS JOIN LATERAL (
		SELECT
			count(*) AS follow_ups,
			bool_or(f.issue_resolved = false) AS has_unresolved,
			(array_agg(f.satisfaction ORDER BY f.visited_at DESC, f.created_at DESC, f.id DESC)
				FILTER (WHERE f.satisfaction IS NOT NULL))[1] AS latest_satisfaction
		FROM follow_ups f
		-- A technician's own follow-ups are notes, never scored (docs/kpi-rules.md).
		WHERE f.station_id = ${stationId} AND f.job_id = jt.id AND f.source <> 'technician'
	) fs
	CROSS JOIN LATERAL (
		SELECT sum(jp.qty * jp.unit_cost) AS parts_cost
		FROM job_parts jp
		WHERE jp.station_id = ${stationId} AND jp.job_id = jt.id
	) ps
	-- How the current step times were entered (job_step_entries): typed by hand, or recorded
	-- far from the device's clock at the time of recording.
	CROSS JOIN LATERAL (
		SELECT
			bool_or(e.entry = 'typed') AS typed,
			bool_or(abs(extract(epoch FROM (
				CASE e.step
					WHEN 'arrived' THEN jt.arrived_at
					WHEN 'started' THEN jt.started_at
					ELSE jt.completed_at
				END - e.noted_at))) > ${LATE_ENTRY_MINUTES * 60}) AS late
		FROM job_step_entries e
		WHERE e.station_id = ${stationId} AND e.job_id = jt.id
	) se
),
computed_facts AS (
	SELECT
		rf.*,
		ARRAY(
			SELECT u.flag FROM unnest(rf.flags) WITH ORDINALITY u(flag, n)
			WHERE NOT (u.flag = ANY(coalesce(acc.accepted, ARRAY[]::text[])))
			ORDER BY u.n
		) AS open_flags,
		ARRAY(
			SELECT u.flag FROM unnest(rf.flags) WITH ORDINALITY u(flag, n)
			WHERE u.flag = ANY(coalesce(acc.accepted, ARRAY[]::text[]))
			ORDER BY u.n
		) AS accepted_flags,
		coalesce(ex.kpis, ARRAY[]::text[]) AS excluded_kpis
	FROM raw_facts rf
	CROSS JOIN LATERAL (
		SELECT array_agg(a.flag) AS accepted
		FROM job_flag_acceptances a
		WHERE a.station_id = ${stationId} AND a.job_id = rf.id
	) acc
	CROSS JOIN LATERAL (
		SELECT array_agg(x.kpi ORDER BY x.kpi) AS kpis
		FROM job_kpi_exclusions x
		WHERE x.station_id = ${stationId} AND x.job_id = rf.id
	) ex
)`;
}

/**
 * Recomputes the facts of the jobs `take` removes from the queue (job_kpi_stale; an SQL
 * `DELETE … RETURNING job_id`), removes the facts of those no longer completed, then rewrites
 * the daily rows of every (technician, day) whose facts changed. Returns how many queue rows it
 * took. Only for fact-refresh.ts, in a transaction that holds the station's refresh lock: two
 * transactions rewriting the same daily row at once would each miss the other's facts.
 */
export async function refreshTakenJobs(
	tx: Queryable,
	stationIdValue: string,
	take: SQL
): Promise<number> {
	const stationId = sql`${stationIdValue}::uuid`;
	const [changed] = await queryRows<{ days: string; taken: number }>(
		tx,
		sql`
WITH taken AS (${take}),
${computedFactsCtes(stationIdValue, sql`SELECT job_id FROM taken`)},
previous_days AS (
	SELECT f.technician_id, f.day
	FROM job_kpi_facts f
	WHERE f.station_id = ${stationId} AND f.job_id IN (SELECT job_id FROM taken)
),
upserted AS (
	INSERT INTO job_kpi_facts (
		station_id, job_id, job_no, technician_id, completed_at, day, standard_minutes,
		repair_seconds, response_seconds, parts_cost, latest_satisfaction, has_follow_up,
		reworked_by, failure_reasons, flags, accepted_flags, excluded_kpis
	)
	SELECT
		${stationId}, cf.id, cf.job_no, cf.technician_id, cf.completed_at, cf.day,
		cf.standard_minutes, cf.repair_seconds, cf.response_seconds, cf.parts_cost,
		cf.latest_satisfaction, cf.has_follow_up, cf.reworked_by, cf.failure_reasons,
		cf.open_flags, cf.accepted_flags, cf.excluded_kpis
	FROM computed_facts cf
	ON CONFLICT (station_id, job_id) DO UPDATE SET
		job_no = excluded.job_no,
		technician_id = excluded.technician_id,
		completed_at = excluded.completed_at,
		day = excluded.day,
		standard_minutes = excluded.standard_minutes,
		repair_seconds = excluded.repair_seconds,
		response_seconds = excluded.response_seconds,
		parts_cost = excluded.parts_cost,
		latest_satisfaction = excluded.latest_satisfaction,
		has_follow_up = excluded.has_follow_up,
		reworked_by = excluded.reworked_by,
		failure_reasons = excluded.failure_reasons,
		flags = excluded.flags,
		accepted_flags = excluded.accepted_flags,
		excluded_kpis = excluded.excluded_kpis
	RETURNING job_id, technician_id, day
),
removed AS (
	-- EXCEPT (hashed or sorted), not NOT IN or NOT EXISTS: the planner cannot count a CTE's
	-- rows, and against all of a station's jobs (its first refresh) either of those became a
	-- nested loop over the whole CTE for every job, which ran for minutes at 100k jobs.
	DELETE FROM job_kpi_facts f
	USING (SELECT job_id FROM taken EXCEPT SELECT job_id FROM upserted) gone
	WHERE f.station_id = ${stationId} AND f.job_id = gone.job_id
)
SELECT
	coalesce(jsonb_agg(DISTINCT jsonb_build_object('technician_id', k.technician_id, 'day', k.day)), '[]')::text AS days,
	(SELECT count(*) FROM taken)::int AS taken
FROM (
	SELECT technician_id, day FROM previous_days
	UNION ALL
	SELECT technician_id, day FROM upserted
) k`
	);
	const days = sql`(
		SELECT * FROM jsonb_to_recordset(${changed.days}::jsonb) AS k(technician_id uuid, day date)
	)`;
	await tx.execute(sql`
DELETE FROM job_kpi_daily d
USING ${days} k
WHERE d.station_id = ${stationId} AND d.technician_id = k.technician_id AND d.day = k.day`);
	await tx.execute(sql`
INSERT INTO job_kpi_daily (
	station_id, day, technician_id, jobs_completed, success_jobs, successes, repair_count,
	repair_seconds_sum, timed_standard_minutes, repair_minutes, response_count,
	response_seconds_sum, parts_cost_sum, rated_count, rated_sum, satisfied_count,
	followed_up_count, accuracy_jobs, accurate_count
)
SELECT
	${stationId},
	f.day,
	f.technician_id,
	count(*),
	count(*) FILTER (WHERE NOT 'repair_success_rate' = ANY(f.excluded_kpis)),
	count(*) FILTER (
		WHERE cardinality(f.failure_reasons) = 0 AND NOT 'repair_success_rate' = ANY(f.excluded_kpis)
	),
	count(f.repair_seconds),
	coalesce(sum(f.repair_seconds), 0),
	coalesce(sum(f.standard_minutes) FILTER (WHERE f.repair_seconds IS NOT NULL), 0),
	coalesce(
		array_agg((f.repair_seconds / 60)::float8 ORDER BY (f.repair_seconds / 60)::float8)
			FILTER (WHERE f.repair_seconds IS NOT NULL),
		ARRAY[]::float8[]
	),
	count(f.response_seconds),
	coalesce(sum(f.response_seconds), 0),
	sum(f.parts_cost),
	count(f.latest_satisfaction),
	coalesce(sum(f.latest_satisfaction), 0),
	count(*) FILTER (WHERE f.latest_satisfaction >= 4),
	count(*) FILTER (WHERE f.has_follow_up),
	count(*) FILTER (WHERE NOT 'record_accuracy' = ANY(f.excluded_kpis)),
	count(*) FILTER (
		WHERE cardinality(f.flags) = 0 AND NOT 'record_accuracy' = ANY(f.excluded_kpis)
	)
FROM job_kpi_facts f
JOIN ${days} k ON k.technician_id = f.technician_id AND k.day = f.day
WHERE f.station_id = ${stationId}
GROUP BY f.day, f.technician_id`);
	// The months of the rewritten days, from their daily rows (monthly-rollup.ts).
	await refreshMonthlyRollup(tx, stationIdValue, changed.days);
	return changed.taken;
}

/**
 * For readers: the CTEs \`station\` (the period's instants in the station's time zone) and
 * \`job_facts\` (the materialised facts of the period's completed jobs, optionally of one
 * technician), without the leading WITH. They are as fresh as the background refresh has made
 * them (fact-refresh.ts): a read never refreshes, so it can run on a read-only replica.
 */
export function jobFactsCtes(scope: JobFactsScope): SQL {
	const stationId = sql`${scope.stationId}::uuid`;
	const technicianFilter = scope.technicianId
		? sql`AND f.technician_id = ${scope.technicianId}::uuid`
		: sql``;
	return sql`
station AS (
	SELECT
		s.id,
		(${scope.from}::date::timestamp AT TIME ZONE s.time_zone) AS period_start,
		(${scope.to}::date::timestamp AT TIME ZONE s.time_zone) AS period_end
	FROM stations s
	WHERE s.id = ${stationId}
),
job_facts AS (
	SELECT
		f.job_id AS id,
		f.job_no,
		f.technician_id,
		f.completed_at,
		f.standard_minutes,
		f.repair_seconds,
		f.response_seconds,
		f.parts_cost,
		f.latest_satisfaction,
		f.has_follow_up,
		f.reworked_by,
		f.failure_reasons,
		f.flags,
		f.accepted_flags,
		f.excluded_kpis
	FROM station s
	JOIN job_kpi_facts f
		ON f.station_id = ${stationId}
		AND f.completed_at >= s.period_start
		AND f.completed_at < s.period_end
		${technicianFilter}
)`;
}

/**
 * The drill-down behind the scorecard: each completed job of the period (optionally of one
 * technician) with why it failed, its times, cost, flags and latest satisfaction, ordered by
 * completion time. A completed job's outcome is never null, so "no failure reason" is exactly
 * kpi.md's success.
 */
/**
 * The facts of `job_facts` (jobFactsCtes) as JobFact rows, with each technician's login and
 * name: the select list and FROM of a query whose WITH holds those CTEs.
 */
export function jobFactRows(stationId: string): SQL {
	return sql`
SELECT
	jf.id::text AS job_id,
	jf.job_no,
	jf.technician_id::text AS technician_id,
	u.login AS technician_login,
	u.name AS technician_name,
	to_char(jf.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS completed_at,
	cardinality(jf.failure_reasons) = 0 AS success,
	jf.failure_reasons::text[] AS failure_reasons,
	jf.reworked_by::text[] AS reworked_by,
	(jf.repair_seconds / 60)::float8 AS repair_minutes,
	jf.standard_minutes::int AS standard_minutes,
	(jf.response_seconds / 3600)::float8 AS response_hours,
	jf.parts_cost::float8 AS parts_cost,
	jf.flags::text[] AS flags,
	jf.accepted_flags::text[] AS accepted_flags,
	jf.excluded_kpis::text[] AS excluded_kpis,
	jf.latest_satisfaction::int AS latest_satisfaction,
	jf.has_follow_up
FROM job_facts jf
JOIN users u ON u.station_id = ${stationId}::uuid AND u.id = jf.technician_id`;
}

export async function jobFacts(db: Queryable, scope: JobFactsScope): Promise<JobFact[]> {
	const period = parseStationPeriod(scope);
	const rows = await queryRows<JobFact>(
		db,
		sql`
WITH ${jobFactsCtes({ ...period, technicianId: scope.technicianId })}
${jobFactRows(period.stationId)}
ORDER BY jf.completed_at, jf.job_no COLLATE "C"`
	);
	return rows.map((row) => jobFactSchema.parse(row));
}
