/**
 * Enumerations and constants of honest numbers (issue 13, docs/kpi-rules.md): who recorded a
 * follow-up, how a visit step's time was entered, the flags that lower record accuracy, appeals
 * and the KPI exclusions they grant. Apart from domain.ts for the phone's script budget (see
 * desk-domain.ts); import these where needed, types cost nothing.
 */

/**
 * Who recorded a follow-up. Only follow-ups recorded by someone other than the scored technician
 * count for satisfaction, resolution and the follow-up rate: the desk's or a supervisor's call,
 * the customer's own survey answer, or an import. A technician's own follow-up is kept as notes.
 */
export const FOLLOW_UP_SOURCES = ['technician', 'desk', 'supervisor', 'survey', 'import'] as const;
export type FollowUpSource = (typeof FOLLOW_UP_SOURCES)[number];
export const SCORED_FOLLOW_UP_SOURCES = ['desk', 'supervisor', 'survey', 'import'] as const;

/** The visit steps whose times a technician records. */
export const JOB_STEPS = ['arrived', 'started', 'completed'] as const;
export type JobStep = (typeof JOB_STEPS)[number];

/**
 * How a step's time was entered: a one-tap stamp with the device's clock, typed by hand
 * (a correction, or a time chosen on the form), or brought by an import.
 */
export const STEP_ENTRIES = ['tap', 'typed', 'import'] as const;
export type StepEntry = (typeof STEP_ENTRIES)[number];

/**
 * Flags a completed job's times may carry beyond kpi.md's own (missing_arrival, missing_start,
 * out_of_order, long_repair): each makes the job not clean, so it lowers record accuracy, until a
 * supervisor accepts it with a reason.
 * - typed_time: a step's time was typed by hand, not stamped with one tap;
 * - late_entry: a step's time is more than LATE_ENTRY_MINUTES away from the device's clock when
 *   it was recorded (set long after, or before, the fact);
 * - same_minute: arrival, start and completion all within one minute;
 * - too_fast: repair shorter than its category's floor_minutes.
 */
export const TIME_FLAGS = ['typed_time', 'late_entry', 'same_minute', 'too_fast'] as const;
export type TimeFlag = (typeof TIME_FLAGS)[number];
export const LATE_ENTRY_MINUTES = 120;

/**
 * How far ahead of the server's clock a device's time may be (its clock drifts) before a step
 * or a follow-up dated then is refused as being in the future.
 */
export const CLOCK_SKEW_TOLERANCE_SECONDS = 300;

/** What a technician may appeal on their own job. */
export const APPEAL_SUBJECTS = ['rework', 'flag'] as const;
export type AppealSubject = (typeof APPEAL_SUBJECTS)[number];
export const APPEAL_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

/**
 * The KPIs an accepted appeal can take a job out of (numerator and denominator): a rework
 * appeal the repair success rate, a flag appeal the record accuracy.
 */
export const EXCLUDABLE_KPIS = ['repair_success_rate', 'record_accuracy'] as const;
export type ExcludableKpi = (typeof EXCLUDABLE_KPIS)[number];
