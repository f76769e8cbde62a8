import { signedInProcedure, router } from '../core';
import { changeOwnPassword } from '../../auth/accounts';
import { changeOwnPasswordSchema } from '../../../shared/schemas';
import { withAccountErrors } from './admin';

/** Signing in and out are form actions (they set cookies); tRPC answers "who am I". */
export const authRouter = router({
	me: signedInProcedure.query(({ ctx }) => ctx.user),
	/** Ends every session of the account, this one included: sign in again with the new one. */
	changePassword: signedInProcedure
		.input(changeOwnPasswordSchema)
		.mutation(({ ctx, input }) =>
			withAccountErrors(() => changeOwnPassword(ctx.db, ctx.user, input))
		)
});
