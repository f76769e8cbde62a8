import { refusal } from '../refusal';
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { jobs, type Job } from '../db/schema';
import type { SessionUser } from '../auth/session-user';

export interface JobLookup {
	/**
	 * Lock the row until the transaction ends (FOR NO KEY UPDATE, as an UPDATE would), so
	 * the checks made on it still hold when the change is written.
	 */
	lock?: boolean;
}

/**
 * The job if this user may see it: technicians their own, supervisors and admins their
 * station's. Anything else is NOT_FOUND, so ids of other people's jobs reveal nothing.
 */
export async function jobVisibleTo(
	db: Queryable,
	user: SessionUser,
	jobId: string,
	lookup: JobLookup = {}
): Promise<Job> {
	const query = db
		.select()
		.from(jobs)
		.where(and(eq(jobs.stationId, user.stationId), eq(jobs.id, jobId)))
		.limit(1);
	const [job] = lookup.lock ? await query.for('no key update') : await query;
	if (!job || (user.role === 'technician' && job.technicianId !== user.id)) {
		throw refusal('NOT_FOUND', `Job ${jobId} was not found.`, 'job_not_found');
	}
	return job;
}

/** The job if this user may change it: visible, and for technicians not yet verified. */
export async function jobEditableBy(
	db: Queryable,
	user: SessionUser,
	jobId: string,
	lookup: JobLookup = {}
): Promise<Job> {
	const job = await jobVisibleTo(db, user, jobId, lookup);
	if (user.role === 'technician' && job.verifiedAt) {
		throw refusal(
			'FORBIDDEN',
			`Job ${job.jobNo} has been verified by a supervisor and can no longer be changed.`,
			'job_verified',
			{ jobNo: job.jobNo }
		);
	}
	return job;
}

/** jobVisibleTo as a condition on `jobs`: a technician's own; the caller adds the station. */
export function visibleJobCondition(user: SessionUser): SQL | undefined {
	return user.role === 'technician' ? eq(jobs.technicianId, user.id) : undefined;
}

/**
 * jobEditableBy as a condition on `jobs`, for changes made in one statement: a technician's
 * own unverified jobs; anyone else's scope is the station (added by the caller).
 */
export function editableJobCondition(user: SessionUser): SQL | undefined {
	return user.role === 'technician'
		? and(eq(jobs.technicianId, user.id), isNull(jobs.verifiedAt))
		: undefined;
}

/** Refuses technicians: assignment and verification belong to supervisors (and admins). */
export function requireSupervisor(user: SessionUser, action: string): void {
	if (user.role === 'technician') {
		throw refusal(
			'FORBIDDEN',
			`Only a supervisor can ${action}; you are signed in as a technician.`,
			'supervisor_only'
		);
	}
}

/**
 * The job ids of bulk inputs, to repeat as a list beside a join on a recordset: the planner
 * then fetches just these jobs by key rather than hashing all of a technician's jobs (it
 * cannot count a recordset's rows).
 */
export function jobIdsOf(inputs: readonly { jobId: string }[]): string[] {
	return inputs.map((input) => input.jobId);
}
