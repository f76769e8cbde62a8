/**
 * Closed periods (docs/kpi-rules.md, "Closed periods"): the inputs of closing and reopening a
 * month, and what a scorecard of a closed month says about itself: who closed it and when, the
 * settings it was scored with, and the later edits to its jobs that it does not show. Apart from
 * domain.ts and schemas.ts, which every page loads (the phone's budget); only supervisor pages
 * and the server import this.
 */
import { z } from 'zod';
import { kpiSettingsSchema } from './kpi-settings';

/** A calendar month, 'YYYY-MM', the only period a supervisor closes. */
export const closeMonthInputSchema = z.object({
	month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM')
});
export type CloseMonthInput = z.infer<typeof closeMonthInputSchema>;

/** Longest reopening reason: a sentence or two, like a reassignment's reason. */
export const REOPEN_REASON_MAX = 500;

export const reopenPeriodInputSchema = z.object({
	closureId: z.uuid('closureId must be a closure id (UUID)'),
	reason: z
		.string()
		.trim()
		.min(1, 'a reason is required')
		.max(REOPEN_REASON_MAX, `at most ${REOPEN_REASON_MAX} characters`)
});
export type ReopenPeriodInput = z.infer<typeof reopenPeriodInputSchema>;

/** The settings a closed period was scored with (period_closures.settings, version 1). */
export const closedSettingsSchema = z.object({
	version: z.literal(1),
	kpiSettings: kpiSettingsSchema,
	reworkWindowDays: z.number().int(),
	minJobsForRanking: z.number().int()
});
export type ClosedSettings = z.infer<typeof closedSettingsSchema>;

/**
 * What an edit made after closing touched on a job of the closed period:
 * - job_changed: a value of the job itself (detail: the field, e.g. completed_at, outcome);
 * - job_added: a job recorded after closing, completed within the period;
 * - follow_up / part: a follow-up or part line added or changed (detail: the part's SKU);
 * - follow_up_removed / part_removed: one deleted;
 * - flag_accepted (detail: the flag), kpi_excluded (detail: the KPI): a supervisor's decision;
 * - rework_linked / rework_unlinked: a job linked to (or unlinked from) this one as its rework,
 *   detail: that job's number; rework_detected: a later job of the same serial within the
 *   rework window, detail: its number.
 */
export const PERIOD_CHANGE_KINDS = [
	'job_changed',
	'job_added',
	'follow_up',
	'follow_up_removed',
	'part',
	'part_removed',
	'flag_accepted',
	'kpi_excluded',
	'rework_linked',
	'rework_unlinked',
	'rework_detected'
] as const;
export type PeriodChangeKind = (typeof PERIOD_CHANGE_KINDS)[number];

export const periodChangeSchema = z.object({
	jobId: z.string(),
	jobNo: z.string(),
	kind: z.enum(PERIOD_CHANGE_KINDS),
	detail: z.string().nullable(),
	/** ISO 8601; null where only "after closing" is known (a line changed in place). */
	at: z.string().nullable(),
	/** Who made the edit; null for imports, deletions and the server's own detection. */
	by: z.string().nullable()
});
export type PeriodChange = z.infer<typeof periodChangeSchema>;

/** At most this many changes are listed, newest first; `changesTotal` counts them all. */
export const PERIOD_CHANGES_LISTED = 300;

/** A closed period as its scorecard labels it. */
export const periodClosureViewSchema = z.object({
	id: z.uuid(),
	from: z.string(),
	to: z.string(),
	closedBy: z.string(),
	/** ISO 8601. */
	closedAt: z.string(),
	settings: closedSettingsSchema,
	changes: z.array(periodChangeSchema),
	changesTotal: z.number().int()
});
export type PeriodClosureView = z.infer<typeof periodClosureViewSchema>;
