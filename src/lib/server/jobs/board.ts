/**
 * The open-jobs board (issue 12, the desk's start page): every job of the station not yet done,
 * how long each has waited since it was reported against the station's response-time thresholds,
 * and the counts per technician. Filters, waiting times and counts are SQL.
 *
 * Who may read it: the desk and supervisors (worksTheDesk), the people who dispatch. A station
 * administrator reads jobs (roles.md) but dispatches nothing and reads no scores: the board is a
 * dispatching worklist whose lateness is measured against the KPI thresholds, so it is refused
 * to them like the scorecards; the job pages remain theirs to read. A technician reads their own
 * jobs only, on the phone.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import { requireDesk } from './access';
import {
	COMPLETED_TODAY_LISTED,
	UNASSIGNED,
	boardFiltersSchema,
	type BoardCompletedJob,
	type BoardFilters,
	type BoardJob,
	type BoardTechnicianCount,
	type OpenJobsBoard
} from '../../shared/board';
import { isoUtc } from '../review/sql';
import { stationToday, versionInForce } from '../kpi/settings-in-force';

/**
 * The station's response-time thresholds in hours (null when response time is not scored), of
 * the settings in force today: the running period is scored with them.
 */
function stationThresholds(stationId: string): SQL {
	const id = sql`${stationId}::uuid`;
	return sql`SELECT (s.kpi_settings #>> '{thresholds,avg_response_hours,pass}')::float8 AS pass,
		(s.kpi_settings #>> '{thresholds,avg_response_hours,excellent}')::float8 AS excellent
	FROM ${versionInForce(id, stationToday(id))} s`;
}

/**
 * The station's not-done jobs with how long each has waited since it was reported (seconds)
 * and its timing (BOARD_TIMINGS), as a subquery `b`. A threshold is passed when the wait is
 * longer than it: a job waiting exactly `pass` hours is late, not yet overdue (as scoring reads
 * a value at pass). The wait is the customer's since the call, whatever the job's status: a job
 * in progress for days is still open to the customer.
 */
function boardJobs(stationId: string, now: Date): SQL {
	return sql`(
	SELECT j.*, w.waited,
		CASE
			WHEN t.pass IS NULL OR t.excellent IS NULL THEN NULL
			WHEN w.waited > t.pass * 3600 THEN 'overdue'
			WHEN w.waited > t.excellent * 3600 THEN 'late'
			ELSE 'on_time'
		END AS timing
	FROM jobs j
	CROSS JOIN (${stationThresholds(stationId)}) t
	CROSS JOIN LATERAL (
		SELECT extract(epoch FROM (${now.toISOString()}::timestamptz - j.reported_at))::float8 AS waited
	) w
	WHERE j.station_id = ${stationId}::uuid AND j.status IN ('open', 'in_progress')
) b`;
}

function filterCondition(filters: BoardFilters): SQL {
	const conditions: SQL[] = [sql`true`];
	if (filters.technician === UNASSIGNED) conditions.push(sql`b.technician_id IS NULL`);
	else if (filters.technician) conditions.push(sql`b.technician_id = ${filters.technician}::uuid`);
	if (filters.status) conditions.push(sql`b.status = ${filters.status}::job_status`);
	if (filters.categoryId) conditions.push(sql`b.fault_category_id = ${filters.categoryId}::uuid`);
	if (filters.age === 'overdue') conditions.push(sql`b.timing = 'overdue'`);
	if (filters.age === 'late') conditions.push(sql`b.timing IN ('late', 'overdue')`);
	if (filters.olderThanHours !== undefined) {
		conditions.push(sql`b.waited > ${filters.olderThanHours * 3600}`);
	}
	return sql.join(conditions, sql` AND `);
}

/**
 * The board for the user's station, measured at `now` (the tests fix it). Unassigned jobs
 * first, then the longest waiting, the job number breaking ties.
 */
