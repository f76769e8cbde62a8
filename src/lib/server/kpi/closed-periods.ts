/**
 * Reading closed periods (docs/kpi-rules.md, "Closed periods"): a period a supervisor closed
 * (closing.ts) is read from the scorecard stored at closing, never computed again until it is
 * reopened; what was edited on its jobs since is listed beside it instead of changing it.
 *
 * Only a period that is exactly a closed one is frozen: a quarter or a week overlapping a closed
 * month is computed live, as its numbers were never closed.
 */
import { and, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { periodClosures, users } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { requireSupervisor, technicianScope } from '../jobs/access';
import {
	scorecardRowSchema,
	stationKpiRowSchema,
	type KpiPeriod,
	type ScorecardRow
} from '../../shared/kpi';
import {
	closedSettingsSchema,
	PERIOD_CHANGES_LISTED,
	periodChangeSchema,
	type PeriodChange,
	type PeriodClosureView
} from '../../shared/period-closing';
import {
	computeScorecard,
	computeScorecardWithGround,
	type ScorecardWithGround
} from './scorecard';
import { SCORED_KPIS } from '../../shared/domain';
import { GRADES } from '../../shared/kpi';
import type { ScorecardGroundRow } from '../../shared/kpi-ground';

const kpiGroundSchema = z.object({
	kpi: z.enum(SCORED_KPIS),
	value: z.number().nullable(),
	sample: z.number(),
	minimum: z.number(),
	tooFew: z.boolean(),
	points: z.number().nullable(),
	weight: z.number(),
	contribution: z.number().nullable()
});
const scorecardGroundRowSchema = z.object({
	login: z.string(),
	name: z.string(),
	jobs_completed: z.number(),
	score: z.number().nullable(),
	grade: z.enum(GRADES).nullable(),
	rank: z.number().nullable(),
	kpis: z.array(kpiGroundSchema)
}) satisfies z.ZodType<ScorecardGroundRow>;

/**
 * period_closures.scorecard: what every scorecard read of the period returns, as computed at
 * closing. Versioned so that later additions (each KPI's ground, say) can be kept beside the
 * rows without misreading months closed before them: a new field is a new version, and a
 * reader of an older one shows what it has.
 */
export const closedScorecardSchema = z.object({
	version: z.literal(1),
	/** kpi.md's output rows, every technician's (computeScorecardWithGround's rows). */
	rows: z.array(scorecardRowSchema),
	/** The station's own row (computeStationKpis); null when no job was completed. */
	stationRow: zm.nullable(stationKpiRowSchema),
	/** What each technician's numbers rested on (computeScorecardWithGround's ground). */
	ground: z.array(scorecardGroundRowSchema),
	/**
	 * The database snapshot (pg_current_snapshot()) the numbers were read in, taken before them:
	 * a follow-up or part line whose version this snapshot does not see was written after, even
	 * when it was changed in place and carries no time of its own.
	 */
	takenIn: z.string()
});
export type ClosedScorecard = z.infer<typeof closedScorecardSchema>;

export interface ClosureInForce {
	id: string;
	stationId: string;
	from: string;
	to: string;
	closedBy: string;
	closedAt: Date;
	scorecard: ClosedScorecard;
	settings: z.infer<typeof closedSettingsSchema>;
}

const closer = alias(users, 'closer');

const closureColumns = {
	id: periodClosures.id,
	stationId: periodClosures.stationId,
	from: periodClosures.periodFrom,
	to: periodClosures.periodTo,
	closedBy: closer.name,
	closedAt: periodClosures.closedAt,
	scorecard: periodClosures.scorecard,
	settings: periodClosures.settings
};

function parsed(row: {
	id: string;
	stationId: string;
	from: string;
	to: string;
	closedBy: string;
	closedAt: Date;
	scorecard: unknown;
	settings: unknown;
}): ClosureInForce {
	return {
		...row,
		scorecard: closedScorecardSchema.parse(row.scorecard),
		settings: closedSettingsSchema.parse(row.settings)
	};
}

function closuresInForce(
	db: Queryable,
	stationId: string | readonly string[],
	within: SQL | undefined
) {
	const ofStations =
		typeof stationId === 'string'
			? eq(periodClosures.stationId, stationId)
			: inArray(periodClosures.stationId, [...stationId]);
	return db
		.select(closureColumns)
		.from(periodClosures)
		.innerJoin(
			closer,
			and(eq(closer.stationId, periodClosures.stationId), eq(closer.id, periodClosures.closedBy))
		)
		.where(and(ofStations, isNull(periodClosures.reopenedAt), within));
}

/** The closure in force of exactly this period, if it is closed. */
export async function closureOf(
	db: Queryable,
	stationId: string,
	period: KpiPeriod
): Promise<ClosureInForce | null> {
	const [row] = await closuresInForce(
		db,
		stationId,
		and(eq(periodClosures.periodFrom, period.from), eq(periodClosures.periodTo, period.to))
	);
	return row ? parsed(row) : null;
}

/**
 * The scorecard of a period and what its numbers rest on: as stored at closing if it is closed,
 * else computed now (once, rows and ground together).
 */
export async function scorecardOfPeriod(
	db: Queryable,
	stationId: string,
	period: KpiPeriod
): Promise<ScorecardWithGround> {
	const closure = await closureOf(db, stationId, period);
	if (closure) return { rows: closure.scorecard.rows, ground: closure.scorecard.ground };
	return computeScorecardWithGround(db, { stationId, ...period });
}

/**
 * A closed period's numbers as the jobs are now, for a supervisor to compare with the closed
 * ones (the closed scorecard's "live numbers" download); the same rows as scorecardOfPeriod
 * for a period that is not closed.
 */
export async function liveScorecard(
	db: Queryable,
	user: SessionUser,
	period: KpiPeriod
): Promise<ScorecardRow[]> {
	requireSupervisor(user, 'read the live numbers of a closed period');
	return computeScorecard(db, { stationId: user.stationId, ...period });
}

/**
 * The closures in force of the months within [from, to), by month 'YYYY-MM' (the trends: a
 * closed month's line shows its closed numbers).
 */
export async function closedMonthsWithin(
	db: Queryable,
	stationId: string,
	range: KpiPeriod
): Promise<Map<string, ClosureInForce>> {
	const rows = await closuresInForce(
		db,
		stationId,
		and(gte(periodClosures.periodFrom, range.from), lte(periodClosures.periodTo, range.to))
	);
	return new Map(rows.map((row) => [row.from.slice(0, 7), parsed(row)]));
}

/**
 * The closures in force of several stations within [from, to), in one read (the region's
 * comparison: a closed month of a station shows its closed numbers there as on its own pages).
 */
export async function closuresOfStationsWithin(
	db: Queryable,
	stationIds: readonly string[],
	range: KpiPeriod
): Promise<ClosureInForce[]> {
	if (stationIds.length === 0) return [];
	const rows = await closuresInForce(
		db,
		stationIds,
		and(gte(periodClosures.periodFrom, range.from), lte(periodClosures.periodTo, range.to))
	);
	return rows.map(parsed);
}

interface ChangeRow {
	job_id: string;
	job_no: string;
	kind: PeriodChange['kind'];
	detail: string | null;
	at: string | null;
	by: string | null;
	total: number;
}

/**
 * The edits since closing to the closed period's jobs, newest first: its jobs are those
 * completed within it now, and those whose completion a later edit moved out of it. Listing an
 * edit that changes no number is harmless; missing one that does is not, so every writer of
 * what job-facts.ts reads is asked: the job's history (every changed value, by trigger), jobs
 * recorded since, follow-ups and part lines (added, changed in place: by their version against
 * the closing snapshot; deleted: by their tombstone), accepted flags, exclusions, and jobs that
 * became reworks of the period's jobs, linked or by serial within the rework window.
 */
function changesQuery(closure: ClosureInForce, technicianId: string | null) {
	const station = sql`${closure.stationId}::uuid`;
	const closedAt = sql`${closure.closedAt.toISOString()}::timestamptz`;
	const takenIn = sql`${closure.scorecard.takenIn}::pg_snapshot`;
	return sql`
WITH bounds AS (
	SELECT
		(${closure.from}::date::timestamp AT TIME ZONE s.time_zone) AS starts,
		(${closure.to}::date::timestamp AT TIME ZONE s.time_zone) AS ends
	FROM stations s WHERE s.id = ${station}
),
period_jobs AS (
	SELECT j.id, j.job_no, j.device_serial_key, j.completed_at
	FROM jobs j, bounds b
	WHERE j.station_id = ${station} AND j.completed_at >= b.starts AND j.completed_at < b.ends
		AND (${technicianId}::uuid IS NULL OR j.technician_id = ${technicianId}::uuid)
	UNION
	SELECT j.id, j.job_no, j.device_serial_key, j.completed_at
	FROM job_history h
	CROSS JOIN bounds b
	JOIN jobs j ON j.station_id = h.station_id AND j.id = h.job_id
	WHERE h.station_id = ${station} AND h.field = 'completed_at' AND h.changed_at >= ${closedAt}
		AND (h.old_value #>> '{}')::timestamptz >= b.starts
		AND (h.old_value #>> '{}')::timestamptz < b.ends
		AND (${technicianId}::uuid IS NULL OR j.technician_id = ${technicianId}::uuid)
),
changes AS (
	SELECT pj.id AS job_id, pj.job_no, 'job_changed' AS kind, h.field AS detail,
		h.changed_at AS at, h.changed_by AS by_id
	FROM period_jobs pj
	JOIN job_history h ON h.station_id = ${station} AND h.job_id = pj.id
	WHERE h.changed_at >= ${closedAt}
	UNION ALL
	SELECT pj.id, pj.job_no, 'job_added', NULL, j.created_at, j.reported_by
	FROM period_jobs pj
	JOIN jobs j ON j.station_id = ${station} AND j.id = pj.id
	WHERE j.created_at >= ${closedAt}
	UNION ALL
	SELECT pj.id, pj.job_no, 'follow_up', NULL,
		CASE WHEN f.created_at >= ${closedAt} THEN f.created_at END, f.user_id
	FROM period_jobs pj
	JOIN follow_ups f ON f.station_id = ${station} AND f.job_id = pj.id
	WHERE NOT pg_visible_in_snapshot(f.version, ${takenIn})
	UNION ALL
	SELECT pj.id, pj.job_no, 'part', p.sku,
		CASE WHEN l.created_at >= ${closedAt} THEN l.created_at END, l.created_by
	FROM period_jobs pj
	JOIN job_parts l ON l.station_id = ${station} AND l.job_id = pj.id
	JOIN parts p ON p.station_id = l.station_id AND p.id = l.part_id
	WHERE NOT pg_visible_in_snapshot(l.version, ${takenIn})
	UNION ALL
	SELECT pj.id, pj.job_no,
		CASE t.table_name WHEN 'job_parts' THEN 'part_removed' ELSE 'follow_up_removed' END,
		NULL, t.deleted_at, NULL::uuid
	FROM period_jobs pj
	JOIN sync_tombstones t ON t.station_id = ${station} AND t.job_id = pj.id
	WHERE t.table_name IN ('job_parts', 'follow_ups') AND t.deleted_at >= ${closedAt}
	UNION ALL
	SELECT pj.id, pj.job_no, 'flag_accepted', a.flag, a.accepted_at, a.accepted_by
	FROM period_jobs pj
	JOIN job_flag_acceptances a ON a.station_id = ${station} AND a.job_id = pj.id
	WHERE a.accepted_at >= ${closedAt}
	UNION ALL
	SELECT pj.id, pj.job_no, 'kpi_excluded', e.kpi, e.created_at, e.decided_by
	FROM period_jobs pj
	JOIN job_kpi_exclusions e ON e.station_id = ${station} AND e.job_id = pj.id
	WHERE e.created_at >= ${closedAt}
	UNION ALL
	SELECT pj.id, pj.job_no, 'rework_linked', r.job_no, r.created_at, r.reported_by
	FROM period_jobs pj
	JOIN jobs r ON r.station_id = ${station} AND r.previous_job_id = pj.id
	WHERE r.created_at >= ${closedAt}
	UNION ALL
	SELECT pj.id, pj.job_no,
		CASE WHEN h.new_value #>> '{}' = pj.id::text THEN 'rework_linked' ELSE 'rework_unlinked' END,
		r.job_no, h.changed_at, h.changed_by
	FROM period_jobs pj
	JOIN job_history h ON h.station_id = ${station} AND h.field = 'previous_job_id'
		AND pj.id::text IN (h.new_value #>> '{}', h.old_value #>> '{}')
	JOIN jobs r ON r.station_id = h.station_id AND r.id = h.job_id
	WHERE h.changed_at >= ${closedAt}
	UNION ALL
	SELECT pj.id, pj.job_no, 'rework_detected', r.job_no, r.created_at, r.reported_by
	FROM period_jobs pj
	JOIN jobs r ON r.station_id = ${station} AND r.device_serial_key = pj.device_serial_key
		AND r.id <> pj.id
	WHERE pj.device_serial_key <> '' AND r.created_at >= ${closedAt}
		AND r.reported_at > pj.completed_at
		AND r.reported_at <= pj.completed_at + ${closure.settings.reworkWindowDays} * interval '24 hours'
)
SELECT
	c.job_id::text AS job_id,
	c.job_no,
	c.kind,
	c.detail,
	to_char(c.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
	u.name AS by,
	(count(*) OVER ())::int AS total
FROM changes c
LEFT JOIN users u ON u.station_id = ${station} AND u.id = c.by_id
ORDER BY c.at DESC NULLS LAST, c.job_no COLLATE "C", c.kind
LIMIT ${PERIOD_CHANGES_LISTED}`;
}

/** The closure's changes since closing; for a technician, those on their own jobs. */
export async function changesSinceClosing(
	db: Queryable,
	closure: ClosureInForce,
	technicianId: string | null
): Promise<{ changes: PeriodChange[]; total: number }> {
	const rows = await queryRows<ChangeRow>(db, changesQuery(closure, technicianId));
	return {
		changes: rows.map(({ job_id, job_no, kind, detail, at, by }) =>
			periodChangeSchema.parse({ jobId: job_id, jobNo: job_no, kind, detail, at, by })
		),
		total: rows[0]?.total ?? 0
	};
}

/**
 * The label of a closed period's scorecard for the user (who closed it, when, the settings it
 * was scored with, what changed since); null when the period is not closed. A technician reads
 * their own scorecard (roles.md), so only the changes on their own jobs.
 */
export async function visibleClosure(
	db: Queryable,
	user: SessionUser,
	period: KpiPeriod
): Promise<PeriodClosureView | null> {
	const closure = await closureOf(db, user.stationId, period);
	if (!closure) return null;
	const { changes, total } = await changesSinceClosing(db, closure, technicianScope(user));
	return {
		id: closure.id,
		from: closure.from,
		to: closure.to,
		closedBy: closure.closedBy,
		closedAt: closure.closedAt.toISOString(),
		settings: closure.settings,
		changes,
		changesTotal: total
	};
}
