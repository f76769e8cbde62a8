import { authedProcedure, router } from '../core';
import { pullInputSchema, pushInputSchema, pushOutputSchema } from '../../../shared/sync';
import { pullOutputSchema } from '../../../shared/sync-records';
import { pullChanges } from '../../sync/pull';
import { pullColumns, pullColumnsOutputSchema } from '../../sync/pull-columns';
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
		.mutation(({ ctx, input }) => pullChanges(ctx.db, ctx.user, input)),
	/**
	 * The same, with rows as arrays and times as numbers (shared/sync-columns.ts): what the
	 * phone asks for; `pull` stays for phones with an older app.
	 */
	pullColumns: authedProcedure
		.input(pullInputSchema)
		.output(pullColumnsOutputSchema)
		.mutation(({ ctx, input }) => pullColumns(ctx.db, ctx.user, input))
});
