/**
 * Who may see and who may change which job, each rule stated once, as a condition on `jobs`:
 * the services check rows with it, and the push's bulk statements (sync/bulk), the pull and the
 * KPI drill-down put the same condition in their SQL. jobs/access.test.ts holds every path to it.
 */
import { refusal } from '../refusal';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { jobs, type Job } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { isSupervisor } from '../../shared/domain';

interface JobLookup {
	/**
	 * Lock the row until the transaction ends (FOR NO KEY UPDATE, as an UPDATE would), so
	 * the checks made on it still hold when the change is written.
	 */
	lock?: boolean;
}

/**
 * The technician whose jobs this user is limited to, or null for a user who sees every job of
 * their station (supervisors, station administrators). The one statement of a technician's
 * scope: services, the push's bulk statements, the pull and the KPI drill-down all ask here
 * (directly or through visibleJobCondition).
 */
export function technicianScope(user: SessionUser): string | null {
	return user.role === 'technician' ? user.id : null;
}

/** The jobs of the station this user may see, as a condition on `jobs`; the caller adds the station. */
export function visibleJobCondition(user: SessionUser): SQL | undefined {
	const technicianId = technicianScope(user);
	return technicianId === null ? undefined : eq(jobs.technicianId, technicianId);
}

/**
 * The one statement of "may change this job", as a condition on `jobs` (the caller adds the
 * station): a job this user sees, and for a technician one a supervisor has not verified yet.
 * For a user who may change no job (mayChangeJobs) nothing matches, so a bulk statement applies
 * nothing and the push falls back to the services, which say why (requireJobWorker).
 */
export function editableJobCondition(user: SessionUser): SQL | undefined {
	if (!mayChangeJobs(user)) return sql`false`;
	const unverifiedIfOwn = technicianScope(user) === null ? undefined : isNull(jobs.verifiedAt);
	return and(visibleJobCondition(user), unverifiedIfOwn);
}

/**
 * The job if this user may see it (visibleJobCondition), and whether they may change it
 * (editableJobCondition). Anything else is NOT_FOUND, so ids of other people's jobs reveal nothing.
 */
async function findJob(
	db: Queryable,
	user: SessionUser,
	jobId: string,
	lookup: JobLookup
): Promise<{ job: Job; editable: boolean }> {
	const editable = editableJobCondition(user) ?? sql`true`;
	const query = db
		.select({ job: jobs, editable: sql<boolean>`(${editable})` })
		.from(jobs)
		.where(and(eq(jobs.stationId, user.stationId), eq(jobs.id, jobId), visibleJobCondition(user)))
		.limit(1);
	const [found] = lookup.lock ? await query.for('no key update') : await query;
	if (!found) throw refusal('NOT_FOUND', `Job ${jobId} was not found.`, 'job_not_found');
	return found;
}

/** The job if this user may see it: technicians their own, everyone else their station's. */
export async function jobVisibleTo(
	db: Queryable,
	user: SessionUser,
	jobId: string,
	lookup: JobLookup = {}
): Promise<Job> {
	return (await findJob(db, user, jobId, lookup)).job;
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

/** The job if this user may change it (editableJobCondition), or the reason they may not. */
export async function jobEditableBy(
	db: Queryable,
	user: SessionUser,
	jobId: string,
	lookup: JobLookup = {}
): Promise<Job> {
	requireJobWorker(user);
	const { job, editable } = await findJob(db, user, jobId, lookup);
	// A job this worker sees but may not change is one a supervisor has verified.
	if (!editable) {
		throw refusal(
			'FORBIDDEN',
			`Job ${job.jobNo} has been verified by a supervisor and can no longer be changed.`,
			'job_verified',
			{ jobNo: job.jobNo }
		);
	}
	return job;
}

/** Refuses everyone but supervisors (isSupervisor), with a reason for their language. */
export function requireSupervisor(user: SessionUser, action: string): void {
	if (isSupervisor(user)) return;
	requireJobWorker(user);
	throw refusal(
		'FORBIDDEN',
		`Only a supervisor can ${action}; you are signed in as a technician.`,
		'supervisor_only'
	);
}
