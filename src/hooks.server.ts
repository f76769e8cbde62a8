import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { closeServerDatabase, serverDatabase } from '$lib/server/db/server-db';
import { startMaintenance } from '$lib/server/maintenance';
import { bodyLimits, handleError, requestRate, serverPolicy } from '$lib/server/http/handles';
import { isDatabaseUnavailable } from '$lib/server/db/outage';
import { logServerError } from '$lib/server/http/server-errors';
import { SESSION_COOKIE, SIGNED_OUT_COOKIE, sessionOfRequest } from '$lib/server/auth/sessions';

export const init: ServerInit = async () => {
	if (building) return;
	process.on('unhandledRejection', survivableRejection);
	const handle = await serverDatabase();
	console.log(`RepairScore: database ready (${handle.kind}: ${handle.location})`);
	const stopMaintenance = startMaintenance(handle.db, { embedded: handle.kind === 'pglite' });
	process.on('sveltekit:shutdown', () => {
		void stopMaintenance().then(closeServerDatabase);
	});
};

/**
 * When Postgres terminates a connection in the middle of a pipeline, postgres.js can reject a
 * query promise that nobody awaits any more (the request it belonged to was already answered
 * 503). Node would end the whole process for it; a lost connection is logged instead. Any
 * other unhandled rejection still ends the process, as Node's default does.
 */
function survivableRejection(reason: unknown): void {
	if (isDatabaseUnavailable(reason)) {
		logServerError('database connection lost under an unawaited query', reason);
		return;
	}
	throw reason;
}

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

/** Who is asking: event.locals.user from the session cookie, which slides while it is used. */
const auth: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.sessionToken = null;
	// A request without either cookie is nobody's, and needs no database to say so.
	if (event.cookies.get(SIGNED_OUT_COOKIE) !== undefined || event.cookies.get(SESSION_COOKIE)) {
		const { db } = await serverDatabase();
		const session = await sessionOfRequest(db, event.cookies, event.url.protocol === 'https:');
		event.locals.user = session?.user ?? null;
		event.locals.sessionToken = session?.token ?? null;
	}
	return resolve(event);
};

const rate = requestRate(async () => (await serverDatabase()).db);

export const handle: Handle = sequence(i18n, serverPolicy, auth, rate, bodyLimits);

export { handleError };
