import { authedProcedure, router } from '../core';
import {
	pullInputSchema,
	pullOutputSchema,
	pushInputSchema,
	pushOutputSchema
} from '../../../shared/sync';
import { pullChanges } from '../../sync/pull';
import { pushMutations } from '../../sync/push';

export const syncRouter = router({
	/** Applies a batch of a device's outbox (docs/sync.md). */
	push: authedProcedure
		.input(pushInputSchema)
		.output(pushOutputSchema)
		.mutation(({ ctx, input }) => pushMutations(ctx.db, ctx.user, input)),
	/** What changed since the device's cursor. A mutation, so no HTTP cache ever answers it. */
	pull: authedProcedure
		.input(pullInputSchema)
		.output(pullOutputSchema)
		.mutation(({ ctx, input }) => pullChanges(ctx.db, ctx.user, input))
});
