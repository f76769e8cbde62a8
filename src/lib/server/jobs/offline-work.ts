/**
 * Work a technician recorded offline on a job that was reassigned away from them before their
 * phone heard of it (issue 12). A phone learns of a reassignment only at its next pull, so the
 * visit facts it recorded before then (arrival, start, completion, times, notes and fields,
 * part lines, follow-ups) are the technician's own work, not a stranger's edit: they are
 * applied, credited to that technician (the change context's actor, as for any push) and the
 * job is listed for the desk as an overlap (job_overlaps, decided in overlaps.ts).
 *
 * Not when the job is verified or cancelled, or the technician it went to has recorded work of
 * their own since: then the two records would mix, and the change is refused with a reason.
 */
import { sql } from 'drizzle-orm';
import type { Queryable, Transaction } from '../db';
import { queryRows } from '../db/rows';
import { jobs, type Job } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { Refusal, refusal } from '../refusal';
import { jobEditableBy, technicianScope } from './access';

type OwnJobLookup = (
	db: Queryable,
	user: SessionUser,
	jobId: string,
	lookup: { lock: true }
) => Promise<Job>;

/**
 * The job for a visit fact by this user, locked: what `ownJob` finds (by default a job they may
 * change), or else a job reassigned away from this technician that still takes their offline
 * work (recorded as an overlap). Anything else refuses as `ownJob` did.
 */
export async function jobForVisitFact(
	tx: Transaction,
	user: SessionUser,
	jobId: string,
	ownJob: OwnJobLookup = jobEditableBy
): Promise<Job> {
	try {
		return await ownJob(tx, user, jobId, { lock: true });
	} catch (error) {
		const technicianId = technicianScope(user);
		if (!(error instanceof Refusal) || error.kind !== 'not_found' || technicianId === null) {
			throw error;
		}
		const former = await formerJob(tx, user.stationId, jobId, technicianId);
		if (!former) throw error;
		const { job, takenOver } = former;
		if (job.verifiedAt) {
			throw refusal(
				'FORBIDDEN',
				`Job ${job.jobNo} has been verified by a supervisor and can no longer be changed.`,
				'job_verified',
				{ jobNo: job.jobNo }
			);
		}
		if (job.status === 'cancelled') {
			throw refusal(
				'BAD_REQUEST',
				`Job ${job.jobNo} is cancelled, so your offline work on it was not applied.`,
				'job_cancelled',
				{ jobNo: job.jobNo }
			);
		}
		if (takenOver) {
			throw refusal(
				'CONFLICT',
				`Job ${job.jobNo} was reassigned, and its new technician has already worked on it.`,
				'reassigned_job_taken_over',
				{ jobNo: job.jobNo }
			);
		}
		await recordOverlap(tx, job, technicianId);
		return job;
	}
}

/**
 * The job, locked, if it was once assigned to `technicianId` (its history names them as a
 * technician it was taken from), and whether its current technician has recorded anything on
 * it since it was last given to them: a changed value, a part line or a follow-up.
 */
async function formerJob(
	tx: Transaction,
	stationId: string,
	jobId: string,
	technicianId: string
): Promise<{ job: Job; takenOver: boolean } | null> {
	const [found] = await queryRows<{ id: string; takenOver: boolean }>(
		tx,
		sql`SELECT j.id::text AS id, (
				EXISTS (SELECT 1 FROM job_history h
					WHERE h.station_id = j.station_id AND h.job_id = j.id
						AND h.changed_by = j.technician_id AND h.changed_at >= given.at)
				OR EXISTS (SELECT 1 FROM job_parts p
					WHERE p.station_id = j.station_id AND p.job_id = j.id
						AND p.created_by = j.technician_id AND p.created_at >= given.at)
				OR EXISTS (SELECT 1 FROM follow_ups f
					WHERE f.station_id = j.station_id AND f.job_id = j.id
						AND f.user_id = j.technician_id AND f.created_at >= given.at)
			) AS "takenOver"
			FROM jobs j
			CROSS JOIN LATERAL (
				SELECT coalesce(max(h.changed_at), '-infinity') AS at FROM job_history h
				WHERE h.station_id = j.station_id AND h.job_id = j.id AND h.field = 'technician_id'
					AND h.new_value = to_jsonb(j.technician_id::text)
			) given
			WHERE j.station_id = ${stationId}::uuid AND j.id = ${jobId}::uuid
				AND j.technician_id IS DISTINCT FROM ${technicianId}::uuid
				AND EXISTS (SELECT 1 FROM job_history h
					WHERE h.station_id = j.station_id AND h.job_id = j.id AND h.field = 'technician_id'
						AND h.old_value = to_jsonb(${technicianId}::text))
			FOR NO KEY UPDATE OF j`
	);
	if (!found) return null;
	const [job] = await tx
		.select()
		.from(jobs)
		.where(sql`${jobs.stationId} = ${stationId}::uuid AND ${jobs.id} = ${jobId}::uuid`);
	return { job, takenOver: found.takenOver };
}

/**
 * Lists the job for the desk: one row per job and technician; new work after the desk let the
 * new assignment stand opens it again, so the desk sees that more arrived.
 */
async function recordOverlap(tx: Transaction, job: Job, technicianId: string): Promise<void> {
	await tx.execute(sql`
		INSERT INTO job_overlaps (station_id, job_id, technician_id)
		VALUES (${job.stationId}::uuid, ${job.id}::uuid, ${technicianId}::uuid)
		ON CONFLICT (station_id, job_id, technician_id) DO UPDATE
			SET detected_at = now(), resolved_at = NULL, resolved_by = NULL, resolution = NULL
			WHERE job_overlaps.resolved_at IS NOT NULL`);
}
