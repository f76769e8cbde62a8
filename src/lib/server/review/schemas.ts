/** Inputs and outputs of the supervisor's review listings (tRPC `review.*`). */
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import { SCORED_KPIS } from '../../shared/domain';
import { JOB_FLAGS } from '../../shared/kpi';
import { addFollowUpSchema } from '../../shared/schemas';

const kpiKey = z.enum(SCORED_KPIS);
const count = z.number().int().min(0);
/** An instant as ISO 8601 in UTC ('2026-03-02T04:00:00.000Z'). */
const instant = z.iso.datetime();

const periodSchema = z.object({ from: z.string(), to: z.string() });

const kpiAlertSchema = z.discriminatedUnion('kind', [
	z.object({
		kind: z.literal('below_pass'),
		kpi: kpiKey,
		value: z.number(),
		pass: z.number(),
		excellent: z.number()
	}),
	z.object({
		kind: z.literal('sharp_drop'),
		kpi: kpiKey,
		value: z.number(),
		previous: z.number()
	})
]);

const technicianRefSchema = z.object({
	technicianId: z.string(),
	login: z.string(),
	name: z.string()
});

export const alertsReportSchema = z.object({
	period: periodSchema,
	/** The period before (shared/time/periods.ts comparisonPeriod): the base of the sharp-drop rule. */
	previousPeriod: periodSchema,
	minJobs: count,
	rule: z.object({ sharpRateDrop: z.number(), sharpRiseRatio: z.number() }),
	/** Technicians with enough jobs who have at least one alert, most alerts first. */
	technicians: z.array(
		technicianRefSchema.extend({
			jobsCompleted: count,
			previousJobsCompleted: count,
			alerts: z.array(kpiAlertSchema).min(1)
		})
	),
	/** How many technicians had enough jobs to be checked (with or without alerts). */
	checkedCount: count,
	/** Technicians with completed jobs in the period, but fewer than minJobs: never alerted. */
	insufficient: z.array(technicianRefSchema.extend({ jobsCompleted: count }))
});
export type AlertsReport = z.infer<typeof alertsReportSchema>;

export const followUpQueueInputSchema = z.object({
	page: z.number().int().min(1, 'page starts at 1').default(1),
	pageSize: z.number().int().min(1).max(100, 'at most 100 jobs per page').default(20)
});
export type FollowUpQueueInput = z.input<typeof followUpQueueInputSchema>;

export const queuedJobSchema = z.object({
	jobId: z.string(),
	jobNo: z.string(),
	completedAt: instant,
	outcome: z.enum(['fixed', 'not_fixed']),
	customerName: z.string(),
	customerPhone: z.string(),
	productModel: z.string(),
	faultCategoryName: z.string().nullable(),
	faultDescription: z.string(),
	technicianId: z.string(),
	technicianLogin: z.string(),
	technicianName: z.string()
});
export type QueuedJob = z.infer<typeof queuedJobSchema>;

export const followUpQueuePageSchema = z.object({
	/** Completed jobs without any follow-up, in the whole station. */
	total: count,
	page: z.number().int().min(1),
	pageSize: z.number().int().min(1),
	/** Oldest completion first. */
	jobs: z.array(queuedJobSchema)
});
export type FollowUpQueuePage = z.infer<typeof followUpQueuePageSchema>;

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Whether the fields name a real moment of the calendar ('2026-02-30T10:00' does not). */
function isRealDateTime(value: string): boolean {
	const match = LOCAL_DATE_TIME.exec(value);
	if (!match) return false;
	const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
	const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	return (
		year >= 1000 &&
		date.getUTCFullYear() === year &&
		date.getUTCMonth() === month - 1 &&
		date.getUTCDate() === day &&
		date.getUTCHours() === hour &&
		date.getUTCMinutes() === minute &&
		date.getUTCSeconds() === second
	);
}

/** A local date and time of the station, as a datetime-local field sends it. */
const localDateTimeSchema = z
	.string()
	.trim()
	.regex(LOCAL_DATE_TIME, 'must be a local date and time written YYYY-MM-DDTHH:mm')
	.refine(isRealDateTime, 'must be a real date and time');

/**
 * A follow-up call recorded from the queue. Like followUps.add, but the time is the station's
 * local time as the supervisor reads it off the clock, converted by Postgres in the station's
 * time zone.
 */
export const recordFollowUpSchema = zm.extend(zm.omit(addFollowUpSchema, { visitedAt: true }), {
	visitedAt: localDateTimeSchema
});
export type RecordFollowUpInput = z.infer<typeof recordFollowUpSchema>;

const flaggedJobSchema = z.object({
	jobId: z.string(),
	jobNo: z.string(),
	reportedAt: instant,
	arrivedAt: instant.nullable(),
	startedAt: instant.nullable(),
	completedAt: instant,
	repairMinutes: z.number().min(0).nullable(),
	flags: z.array(z.enum(JOB_FLAGS)).min(1)
});

export const qualityGroupSchema = technicianRefSchema.extend({
	jobsCompleted: count,
	flaggedJobs: count,
	/** Jobs carrying each flag; a job may carry several, so these can add up to more. */
	flagCounts: z.object(
		Object.fromEntries(JOB_FLAGS.map((flag) => [flag, count])) as Record<
			(typeof JOB_FLAGS)[number],
			typeof count
		>
	),
	jobs: z.array(flaggedJobSchema).min(1)
});
export type QualityGroup = z.infer<typeof qualityGroupSchema>;

export const dataQualityReportSchema = z.object({
	period: periodSchema,
	/** Technicians with at least one flagged job, most flagged jobs first. */
	groups: z.array(qualityGroupSchema)
});
export type DataQualityReport = z.infer<typeof dataQualityReportSchema>;
