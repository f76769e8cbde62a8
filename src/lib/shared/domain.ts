/** Enumerations of the domain, shared by the database schema, zod schemas and the UI. */
/**
 * `dispatcher` is the station desk (信息员/客服): takes customers' calls, opens and dispatches
 * jobs, calls customers back. `admin` manages its own station's accounts; `system_admin`
 * manages every station and account and is created only from the command line (roles.md).
 * The order is the database enum's (new values are appended by migrations).
 */
export const USER_ROLES = [
	'technician',
	'supervisor',
	'admin',
	'system_admin',
	'dispatcher'
] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * The supervisor rule (roles.md): scores, alerts, follow-up calls, settings, assigning and
 * verifying jobs are supervisors' alone. Services (jobs/access.ts requireSupervisor), server
 * pages (routes/access.ts) and the pages' browser loads all ask here.
 */
export function isSupervisor(user: { role: UserRole }): boolean {
	return user.role === 'supervisor';
}

/**
 * The desk rule (roles.md): taking calls (creating jobs for the station with the server's
 * clock as reported time), assigning and reassigning jobs with a reason, and follow-up calls
 * are the desk's and the supervisors' (supervisors can do everything the desk does).
 */
export function worksTheDesk(user: { role: UserRole }): boolean {
	return user.role === 'dispatcher' || user.role === 'supervisor';
}

/**
 * Who reads any job of the station on the job pages (roles.md): the desk, supervisors and
 * station administrators. A technician reads only their own jobs, in the technician app.
 */
export function readsStationJobs(user: { role: UserRole }): boolean {
	return user.role === 'supervisor' || user.role === 'admin' || user.role === 'dispatcher';
}

export const JOB_STATUSES = ['open', 'in_progress', 'completed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_OUTCOMES = ['fixed', 'not_fixed'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

/**
 * How a job came to be: opened by the desk from a customer's call (its reported time is the
 * server's clock when the desk saved it), by a technician on site (walk-in, found on site), or
 * by a spreadsheet import. Jobs made before the desk existed are `technician`.
 */
export const JOB_ORIGINS = ['technician', 'desk', 'import'] as const;
export type JobOrigin = (typeof JOB_ORIGINS)[number];

export const JOB_URGENCIES = ['normal', 'urgent'] as const;
export type JobUrgency = (typeof JOB_URGENCIES)[number];

/** What a follow-up call (回访) came to; only a `reached` call is a follow-up (kpi.md). */
export const FOLLOW_UP_CALL_OUTCOMES = ['reached', 'no_answer', 'refused', 'wrong_number'] as const;
export type FollowUpCallOutcome = (typeof FOLLOW_UP_CALL_OUTCOMES)[number];

export const FOLLOW_UP_CHANNELS = ['phone', 'onsite', 'sms', 'other'] as const;
export type FollowUpChannel = (typeof FOLLOW_UP_CHANNELS)[number];

/** KPIs that can carry thresholds and a weight (kpi.md, "Scoring"). */
export const SCORED_KPIS = [
	'repair_success_rate',
	'avg_response_hours',
	'duration_index',
	'csat',
	'follow_up_rate',
	'record_accuracy',
	'parts_cost_per_job'
] as const;
export type ScoredKpi = (typeof SCORED_KPIS)[number];

export interface KpiThreshold {
	pass: number;
	excellent: number;
}

export interface KpiSettings {
	/** Absent or null: the KPI is not scored. */
	thresholds: Partial<Record<ScoredKpi, KpiThreshold | null>>;
	weights: Record<ScoredKpi, number>;
}
