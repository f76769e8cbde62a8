/**
 * The browser's transport: tRPC over HTTP at /api/trpc with superjson (the server's transformer),
 * one request per call (no batching: a push must not wait behind, or fail with, anything else).
 * Answers are checked against the shared protocol schemas before the engine trusts them.
 *
 * It speaks tRPC's HTTP wire format itself (wire.ts) instead of bundling @trpc/client and
 * superjson: the technician app makes three calls, and every kilobyte counts on a phone.
 */
import { z } from 'zod/mini';
import type { DeviceKeyPair } from '../sealing/seal';
import type { SurveyKey } from '../local/db';
import { pushOutputSchema } from '../../shared/sync';
import { technicianIdentitySchema, type TechnicianIdentity } from '../local/identity';
import { SyncFailure, type SyncTransport } from './transport';
import { decodeSuperjson, encodeSuperjson } from './wire';

const API_URL = '/api/trpc';

/** tRPC's error shape (the server's errorFormatter), as far as the engine needs it. */
type ErrorShape = { message?: string; data?: { code?: string; httpStatus?: number } };

class CallError extends Error {
	constructor(
		message: string,
		readonly status: number | undefined,
		readonly code: string | undefined,
		options?: { cause?: unknown }
	) {
		super(message, options);
		this.name = 'TRPCClientError';
	}
}

/** One tRPC call over HTTP: GET for a query, POST for a mutation (tRPC's httpLink). */
async function request(
	url: string,
	type: 'query' | 'mutation',
	path: string,
	input: unknown
): Promise<unknown> {
	let target = `${url}/${path}`;
	// Every answer is personal and must be fresh: the browser's HTTP cache keeps none of them.
	const init: RequestInit = { method: type === 'query' ? 'GET' : 'POST', cache: 'no-store' };
	if (input !== undefined) {
		const body = JSON.stringify(encodeSuperjson(input));
		if (type === 'query') {
			target += `?input=${encodeURIComponent(body)}`;
		} else {
			init.body = body;
			init.headers = { 'content-type': 'application/json' };
		}
	}
	let response: Response;
	try {
		response = await fetch(target, init);
	} catch (error) {
		throw new CallError(
			error instanceof Error ? error.message : String(error),
			undefined,
			undefined,
			{
				cause: error
			}
		);
	}
	let envelope: { result?: { data?: unknown }; error?: unknown };
	try {
		envelope = await response.json();
	} catch (error) {
		// Not tRPC answering (a proxy or the service worker answering for an absent server).
		throw new CallError(`HTTP ${response.status}`, response.status, undefined, { cause: error });
	}
	if (envelope.error !== undefined) {
		const shape = decodeSuperjson(envelope.error) as ErrorShape | null;
		throw new CallError(
			shape?.message ?? `HTTP ${response.status}`,
			shape?.data?.httpStatus ?? response.status,
			shape?.data?.code
		);
	}
	if (!response.ok || !envelope.result) {
		throw new CallError(`HTTP ${response.status}`, response.status, undefined);
	}
	return decodeSuperjson(envelope.result.data);
}

/**
 * A call outside sync, made online on a tap (the phone's appeals): the server's answer as is,
 * or an error whose message is the server's reason in the user's language.
 */
export function onlineCall(type: 'query' | 'mutation', path: string, input: unknown) {
	return request(API_URL, type, path, input);
}

function apiClient(url: string) {
	return async <T>(
		type: 'query' | 'mutation',
		path: string,
		input: unknown,
		schema: Pick<z.ZodMiniType<T>, 'safeParse'>
	) => {
		let answer: unknown;
		try {
			answer = await request(url, type, path, input);
		} catch (error) {
			throw asSyncFailure(error);
		}
		const parsed = schema.safeParse(answer);
		if (!parsed.success) {
			throw new SyncFailure('server', `Unexpected answer from the server: ${parsed.error.message}`);
		}
		return parsed.data;
	};
}

export function trpcTransport(url = API_URL): SyncTransport {
	const call = apiClient(url);
	return {
		currentUserId: async () =>
			(await call('query', 'auth.me', undefined, technicianIdentitySchema)).id,
		push: (input) => call('mutation', 'sync.push', input, pushOutputSchema),
		// The answer's reading and checks load with the first pull (client/pull-columns.ts).
		pull: async (input) =>
			call(
				'mutation',
				'sync.pullColumns',
				input,
				(await import('../pull-columns')).pulledColumnsSchema
			)
	};
}

/** Who the server's session belongs to (SyncFailure 'unauthorized' when nobody). */
export function fetchSignedInUser(url = API_URL): Promise<TechnicianIdentity> {
	return apiClient(url)('query', 'auth.me', undefined, technicianIdentitySchema);
}

const deviceKeyPairSchema = z.object({
	x: z.string(),
	y: z.string(),
	d: z.string(),
	survey: z.nullable(z.object({ key: z.string(), stationId: z.string() }))
});

/**
 * The signed-in person's key pair for their sealed changes (sealing/seal.ts), held in memory
 * only; and a technician's survey key (kept in the device store: SurveySection.svelte).
 */
export function fetchDeviceKeys(
	url = API_URL
): Promise<DeviceKeyPair & { survey: SurveyKey | null }> {
	return apiClient(url)('query', 'auth.deviceKey', undefined, deviceKeyPairSchema);
}

function asSyncFailure(error: unknown): SyncFailure {
	if (!(error instanceof CallError)) {
		return new SyncFailure('server', String(error), { cause: error });
	}
	const { code, status } = error;
	if (code === 'UNAUTHORIZED' || status === 401) {
		return new SyncFailure('unauthorized', error.message, { cause: error });
	}
	if (code === 'FORBIDDEN' || status === 403) {
		return new SyncFailure('forbidden', error.message, { cause: error });
	}
	if (status === 413) return new SyncFailure('tooLarge', error.message, { cause: error });
	// No answer at all (fetch rejected), or a proxy / service worker answering for an absent server.
	if (status === undefined || status === 502 || status === 503 || status === 504) {
		return new SyncFailure('offline', error.message, { cause: error });
	}
	return new SyncFailure('server', error.message, { cause: error });
}
