/** Inputs and outputs of the supervisor's review listings (tRPC `review.*`). */
import { z } from 'zod';
import { SCORED_KPIS } from '../../shared/domain';
import { JOB_FLAGS } from '../../shared/kpi';

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
	insufficient: z.array(technicianRefSchema.extend({ jobsCompleted: count })),
	/** A closed month: who closed it and when (ISO 8601); its alerts are those of its stored numbers. */
	closed: z.object({ closedBy: z.string(), closedAt: z.string() }).nullable()
});
export type AlertsReport = z.infer<typeof alertsReportSchema>;

/** A flag a supervisor accepted with a reason (review/flag-acceptance.ts). */
export const acceptedFlagSchema = z.object({
	flag: z.enum(JOB_FLAGS),
	reason: z.string(),
	acceptedBy: z.string(),
	acceptedByName: z.string(),
	acceptedAt: instant
});

const flaggedJobSchema = z.object({
	jobId: z.string(),
	jobNo: z.string(),
	reportedAt: instant,
	arrivedAt: instant.nullable(),
	startedAt: instant.nullable(),
	completedAt: instant,
	repairMinutes: z.number().min(0).nullable(),
	/** Flags that lower record accuracy; empty when every flag of the job was accepted. */
	flags: z.array(z.enum(JOB_FLAGS)),
	/** Shown as accepted: they no longer lower record accuracy. */
	accepted: z.array(acceptedFlagSchema)
});

/** `review.acceptFlag`: a supervisor accepts a flag on a job of the station, with a reason. */
export const acceptFlagInputSchema = z.strictObject({
	jobId: z.uuid(),
	flag: z.enum(JOB_FLAGS),
	reason: z.string().trim().min(1).max(500)
});

export const qualityGroupSchema = technicianRefSchema.extend({
	jobsCompleted: count,
	flaggedJobs: count,
	/** Jobs carrying each (not accepted) flag; a job may carry several, so these can add up to more. */
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
	/** Technicians with at least one flagged job (or accepted flag), most flagged jobs first. */
	groups: z.array(qualityGroupSchema)
});
export type DataQualityReport = z.infer<typeof dataQualityReportSchema>;
