/**
 * What `sync.pull` sends (shared/sync.ts has the rest of the protocol): each synced table's
 * record, and the answer. Apart from sync.ts so that the phone loads these schemas only with
 * the pull (client/pull-columns.ts): sync.ts is part of its first load.
 */
import { z } from 'zod/mini';
import { followUpChannelSchema, jobOutcomeSchema, jobStatusSchema } from './schemas';
import type { JobOrigin, JobUrgency } from './desk-domain';

const timestamp = z.date();
const nullableTimestamp = z.nullable(z.date());

export const jobRecordSchema = z.object({
	id: z.uuid(),
	jobNo: z.string(),
	/** Null on a supervisor's device for a job the desk has not dispatched yet. */
	technicianId: z.nullable(z.uuid()),
	customerName: z.string(),
	customerPhone: z.string(),
	customerAddress: z.string(),
	productModel: z.string(),
	deviceSerial: z.string(),
	faultCategoryId: z.nullable(z.uuid()),
	faultDescription: z.string(),
	reportedAt: timestamp,
	arrivedAt: nullableTimestamp,
	startedAt: nullableTimestamp,
	completedAt: nullableTimestamp,
	status: jobStatusSchema,
	outcome: z.nullable(jobOutcomeSchema),
	previousJobId: z.nullable(z.uuid()),
	notes: z.string(),
	verifiedAt: nullableTimestamp,
	updatedAt: timestamp,
	/** Who opened the job: the technician on site, the desk taking a call, or an import. */
	// Not checked against the lists on the phone (its script budget is tight): the database's
	// enums already hold them.
	origin: z.custom<JobOrigin>(),
	urgency: z.custom<JobUrgency>(),
	/** Server time of the latest (re)assignment; null for jobs assigned before it was kept. */
	assignedAt: nullableTimestamp,
	/**
	 * The job is open and reached its technician by dispatch: the desk opened it, or someone
	 * other than its technician saved it and gave it to them. The phone marks such a job new
	 * until it is opened there.
	 */
	dispatched: z.boolean()
});
export type JobRecord = z.infer<typeof jobRecordSchema>;

export const jobPartRecordSchema = z.object({
	id: z.uuid(),
	jobId: z.uuid(),
	partId: z.uuid(),
	qty: z.string(),
	unitCost: z.string(),
	createdAt: timestamp
});
export type JobPartRecord = z.infer<typeof jobPartRecordSchema>;

export const followUpRecordSchema = z.object({
	id: z.uuid(),
	jobId: z.uuid(),
	userId: z.nullable(z.uuid()),
	visitedAt: timestamp,
	channel: followUpChannelSchema,
	satisfaction: z.nullable(z.number().check(z.int(), z.gte(1), z.lte(5))),
	issueResolved: z.nullable(z.boolean()),
	comment: z.string()
});
export type FollowUpRecord = z.infer<typeof followUpRecordSchema>;

export const partRecordSchema = z.object({
	id: z.uuid(),
	sku: z.string(),
	name: z.string(),
	unitCost: z.string(),
	unit: z.string(),
	active: z.boolean()
});
export type PartRecord = z.infer<typeof partRecordSchema>;

export const faultCategoryRecordSchema = z.object({
	id: z.uuid(),
	code: z.string(),
	name: z.string(),
	standardMinutes: z.number().check(z.int()),
	active: z.boolean()
});
export type FaultCategoryRecord = z.infer<typeof faultCategoryRecordSchema>;

export const pullOutputSchema = z.object({
	cursor: z.string(),
	/** This client's last processed mutation id, as of the same snapshot as the changes. */
	lastMutationId: z.number().check(z.int(), z.nonnegative()),
	/** True when the device must drop its copy and take this pull as the whole truth. */
	reset: z.boolean(),
	changes: z.object({
		jobs: z.array(jobRecordSchema),
		jobParts: z.array(jobPartRecordSchema),
		followUps: z.array(followUpRecordSchema),
		parts: z.array(partRecordSchema),
		faultCategories: z.array(faultCategoryRecordSchema)
	}),
	/**
	 * Ids that are gone for this device: deleted, or (jobs, with their part lines and
	 * follow-ups) reassigned to someone else.
	 */
	deletes: z.object({
		jobs: z.array(z.uuid()),
		jobParts: z.array(z.uuid()),
		followUps: z.array(z.uuid()),
		parts: z.array(z.uuid()),
		faultCategories: z.array(z.uuid())
	})
});
export type PullOutput = z.infer<typeof pullOutputSchema>;
