import { TRPCError } from '@trpc/server';
import { m } from '../../../paraglide/messages.js';
import { deviceKeyPairOf } from '../../auth/device-key';
import { authedProcedure, signedInProcedure, router } from '../core';
import { changeOwnPassword } from '../../auth/accounts';
import { changeOwnPasswordSchema } from '../../../shared/schemas';

/** Signing in and out are form actions (they set cookies); tRPC answers "who am I". */
export const authRouter = router({
	me: signedInProcedure.query(({ ctx }) => ctx.user),
	/** Ends every session of the account, this one included: sign in again with the new one. */
	changePassword: signedInProcedure
		.input(changeOwnPasswordSchema)
		.mutation(({ ctx, input }) => changeOwnPassword(ctx.db, ctx.user, input)),
	/** The signed-in person's own key pair for changes parked on a shared device (device-key.ts). */
	deviceKey: authedProcedure.query(async ({ ctx }) => {
		const pair = await deviceKeyPairOf(ctx.db, ctx.user);
		if (!pair) throw new TRPCError({ code: 'UNAUTHORIZED', message: m.srv_sign_in_first() });
		return pair;
	})
});
