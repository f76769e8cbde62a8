import type { RequestEvent } from '@sveltejs/kit';
import { createCallerFactory } from './core';
import { createContext } from './context';
import { appRouter } from './router';

const createCaller = createCallerFactory(appRouter);

/** The tRPC API as the request's user, for server load functions and form actions. */
export async function serverCaller(event: RequestEvent) {
	return createCaller(await createContext(event));
}
