import { authedProcedure, router } from '../core';

/** Signing in and out are form actions (they set cookies); tRPC only answers "who am I". */
export const authRouter = router({
	me: authedProcedure.query(({ ctx }) => ctx.user)
});
