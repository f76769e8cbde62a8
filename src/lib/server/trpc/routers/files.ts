import { z } from 'zod';
import { authedProcedure, router } from '../core';
import { describeJobFileSchema, jobFileProgressQuerySchema } from '../../../shared/job-files';
import { describeJobFile, filesOfJob, jobFileProgress } from '../../files/service';

/** A job's photos and signature (lib/shared/job-files.ts); their bytes go by /api/files/{id}. */
export const filesRouter = router({
	describe: authedProcedure
		.input(describeJobFileSchema)
		.mutation(({ ctx, input }) => describeJobFile(ctx.db, ctx.user, input)),
	progress: authedProcedure
		.input(jobFileProgressQuerySchema)
		.query(({ ctx, input }) => jobFileProgress(ctx.db, ctx.user, input.ids)),
	ofJob: authedProcedure
		.input(z.object({ jobId: z.uuid() }))
		.query(({ ctx, input }) => filesOfJob(ctx.db, ctx.user, input.jobId))
});
