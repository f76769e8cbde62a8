/**
 * Who may see and who may change which job, each rule stated once, as a condition on `jobs`:
 * the services check rows with it, and the push's bulk statements (sync/bulk), the pull and the
 * KPI drill-down put the same condition in their SQL. jobs/access.test.ts holds every path to it;
 * the region manager's scope (regionReaderOf) is walked by kpi/region-drill-down.test.ts.
 */
import { refusal } from '../refusal';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { jobs, regionStations, stations, type Job } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { isSupervisor, worksTheDesk } from '../../shared/roles';

interface JobLookup {
	/**
	 * Lock the row until the transaction ends (FOR NO KEY UPDATE, as an UPDATE would), so
	 * the checks made on it still hold when the change is written.
	 */
	lock?: boolean;
}

/**
 * The technician whose jobs this user is limited to, or null for a user who sees every job of
 * their station (the desk, supervisors, station administrators: roles.md "Read jobs"). The one statement of a technician's
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
 * The one statement of "may record on this job" (visit steps, parts, notes), as a condition on
 * `jobs` (the caller adds the station): a job this user sees, and for a technician one a
 * supervisor has not verified yet. For a user who records no visits (recordsVisits) nothing
 * matches, so a bulk statement applies nothing and the push falls back to the services, which
 * say why (requireVisitRecorder) or apply what that user may do (the desk's corrections).
 */
