import { z } from 'zod';
import { z as zm } from 'zod/mini';
import { authedProcedure, router } from '../core';
import { assignJobSchema, listLimitSchema, newJobSchema } from '../../../shared/schemas';
import { signedCompletionSchema } from '../../../shared/signature';
import {
	callIntakeSchema,
	cancelJobSchema,
	earlierJobsLookupSchema
} from '../../../shared/call-schemas';
import {
	assignJob,
	cancelJob,
	completeJob,
	createJob,
	getJob,
	listJobs,
	verifyJob
} from '../../jobs/service';
import { dispatchTechnicians, lookupEarlierJobs, openJobFromCall } from '../../jobs/intake';
import { getJobDetail, jobHistoryEntrySchema, listJobHistory } from '../../jobs/history';
import { stepPositionsOfJob } from '../../jobs/positions';
import { getServiceReceipt } from '../../jobs/receipt';

export const jobsRouter = router({
	/** The signed-in technician's jobs (supervisors: the whole station's), newest first. */
	listMine: authedProcedure
		.input(z.object({ limit: listLimitSchema }).default({ limit: 100 }))
		.query(({ ctx, input }) => listJobs(ctx.db, ctx.user, { limit: input.limit })),
	list: authedProcedure
		.input(z.object({ technicianId: z.uuid().optional(), limit: listLimitSchema }))
		.query(({ ctx, input }) => listJobs(ctx.db, ctx.user, input)),
	get: authedProcedure
		.input(z.object({ id: z.uuid() }))
		.query(({ ctx, input }) => getJob(ctx.db, ctx.user, input.id)),
	/** The job with the names behind its ids (technician, verifier, category, previous job). */
	detail: authedProcedure
		.input(z.object({ id: z.uuid() }))
		.query(({ ctx, input }) => getJobDetail(ctx.db, ctx.user, input.id)),
	/**
	 * The job's overwritten values, newest first: for the station's supervisors and admins and
	 * the job's own technician (anyone else: NOT_FOUND).
	 */
	history: authedProcedure
		.input(z.object({ jobId: z.uuid() }))
		.output(z.array(jobHistoryEntrySchema))
		.query(({ ctx, input }) => listJobHistory(ctx.db, ctx.user, input.jobId)),
	/** Where the job's arrival and completion happened: the station's supervisors only. */
	positions: authedProcedure
		.input(z.object({ jobId: z.uuid() }))
		.query(({ ctx, input }) => stepPositionsOfJob(ctx.db, ctx.user, input.jobId)),
	/**
	 * The job's service receipt (服务单: customer, device, work, priced parts, times, the
	 * customer's signature): a technician their own jobs, the station's readers any of its jobs.
	 */
	receipt: authedProcedure
		.input(z.object({ jobId: z.uuid() }))
		.query(({ ctx, input }) => getServiceReceipt(ctx.db, ctx.user, input.jobId)),
	/**
	 * The desk and supervisors give a job to an active technician of the station; a
	 * reassignment needs a reason. The service writes in a transaction whose change context
	 * names the user and the reason, so the history shows who did it and why.
	 */
	assign: authedProcedure
		.input(assignJobSchema)
		.mutation(({ ctx, input }) => assignJob(ctx.db, ctx.user, input)),
	/** Cancels with a reason (the desk only before completion, a technician only their own). */
	cancel: authedProcedure
		.input(cancelJobSchema)
		.mutation(({ ctx, input }) => cancelJob(ctx.db, ctx.user, input)),
	/** The desk takes a call: a new job with the server's number and clock (jobs/intake.ts). */
	openFromCall: authedProcedure
		.input(callIntakeSchema)
		.mutation(({ ctx, input }) => openJobFromCall(ctx.db, ctx.user, input)),
	/** The station's earlier jobs of a phone number or serial prefix, as the desk types. */
	lookupEarlier: authedProcedure
		.input(earlierJobsLookupSchema)
		.query(({ ctx, input }) => lookupEarlierJobs(ctx.db, ctx.user, input)),
	/** Whom the desk can dispatch to: the station's active technicians. */
	dispatchTechnicians: authedProcedure.query(({ ctx }) => dispatchTechnicians(ctx.db, ctx.user)),
	/** Supervisors mark a completed job as checked; its technician can no longer change it. */
	verify: authedProcedure
		.input(z.object({ jobId: z.uuid() }))
		.mutation(({ ctx, input }) =>
			verifyJob(ctx.db, ctx.user, { jobId: input.jobId, at: new Date() })
		),
	create: authedProcedure
		.input(zm.extend(newJobSchema, { technicianId: zm.optional(zm.uuid()) }))
		.mutation(({ ctx, input }) => createJob(ctx.db, ctx.user, input)),
	complete: authedProcedure
		.input(signedCompletionSchema)
		.mutation(({ ctx, input }) => completeJob(ctx.db, ctx.user, input))
});
