/** Enumerations of the domain, shared by the database schema, zod schemas and the UI. */
/**
 * `dispatcher` is the station desk (信息员/客服): takes customers' calls, opens and dispatches
 * jobs, calls customers back. `admin` manages its own station's accounts; `system_admin`
 * manages every station and account and is created only from the command line (roles.md).
 * `region_manager` reads the stations a system administrator assigned to them (region_stations),
 * side by side and each station's scorecard, and changes nothing.
 * The order is the database enum's (new values are appended by migrations).
 */
export const USER_ROLES = [
	'technician',
	'supervisor',
	'admin',
	'system_admin',
	'dispatcher',
	'region_manager'
] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const JOB_STATUSES = ['open', 'in_progress', 'completed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_OUTCOMES = ['fixed', 'not_fixed'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

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
	/**
	 * The smallest sample each KPI is scored on (docs/kpi-rules.md "Minimum samples"); below it
	 * the KPI is "too few" and carries no weight. Absent in settings stored before issue 13:
	 * read as the defaults.
	 */
	minimums: Record<ScoredKpi, number>;
}
