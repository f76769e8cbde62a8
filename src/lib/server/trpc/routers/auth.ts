import { TRPCError } from '@trpc/server';
import { deviceKeyPairOf } from '../../auth/device-key';
import { authedProcedure, router } from '../core';

/** Signing in and out are form actions (they set cookies); tRPC only answers "who am I". */
export const authRouter = router({
	me: authedProcedure.query(({ ctx }) => ctx.user),
	/** The signed-in person's own key pair for changes parked on a shared device (device-key.ts). */
	deviceKey: authedProcedure.query(async ({ ctx }) => {
		const pair = await deviceKeyPairOf(ctx.db, ctx.user);
		if (!pair) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
		return pair;
	})
});
