import { refusal } from '../refusal';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
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
 * The job if this user may see it: technicians their own, supervisors and station
 * administrators their station's. Anything else is NOT_FOUND, so ids of other people's jobs reveal nothing.
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

/**
 * Whether this user may change jobs at all: a station administrator reads the station's jobs
 * but records, assigns, verifies and follows up nothing (roles.md); a system administrator
 * never reaches job work (trpc/core.ts authedProcedure) but is named here so no path forgets.
 */
export function mayChangeJobs(user: SessionUser): boolean {
	return user.role === 'technician' || user.role === 'supervisor';
}

/** Refuses a user who may not change jobs (mayChangeJobs), with a reason for their language. */
export function requireJobWorker(user: SessionUser): void {
	if (!mayChangeJobs(user)) {
		throw refusal(
			'FORBIDDEN',
			'A station administrator reads jobs but cannot change them; ask a supervisor.',
			'station_admin_read_only'
		);
	}
}

/** The job if this user may change it: visible, and for technicians not yet verified. */
export async function jobEditableBy(
	db: Queryable,
	user: SessionUser,
	jobId: string,
	lookup: JobLookup = {}
): Promise<Job> {
	requireJobWorker(user);
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
 * own unverified jobs; a supervisor's scope is the station (added by the caller). For anyone
 * else no job matches, so the bulk statement applies nothing and the push falls back to the
 * single appliers, which say why (requireJobWorker).
 */
export function editableJobCondition(user: SessionUser): SQL | undefined {
	if (!mayChangeJobs(user)) return sql`false`;
	return user.role === 'technician'
		? and(eq(jobs.technicianId, user.id), isNull(jobs.verifiedAt))
		: undefined;
}

/** Refuses everyone but supervisors: assignment and verification are theirs alone. */
export function requireSupervisor(user: SessionUser, action: string): void {
	requireJobWorker(user);
	if (user.role === 'technician') {
		throw refusal(
			'FORBIDDEN',
			`Only a supervisor can ${action}; you are signed in as a technician.`,
			'supervisor_only'
		);
	}
}
