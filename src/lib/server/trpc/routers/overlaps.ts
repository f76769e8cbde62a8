import { z } from 'zod';
import { authedProcedure, router } from '../core';
import {
	countOpenOverlaps,
	listOpenOverlaps,
	OVERLAP_DECISIONS,
	resolveOverlap
} from '../../jobs/overlaps';

/** Offline work that arrived after a reassignment, for the desk to decide (jobs/overlaps.ts). */
export const overlapsRouter = router({
	list: authedProcedure.query(({ ctx }) => listOpenOverlaps(ctx.db, ctx.user)),
	count: authedProcedure.query(({ ctx }) => countOpenOverlaps(ctx.db, ctx.user)),
	resolve: authedProcedure
		.input(
			z.object({ jobId: z.uuid(), technicianId: z.uuid(), decision: z.enum(OVERLAP_DECISIONS) })
		)
		.mutation(({ ctx, input }) => resolveOverlap(ctx.db, ctx.user, input))
});
