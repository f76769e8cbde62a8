import type { RequestEvent } from '@sveltejs/kit';
import { serverDatabase } from '../db/server-db';
import type { Context } from './core';

export async function createContext(event: RequestEvent): Promise<Context> {
	const { db } = await serverDatabase();
	return { db, user: event.locals.user };
}
