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
	/** The signed-in person's own key pair for changes parked on a shared device (device-key.ts). */
	deviceKey: authedProcedure.query(async ({ ctx }) => {
		const pair = await deviceKeyPairOf(ctx.db, ctx.user);
		if (!pair) throw new TRPCError({ code: 'UNAUTHORIZED', message: m.srv_sign_in_first() });
		return pair;
	}),
	/**
	 * The signed-in technician's survey key (survey/key.ts), kept on their phone so it signs a
	 * completed job's customer survey link offline; with their station's id, which the token
	 * names. Only technicians complete jobs at the customer's, so only they get one.
	 */
	surveyKey: authedProcedure.query(async ({ ctx }) => {
		if (ctx.user.role !== 'technician') {
			throw new TRPCError({ code: 'FORBIDDEN', message: m.sv_survey_key_technicians_only() });
		}
		const key = await surveyKeyOf(ctx.db, ctx.user);
		if (!key) throw new TRPCError({ code: 'UNAUTHORIZED', message: m.srv_sign_in_first() });
		return { key, stationId: ctx.user.stationId };
	})
});