export function editableJobCondition(user: SessionUser): SQL | undefined {
	if (!recordsVisits(user)) return sql`false`;
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
 * roles.md, "Record visit steps (arrived, started, completed), parts, notes": technicians (their
 * own jobs) and supervisors. The desk dispatches and corrects but records no visit; a station
 * administrator reads the station's jobs and changes none; a system administrator never reaches
 * job work (trpc/core.ts authedProcedure) but is named here so no path forgets.
 */
export function recordsVisits(user: SessionUser): boolean {
	return user.role === 'technician' || user.role === 'supervisor';
}

/** A station id as the database stores it; any other text names no station (and no SQL error). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * roles.md, "Read jobs: region (read only)": a region manager reads the jobs of the stations a
 * system administrator assigned to them (region_stations), and of no other. The one statement
 * of that scope: the manager as a reader of one station of their region, the user every
 * station service scopes by (its station, and no technician's limit: technicianScope is null),
 * whose role keeps every write refused (recordsVisits, requireDesk, requireSupervisor). A
 * station outside the region is NOT_FOUND like a missing one, and nothing of it is read, so
 * neither it nor any job of it is revealed.
 */
export async function regionReaderOf(
	db: Queryable,
	user: SessionUser,
	stationId: string
): Promise<SessionUser> {
	if (user.role !== 'region_manager') {
		throw refusal('FORBIDDEN', 'Only a region manager reads the region.', 'region_managers_only');
	}
	const [station] = UUID.test(stationId)
		? await db
				.select({
					id: stations.id,
					code: stations.code,
					name: stations.name,
					timeZone: stations.timeZone,
					reworkWindowDays: stations.reworkWindowDays
				})
				.from(regionStations)
				.innerJoin(stations, eq(stations.id, regionStations.stationId))
				.where(
					and(
						eq(regionStations.stationId, stationId),
						eq(regionStations.userStationId, user.stationId),
						eq(regionStations.userId, user.id)
					)
				)
		: [];
	if (!station) {
		throw refusal(
			'NOT_FOUND',
			`There is no station ${stationId} in the region.`,
			'region_station_unknown'
		);
	}
	return {
		...user,
		stationId: station.id,
		stationCode: station.code,
		stationName: station.name,
		timeZone: station.timeZone,
		reworkWindowDays: station.reworkWindowDays,
		recordPositions: false,
		completionRequiresSignature: false
	};
}

/** A region manager reads their region's jobs and changes none of them (roles.md). */
function regionManagerReadOnly() {
	return refusal(
		'FORBIDDEN',
		"A region manager reads the region's jobs but cannot change them.",
		'region_manager_read_only'
	);
}

/** A station administrator reads jobs and changes none of them (roles.md). */
function stationAdminReadOnly() {
	return refusal(
		'FORBIDDEN',
		'A station administrator reads jobs but cannot change them; ask a supervisor.',
		'station_admin_read_only'
	);
}

/** Refuses a user who records no visits (recordsVisits), with a reason for their language. */
export function requireVisitRecorder(user: SessionUser): void {
	if (recordsVisits(user)) return;
	if (user.role === 'dispatcher') {
		throw refusal(
			'FORBIDDEN',
			'The desk does not record visits, parts or notes; the technician does.',
			'desk_no_visit_steps'
		);
	}
	if (user.role === 'region_manager') throw regionManagerReadOnly();
	throw stationAdminReadOnly();
}

/**
 * roles.md, "Create a job", made on a device (id, number and reported time from the device):
 * a technician their own (walk-in, found on site), a supervisor for the station. The desk
 * creates jobs only from a call (jobs/intake.ts), whose reported time is the server's clock.
 */
export function requireDeviceJobCreator(user: SessionUser): void {
	if (user.role === 'dispatcher') {
		throw refusal(
			'FORBIDDEN',
			"The desk opens jobs from the call form, with the server's clock as the reported time.",
			'desk_opens_calls'
		);
	}
	requireVisitRecorder(user);
}

/**
 * The desk's work (roles.md: a job from a call, assigning, follow-up calls, the open-jobs
 * board, reworks, overlapping work): the desk and supervisors (shared/domain.ts worksTheDesk),
 * for their station. Every desk service asks here.
 */
export function requireDesk(user: SessionUser): void {
	if (worksTheDesk(user)) return;
	if (user.role === 'admin') throw stationAdminReadOnly();
	if (user.role === 'region_manager') throw regionManagerReadOnly();
	throw refusal('FORBIDDEN', 'Only the desk or a supervisor may do this.', 'desk_only');
}

/**
 * roles.md, "Follow-up call with satisfaction / resolved": the desk and supervisors; a
 * technician's contacts are kept too (a technician's follow-up is never scored, kpi.md).
 */
export function callsFollowUps(user: SessionUser): boolean {
	return user.role === 'dispatcher' || recordsVisits(user);
}

/** Refuses a user who records no follow-ups (callsFollowUps), with a reason for their language. */
export function requireFollowUpCaller(user: SessionUser): void {
	if (!callsFollowUps(user)) requireVisitRecorder(user);
}

/** The job if this user may record on it (editableJobCondition), or the reason they may not. */
export async function jobEditableBy(
	db: Queryable,
	user: SessionUser,
	jobId: string,
	lookup: JobLookup = {}
): Promise<Job> {
	requireVisitRecorder(user);
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

/**
 * roles.md, "Correct or cancel a job": a technician their own (jobEditableBy; the service adds
 * what completion forbids them), a supervisor the station's, the desk the station's before
 * completion. Anyone else is refused as requireVisitRecorder says.
 */
export async function jobCorrectableBy(
	db: Queryable,
	user: SessionUser,
	jobId: string,
	lookup: JobLookup = {}
): Promise<Job> {
	if (user.role !== 'dispatcher') return jobEditableBy(db, user, jobId, lookup);
	const job = await jobVisibleTo(db, user, jobId, lookup);
	if (job.status === 'completed') {
		throw refusal(
			'FORBIDDEN',
			`Job ${job.jobNo} is completed; the desk can correct or cancel a job only before completion.`,
			'desk_job_completed',
			{ jobNo: job.jobNo }
		);
	}
	return job;
}

/**
 * roles.md, "Verify a completed job", scorecards, periods and settings: supervisors only
 * (isSupervisor), everyone else refused with a reason for their language.
 */
export function requireSupervisor(user: SessionUser, action: string): void {
	if (isSupervisor(user)) return;
	if (user.role === 'dispatcher') {
		throw refusal(
			'FORBIDDEN',
			`Only a supervisor can ${action}; the desk cannot.`,
			'desk_supervisor_only'
		);
	}
	requireVisitRecorder(user);
	throw refusal(
		'FORBIDDEN',
		`Only a supervisor can ${action}; you are signed in as a technician.`,
		'supervisor_only'
	);
}

/**
 * roles.md, "Link a job as rework of an earlier one", as conditions on the linking job `n` and
 * the job it names `p` (table aliases in the caller's SQL, same station). The desk and
 * supervisors link any job of the station (the foreign key keeps it there). A technician links
 * only their own job (linkOwnCondition), reported before the new one, of the same device
 * (serial key, as kpi.md's rework detection compares serials) or the same customer (phone when
 * both jobs have one, else name): a link marks `p` as failed, so it must never reach a
 * colleague's job or one of the technician's own that the new job does not revisit.
 */
export function linkOwnCondition(user: SessionUser, p: SQL): SQL {
	const technicianId = technicianScope(user);
	return technicianId === null ? sql`true` : sql`${p}.technician_id = ${technicianId}::uuid`;
}

export function linkEarlierCondition(user: SessionUser, n: SQL, p: SQL): SQL {
	return technicianScope(user) === null ? sql`true` : sql`${p}.reported_at <= ${n}.reported_at`;
}

export function linkRelatedCondition(user: SessionUser, n: SQL, p: SQL): SQL {
	if (technicianScope(user) === null) return sql`true`;
	const phone = (j: SQL) => sql`btrim(${j}.customer_phone)`;
	const name = (j: SQL) => sql`lower(btrim(${j}.customer_name))`;
	return sql`((${p}.device_serial_key <> '' AND ${p}.device_serial_key = ${n}.device_serial_key)
		OR CASE WHEN ${phone(n)} <> '' AND ${phone(p)} <> '' THEN ${phone(p)} = ${phone(n)}
			ELSE ${name(n)} <> '' AND ${name(p)} = ${name(n)} END)`;
}

/** The three together: `p` may be named as the job `n` revisits by this user. */
export function linkableCondition(user: SessionUser, n: SQL, p: SQL): SQL {
	return sql`(${linkOwnCondition(user, p)} AND ${linkEarlierCondition(user, n, p)}
		AND ${linkRelatedCondition(user, n, p)})`;
}

/**
 * Before a job naming `previousJobId` is written: the earlier job must be one this user may
 * link at all. For a technician a job that is not theirs is NOT_FOUND whether or not it
 * exists (roles.md: another technician's job is not revealed).
 */
export async function requireLinkableOwner(
	db: Queryable,
	user: SessionUser,
	previousJobId: string
): Promise<void> {
	if (technicianScope(user) === null) return;
	const [found] = await db
		.select({ id: jobs.id })
		.from(jobs)
		.where(
			and(
				eq(jobs.stationId, user.stationId),
				eq(jobs.id, previousJobId),
				linkOwnCondition(user, sql`${jobs}`)
			)
		)
		.limit(1);
	if (!found) {
		throw refusal(
			'NOT_FOUND',
			`Job ${previousJobId} is not one of your jobs; the desk links jobs across technicians.`,
			'previous_job_not_own'
		);
	}
}

/**
 * After a job naming an earlier job was written (in the same transaction): the reason this
 * user may not link them, if any (linkableCondition). Checked on the written rows so both
 * serials are compared by the same generated key the KPI engine uses.
 */
export async function requireLinkable(
	db: Queryable,
	user: SessionUser,
	jobId: string
): Promise<void> {
	if (technicianScope(user) === null) return;
	const n = sql`n`;
	const p = sql`p`;
	const [link] = await queryRows<{ jobNo: string; earlier: boolean; related: boolean }>(
		db,
		sql`SELECT p.job_no AS "jobNo", ${linkEarlierCondition(user, n, p)} AS earlier,
				${linkRelatedCondition(user, n, p)} AS related
			FROM ${jobs} n JOIN ${jobs} p ON p.station_id = n.station_id AND p.id = n.previous_job_id
			WHERE n.station_id = ${user.stationId}::uuid AND n.id = ${jobId}::uuid`
	);
	if (!link) return;
	if (!link.earlier) {
		throw refusal(
			'BAD_REQUEST',
			`Job ${link.jobNo} was not reported before this job, so this job cannot revisit it.`,
			'previous_job_not_earlier',
			{ jobNo: link.jobNo }
		);
	}
	if (!link.related) {
		throw refusal(
			'BAD_REQUEST',
			`Job ${link.jobNo} is neither the same device (serial) nor the same customer as this job.`,
			'previous_job_unrelated',
			{ jobNo: link.jobNo }
		);
	}
}
