/** For tests of procedures called in-process (a caller): what an HTTP client would be told. */
import { TRPCError } from '@trpc/server';
import { clientMessage } from './core';

/** The refused call's code and message as core.ts's error formatter words them. */
export async function refusalAnswer(
	call: Promise<unknown>
): Promise<{ code: string; message: string }> {
	try {
		await call;
	} catch (error) {
		if (error instanceof TRPCError)
			return { code: error.code, message: clientMessage(error, undefined) };
		throw error;
	}
	throw new Error('expected the call to be refused');
}