export async function openJobsBoard(
	db: Queryable,
	user: SessionUser,
	input: BoardFilters = {},
	now: Date = new Date()
): Promise<OpenJobsBoard> {
	requireDesk(user);
	const filters = boardFiltersSchema.parse(input);
	const station = user.stationId;
	const jobs = await queryRows<BoardJob>(
		db,
		sql`
SELECT b.id::text AS "id", b.job_no AS "jobNo", b.status::text AS "status",
	b.technician_id::text AS "technicianId", u.name AS "technicianName",
	fc.name AS "categoryName", b.urgency::text AS "urgency", b.origin::text AS "origin",
	b.customer_name AS "customerName", b.customer_address AS "customerAddress",
	b.product_model AS "productModel", b.fault_description AS "faultDescription",
	${isoUtc(sql`b.reported_at`)} AS "reportedAt",
	CASE WHEN b.assigned_at IS NULL THEN NULL ELSE ${isoUtc(sql`b.assigned_at`)} END AS "assignedAt",
	greatest(floor(b.waited / 60), 0)::int AS "waitingMinutes",
	b.timing AS "timing"
FROM ${boardJobs(station, now)}
LEFT JOIN users u ON u.station_id = b.station_id AND u.id = b.technician_id
LEFT JOIN fault_categories fc ON fc.station_id = b.station_id AND fc.id = b.fault_category_id
WHERE ${filterCondition(filters)}
ORDER BY b.technician_id IS NOT NULL, b.reported_at, b.job_no COLLATE "C"`
	);
	const [technicians, categories, [thresholds], completedToday] = await Promise.all([
		queryRows<BoardTechnicianCount>(
			db,
			sql`
WITH counts AS (
	SELECT b.technician_id,
		count(*) FILTER (WHERE b.status = 'open')::int AS open,
		count(*) FILTER (WHERE b.status = 'in_progress')::int AS in_progress,
		count(*) FILTER (WHERE b.timing = 'late')::int AS late,
		count(*) FILTER (WHERE b.timing = 'overdue')::int AS overdue
	FROM ${boardJobs(station, now)}
	GROUP BY b.technician_id
)
SELECT x."technicianId"::text AS "technicianId", x."technicianName",
	x.open::int AS "open", x."inProgress"::int AS "inProgress", x.late::int AS "late",
	x.overdue::int AS "overdue"
FROM (
	SELECT u.id AS "technicianId", u.name AS "technicianName",
		coalesce(c.open, 0) AS open, coalesce(c.in_progress, 0) AS "inProgress",
		coalesce(c.late, 0) AS late, coalesce(c.overdue, 0) AS overdue
	FROM users u
	LEFT JOIN counts c ON c.technician_id = u.id
	WHERE u.station_id = ${station}::uuid AND u.role = 'technician'
		AND (u.active OR c.technician_id IS NOT NULL)
	UNION ALL
	SELECT NULL, NULL, c.open, c.in_progress, c.late, c.overdue
	FROM counts c WHERE c.technician_id IS NULL
) x
ORDER BY x."technicianId" IS NOT NULL, x."technicianName", x."technicianId"`
		),
		queryRows<{ id: string; name: string }>(
			db,
			sql`SELECT id::text AS "id", name FROM fault_categories
				WHERE station_id = ${station}::uuid AND active ORDER BY code COLLATE "C"`
		),
		queryRows<{ pass: number | null; excellent: number | null }>(db, stationThresholds(station)),
		queryRows<BoardCompletedJob & { total: number }>(
			db,
			sql`
SELECT j.id::text AS "id", j.job_no AS "jobNo", u.name AS "technicianName",
	j.customer_name AS "customerName", ${isoUtc(sql`j.completed_at`)} AS "completedAt",
	j.outcome::text AS "outcome", count(*) OVER ()::int AS "total"
FROM jobs j
JOIN stations s ON s.id = j.station_id
LEFT JOIN users u ON u.station_id = j.station_id AND u.id = j.technician_id
WHERE j.station_id = ${station}::uuid AND j.status = 'completed'
	AND j.completed_at >= date_trunc('day', ${now.toISOString()}::timestamptz AT TIME ZONE s.time_zone)
		AT TIME ZONE s.time_zone
ORDER BY j.completed_at DESC, j.job_no COLLATE "C"
LIMIT ${COMPLETED_TODAY_LISTED}`
		)
	]);
	return {
		now: now.toISOString(),
		thresholds:
			thresholds && thresholds.pass !== null && thresholds.excellent !== null
				? { pass: thresholds.pass, excellent: thresholds.excellent }
				: null,
		filters,
		jobs,
		technicians,
		categories,
		completedToday: completedToday.map((row) => ({
			id: row.id,
			jobNo: row.jobNo,
			technicianName: row.technicianName,
			customerName: row.customerName,
			completedAt: row.completedAt,
			outcome: row.outcome
		})),
		completedTodayCount: completedToday[0]?.total ?? 0
	};
}

/** How many of the station's not-done jobs are overdue now: the station home's count. */
export async function countOverdueOpenJobs(
	db: Queryable,
	user: SessionUser,
	now: Date = new Date()
): Promise<number> {
	requireDesk(user);
	const [row] = await queryRows<{ overdue: number }>(
		db,
		sql`SELECT count(*)::int AS overdue FROM ${boardJobs(user.stationId, now)}
			WHERE b.timing = 'overdue'`
	);
	return row?.overdue ?? 0;
}
