import { z } from 'zod';
import { authedProcedure, router } from '../core';
import {
	appealSchema,
	appealListSchema,
	decideAppealSchema,
	fileAppealSchema,
	jobAppealsSchema
} from '../../../shared/appeal-schemas';
import {
	appealsOfJob,
	countPendingAppeals,
	decideAppeal,
	fileAppeal,
	listAppeals
} from '../../review/appeals';

/**
 * Appeals of reworks and flags (review/appeals.ts): the technician files one on their own job,
 * a supervisor decides. Online only: a decision rests on the server's facts. Who may do what is
 * the service's to say (roles.md), so every role reaches it and is refused with a reason.
 */
export const appealsRouter = router({
	file: authedProcedure
		.input(fileAppealSchema)
		.output(appealSchema)
		.mutation(({ ctx, input }) => fileAppeal(ctx.db, ctx.user, input)),
	forJob: authedProcedure
		.input(z.object({ jobId: z.uuid() }))
		.output(jobAppealsSchema)
		.query(({ ctx, input }) => appealsOfJob(ctx.db, ctx.user, input.jobId)),
	list: authedProcedure
		.input(appealListSchema)
		.output(z.array(appealSchema))
		.query(({ ctx, input }) => listAppeals(ctx.db, ctx.user, input)),
	pendingCount: authedProcedure.query(({ ctx }) => countPendingAppeals(ctx.db, ctx.user)),
	decide: authedProcedure
		.input(decideAppealSchema)
		.output(appealSchema)
		.mutation(({ ctx, input }) => decideAppeal(ctx.db, ctx.user, input))
});
