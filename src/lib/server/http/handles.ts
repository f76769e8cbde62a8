/**
 * The request policy every dynamic answer passes through (hooks.server.ts): Host names,
 * each account's request rate, body sizes, database outages, caching, and what a server fault
 * shows the client.
 * Headers that hold for static files too are set in scripts/serve.mjs.
 */
import type { Handle, HandleServerError, RequestEvent } from '@sveltejs/kit';
import { m } from '../../paraglide/messages.js';
import type { Queryable } from '../db';
import { isRetryableDatabaseError } from '../db/outage';
import {
	BodyTooLargeError,
	bodyLimitFor,
	discardBody,
	drainAllowance,
	formatByteSize,
	limitedStream
} from './body-limits';
import { hostPolicy } from './hosts';
import { countRequest } from './request-rate';
import { logServerError } from './server-errors';

/** Seconds a client should wait before retrying while the database is away. */
export const RETRY_AFTER_SECONDS = 5;

const HEALTH_PATH = '/healthz';

const allowedHost = hostPolicy(process.env);

/**
 * A refusal in the form the asker reads: tRPC's error envelope (superjson) for the API, a
 * SvelteKit action result for an enhanced form, plain text otherwise.
 */
function refusal(event: RequestEvent, status: number, message: string, code: string): Response {
	const headers = { 'cache-control': 'no-store' };
	if (event.url.pathname.startsWith('/api/trpc/')) {
		const shape = { message, code: -32000, data: { code, httpStatus: status } };
		return Response.json({ error: { json: shape } }, { status, headers });
	}
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		// As SvelteKit answers a failing action: enhance shows the error page with this status.
		return Response.json({ type: 'error', error: { message } }, { status, headers });
	}
	// The file API (routes/api/files) answers every refusal as JSON, whatever the phone accepts.
	const json = event.url.pathname.startsWith('/api/files/');
	if (json || event.request.headers.get('accept')?.includes('application/json')) {
		return Response.json({ message }, { status, headers });
	}
	return new Response(message, {
		status,
		headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }
	});
}

function databaseUnavailable(event: RequestEvent): Response {
	const response = refusal(event, 503, m.http_database_unavailable(), 'SERVICE_UNAVAILABLE');
	response.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
	return response;
}

function applyPolicyHeaders(headers: Headers, status: number): void {
	// Pages and API answers carry personal data: no browser or proxy cache keeps them. An
	// answer that chose its own caching keeps it.
	if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
	if (status === 503) headers.set('retry-after', String(RETRY_AFTER_SECONDS));
}

/** The answer with the headers every dynamic answer carries. */
function withPolicyHeaders(response: Response): Response {
	try {
		applyPolicyHeaders(response.headers, response.status);
		return response;
	} catch {
		// Immutable headers (Response.redirect): a copy has mutable ones.
		const copy = new Response(response.body, response);
		applyPolicyHeaders(copy.headers, copy.status);
		return copy;
	}
}

/**
 * Refuses unknown Host names (DNS rebinding; hosts.ts), turns a database outage into
 * "503, retry later" wherever it surfaced, and sets the caching headers.
 */
export const serverPolicy: Handle = async ({ event, resolve }) => {
	// A sub-request (a load's fetch of this app's own endpoint) has no Host of its own: the
	// request it serves was checked.
	const checkHost = event.url.pathname !== HEALTH_PATH && !event.isSubRequest;
	if (checkHost && !allowedHost(event.request.headers.get('host'))) {
		return refusal(event, 421, m.http_host_refused(), 'BAD_REQUEST');
	}
	let response: Response;
	try {
		response = await resolve(event);
	} catch (error) {
		// Thrown by a hook (the session lookup): pages and endpoints did not get to answer.
		if (!isRetryableDatabaseError(error)) throw error;
		logServerError(`${event.request.method} ${event.url.pathname}`, error);
		return withPolicyHeaders(databaseUnavailable(event));
	}
	if (event.locals.databaseUnavailable && response.status >= 500 && response.status !== 503) {
		// A page or endpoint failed on the database (handleError noted it): same body, 503.
		response = new Response(response.body, {
			status: 503,
			statusText: 'Service Unavailable',
			headers: response.headers
		});
	}
	return withPolicyHeaders(response);
};

/**
 * Counts each request of a signed-in account (request-rate.ts) and refuses it with 429 and
 * Retry-After once the account is over its rate, before anything is read or done for it. A
 * sub-request (a page's load fetching this app's own endpoint) was counted as that page.
 */
export function requestRate(database: () => Promise<Queryable>): Handle {
	return async ({ event, resolve }) => {
		const account = event.locals.user;
		if (!account || event.isSubRequest) return resolve(event);
		const waitSeconds = await countRequest(await database(), account);
		if (waitSeconds === null) return resolve(event);
		const message = m.http_too_many_requests({ seconds: waitSeconds });
		const response = refusal(event, 429, message, 'TOO_MANY_REQUESTS');
		response.headers.set('retry-after', String(waitSeconds));
		return response;
	};
}

/**
 * Bounds the body by route and role (body-limits.ts): a declared Content-Length over the
 * limit is refused before reading; a body without one is counted while it is read and the
 * request answered 413 as soon as it passes the limit. Runs after the session is known.
 */
export const bodyLimits: Handle = async ({ event, resolve }) => {
	const { request } = event;
	if (request.method === 'GET' || request.method === 'HEAD') return resolve(event);
	const limit = bodyLimitFor(event.url.pathname, event.locals.user?.role ?? null);
	const declared = request.headers.get('content-length');
	const tooLarge = async () => {
		// A body declared larger than the allowance is not waited for: the connection closes.
		const allowance = drainAllowance(limit);
		if (request.body && !(Number(declared) > allowance)) await discardBody(request.body, allowance);
		return refusal(
			event,
			413,
			m.http_body_too_large({ limit: formatByteSize(limit) }),
			'PAYLOAD_TOO_LARGE'
		);
	};
	if (declared !== null && !(Number(declared) <= limit)) return tooLarge();
	if (!request.body) return resolve(event);
	let exceeded = false;
	event.request = new Request(request.url, {
		method: request.method,
		headers: request.headers,
		body: limitedStream(request.body, limit, () => (exceeded = true)),
		signal: request.signal,
		// @ts-expect-error Node's fetch needs it for a stream body; the DOM types lack it.
		duplex: 'half'
	});
	const response = await resolve(event);
	return exceeded ? tooLarge() : response;
};

/** Whether `error` or one of its causes (body readers wrap stream errors) is a `type`. */
function causedBy(error: unknown, type: new (...args: never[]) => Error): boolean {
	for (let current = error, depth = 0; current && depth < 4; depth++) {
		if (current instanceof type) return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

/**
 * What a failing page, action or endpoint shows: never the error's own text (it may quote
 * SQL, a path or a parameter), but a generic message in the user's language and the id under
 * which the server log keeps the detail.
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status === 404) return { message: m.error_not_found() };
	// bodyLimits answers this request with 413 in a moment.
	if (causedBy(error, BodyTooLargeError)) return { message: m.http_request_unreadable() };
	if (isRetryableDatabaseError(error)) {
		event.locals.databaseUnavailable = true;
		logServerError(`${event.request.method} ${event.url.pathname}`, error);
		return { message: m.http_database_unavailable() };
	}
	if (status < 500) return { message: m.http_request_unreadable() };
	const errorId = logServerError(`${event.request.method} ${event.url.pathname}`, error);
	return { message: m.http_server_error({ errorId }), errorId };
};
