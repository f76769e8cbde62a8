/** What a call in a test answered, to compare with what roles.md says it may do. */
import { TRPCError } from '@trpc/server';
import { refusalIn } from '../refusal';

/** 'ok', or the refusal's reason key (else the tRPC code); any other failure is thrown. */
export async function outcomeOf(call: () => Promise<unknown>): Promise<string> {
	try {
		await call();
		return 'ok';
	} catch (error) {
		const refusal = refusalIn(error);
		if (refusal) return refusal.reason.key;
		if (error instanceof TRPCError) return error.code;
		throw error;
	}
}

/** 'ok', or the tRPC code a refused call answered with; any other failure is thrown. */
export async function codeOf(call: () => Promise<unknown>): Promise<string> {
	try {
		await call();
		return 'ok';
	} catch (error) {
		if (error instanceof TRPCError) return error.code;
		throw error;
	}
}
