import { authedProcedure, router } from '../core';
import { addFollowUpSchema } from '../../../shared/schemas';
import { addFollowUp } from '../../follow-ups/service';

export const followUpsRouter = router({
	add: authedProcedure
		.input(addFollowUpSchema)
		.mutation(({ ctx, input }) => addFollowUp(ctx.db, ctx.user, input))
});
