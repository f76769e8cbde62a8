/**
 * Enumerations of the station desk (issue 12), shared by the database schema, the desk's schemas
 * and pages. Apart from domain.ts on purpose: domain.ts travels with shared/schemas.ts into the
 * code every page loads, the phone's included (vite.config.ts, scripts/size-budget.mjs), and
 * these lists are only the desk's and the server's. Types cost nothing and may go anywhere.
 */

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
