/** For tests of procedures called in-process (a caller): what an HTTP client would be told. */
import { TRPCError } from '@trpc/server';
import { clientMessage } from './core';

/** The refused call's "CODE: message", the message as core.ts's error formatter words it. */
export async function refusalAnswer(call: Promise<unknown>): Promise<string> {
	try {
		await call;
	} catch (error) {
		if (error instanceof TRPCError) return `${error.code}: ${clientMessage(error, undefined)}`;
		throw error;
	}
	throw new Error('expected the call to be refused');
}
