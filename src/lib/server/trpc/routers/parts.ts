import { z } from 'zod';
import { authedProcedure, roleProcedure, router } from '../core';
import { addJobPartSchema, partSchema } from '../../../shared/schemas';
import { addJobPart, listParts, savePart } from '../../catalog/service';

export const partsRouter = router({
	catalog: authedProcedure
		.input(
			z.object({ includeInactive: z.boolean().default(false) }).default({ includeInactive: false })
		)
		.query(({ ctx, input }) => listParts(ctx.db, ctx.user, input.includeInactive)),
	save: roleProcedure('supervisor', 'admin')
		.input(partSchema)
		.mutation(({ ctx, input }) => savePart(ctx.db, ctx.user, input)),
	addToJob: authedProcedure
		.input(addJobPartSchema)
		.mutation(({ ctx, input }) => addJobPart(ctx.db, ctx.user, input))
});
