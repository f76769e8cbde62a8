import { z } from 'zod';
import { z as zm } from 'zod/mini';
import { authedProcedure, router } from '../core';
import { completeJobSchema, listLimitSchema, newJobSchema } from '../../../shared/schemas';
import { assignJob, completeJob, createJob, getJob, listJobs, verifyJob } from '../../jobs/service';
import { getJobDetail, jobHistoryEntrySchema, listJobHistory } from '../../jobs/history';

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
	/**
	 * Supervisors give a job to another active technician of the station. The service writes in
	 * a transaction whose change context names the supervisor, so the history shows who did it.
	 */
	assign: authedProcedure
		.input(z.object({ jobId: z.uuid(), technicianId: z.uuid() }))
		.mutation(({ ctx, input }) => assignJob(ctx.db, ctx.user, input)),
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
		.input(completeJobSchema)
		.mutation(({ ctx, input }) => completeJob(ctx.db, ctx.user, input))
});
