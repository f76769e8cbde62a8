import { TRPCError } from '@trpc/server';
import { m } from '../../../paraglide/messages.js';
import { deviceKeyPairOf } from '../../auth/device-key';
import { surveyKeyOf } from '../../survey/key';
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
	/**
	 * The signed-in person's own key pair for changes parked on a shared device (device-key.ts),
	 * and a technician's survey key with their station's id (survey/key.ts): their phone keeps
	 * it to sign a completed job's customer survey link offline. Only technicians complete jobs
	 * at the customer's, so only they get one. One answer, so the phone asks once for both.
	 */
	deviceKey: authedProcedure.query(async ({ ctx }) => {
		const pair = await deviceKeyPairOf(ctx.db, ctx.user);
		if (!pair) throw new TRPCError({ code: 'UNAUTHORIZED', message: m.srv_sign_in_first() });
		const key = ctx.user.role === 'technician' ? await surveyKeyOf(ctx.db, ctx.user) : null;
		return { ...pair, survey: key === null ? null : { key, stationId: ctx.user.stationId } };
	})
});
