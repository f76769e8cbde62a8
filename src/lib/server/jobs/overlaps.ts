/**
 * Overlaps: a technician's offline work that arrived after their job was reassigned
 * (offline-work.ts applies it and lists the job here). The desk decides: `returned` gives the
 * job back to the technician who worked it, `kept` lets the new assignment stand. Dispatchers
 * and supervisors only (worksTheDesk, roles.md); every decision is in the job's history.
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { inTransaction, setChangeReason } from '../db/change-context';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import { refusal } from '../refusal';
import { requireDesk } from './access';

export const OVERLAP_DECISIONS = ['returned', 'kept'] as const;
export type OverlapDecision = (typeof OVERLAP_DECISIONS)[number];

export interface OpenOverlap {
	jobId: string;
	jobNo: string;
	status: string;
	/** The technician who worked the job offline after it left them. */
	technicianId: string;
	technicianName: string;
	/** Who holds the job now; null if the desk took it back unassigned. */
	currentTechnicianId: string | null;
	currentTechnicianName: string | null;
	/** The job's columns they changed since it left them (snake_case, as in the history). */
	fields: string[];
	partLines: number;
	followUps: number;
	/** The device time of their latest change, and when the server first saw such work. */
	workedAt: Date | null;
	detectedAt: Date;
}

/** The station's undecided overlaps, oldest first. */
export async function listOpenOverlaps(db: Queryable, user: SessionUser): Promise<OpenOverlap[]> {
	requireDesk(user);
	const rows = await queryRows<Omit<OpenOverlap, 'fields'> & { fields: string | null }>(
		db,
		sql`SELECT o.job_id::text AS "jobId", j.job_no AS "jobNo", j.status::text AS status,
				o.technician_id::text AS "technicianId", w.name AS "technicianName",
				j.technician_id::text AS "currentTechnicianId", c.name AS "currentTechnicianName",
				work.fields, work.worked_at AS "workedAt",
				(SELECT count(*)::int FROM job_parts p
					WHERE p.station_id = o.station_id AND p.job_id = o.job_id
						AND p.created_by = o.technician_id AND p.created_at >= left_them.at) AS "partLines",
				(SELECT count(*)::int FROM follow_ups f
					WHERE f.station_id = o.station_id AND f.job_id = o.job_id
						AND f.user_id = o.technician_id AND f.created_at >= left_them.at) AS "followUps",
				o.detected_at AS "detectedAt"
			FROM job_overlaps o
			JOIN jobs j ON j.station_id = o.station_id AND j.id = o.job_id
			JOIN users w ON w.station_id = o.station_id AND w.id = o.technician_id
			LEFT JOIN users c ON c.station_id = j.station_id AND c.id = j.technician_id
			CROSS JOIN LATERAL (
				SELECT coalesce(max(h.changed_at), '-infinity') AS at FROM job_history h
				WHERE h.station_id = o.station_id AND h.job_id = o.job_id
					AND h.field = 'technician_id' AND h.old_value = to_jsonb(o.technician_id::text)
			) left_them
			CROSS JOIN LATERAL (
				SELECT string_agg(DISTINCT h.field, ',') AS fields, max(h.device_time) AS worked_at
				FROM job_history h
				WHERE h.station_id = o.station_id AND h.job_id = o.job_id
					AND h.changed_by = o.technician_id AND h.changed_at >= left_them.at
			) work
			WHERE o.station_id = ${user.stationId}::uuid AND o.resolved_at IS NULL
			ORDER BY o.detected_at, j.job_no`
	);
	return rows.map((row) => ({
		...row,
		fields: row.fields ? row.fields.split(',') : [],
		workedAt: row.workedAt === null ? null : new Date(row.workedAt),
		detectedAt: new Date(row.detectedAt)
	}));
}

/** How many overlaps wait for a decision: the station home's count. */
export async function countOpenOverlaps(db: Queryable, user: SessionUser): Promise<number> {
	requireDesk(user);
	const [row] = await queryRows<{ count: number }>(
		db,
		sql`SELECT count(*)::int AS count FROM job_overlaps
			WHERE station_id = ${user.stationId}::uuid AND resolved_at IS NULL`
	);
	return row.count;
}

/**
 * Decides an overlap. `returned`: the job goes back to the technician who worked it offline
 * (its history says why: "overlap"); `kept`: it stays where the desk put it. Either way the
 * overlap is resolved, and the decision is written into the job's history.
 */
export async function resolveOverlap(
	db: Queryable,
	user: SessionUser,
	input: { jobId: string; technicianId: string; decision: OverlapDecision }
): Promise<void> {
	requireDesk(user);
	await inTransaction(db, user, async (tx) => {
		const [open] = await queryRows<{ jobNo: string; current: string | null; active: boolean }>(
			tx,
			sql`SELECT j.job_no AS "jobNo", j.technician_id::text AS current,
					(w.role = 'technician' AND w.active) AS active
				FROM job_overlaps o
				JOIN jobs j ON j.station_id = o.station_id AND j.id = o.job_id
				JOIN users w ON w.station_id = o.station_id AND w.id = o.technician_id
				WHERE o.station_id = ${user.stationId}::uuid AND o.job_id = ${input.jobId}::uuid
					AND o.technician_id = ${input.technicianId}::uuid AND o.resolved_at IS NULL
				FOR NO KEY UPDATE OF o, j`
		);
		if (!open) {
			throw refusal(
				'NOT_FOUND',
				'This overlap is not waiting for a decision.',
				'overlap_not_found'
			);
		}
		await setChangeReason(tx, 'overlap');
		if (input.decision === 'returned' && open.current !== input.technicianId) {
			if (!open.active) {
				throw refusal(
					'BAD_REQUEST',
					`User ${input.technicianId} is not an active technician of this station.`,
					'not_active_technician'
				);
			}
			// The history trigger records the new technician with the reason set above.
			await tx.execute(sql`
				UPDATE jobs SET technician_id = ${input.technicianId}::uuid, assigned_at = now(),
					updated_at = now()
				WHERE station_id = ${user.stationId}::uuid AND id = ${input.jobId}::uuid`);
		}
		await tx.execute(sql`
			UPDATE job_overlaps SET resolved_at = now(), resolved_by = ${user.id}::uuid,
				resolution = ${input.decision}
			WHERE station_id = ${user.stationId}::uuid AND job_id = ${input.jobId}::uuid
				AND technician_id = ${input.technicianId}::uuid`);
		// The decision itself, beside the values it changed (none when the assignment stands).
		await tx.execute(sql`
			INSERT INTO job_history (station_id, job_id, field, new_value, changed_by, reason)
			VALUES (${user.stationId}::uuid, ${input.jobId}::uuid, 'overlap',
				to_jsonb(${input.decision}::text), ${user.id}::uuid, 'overlap')`);
	});
}
