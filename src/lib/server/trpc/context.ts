import type { RequestEvent } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { serverDatabase, serverReadDatabase } from '../db/server-db';
import { isRetryableDatabaseError } from '../db/outage';
import type { Context } from './core';

export async function createContext(event: RequestEvent): Promise<Context> {
	try {
		const [{ db }, read] = await Promise.all([serverDatabase(), serverReadDatabase()]);
		return { db, readDb: read?.db, user: event.locals.user };
	} catch (error) {
		// Not opened yet (the database was down at start-up): the phone retries later.
		if (isRetryableDatabaseError(error))
			throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', cause: error });
		throw error;
	}
}
