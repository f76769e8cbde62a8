/**
 * The browser's transport: tRPC over HTTP at /api/trpc with superjson (the server's transformer),
 * one request per call (no batching: a push must not wait behind, or fail with, anything else).
 * Answers are checked against the shared protocol schemas before the engine trusts them.
 */
import { createTRPCUntypedClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import superjson from 'superjson';
import type { z } from 'zod/mini';
import { pullOutputSchema, pushOutputSchema } from '../../shared/sync';
import { technicianIdentitySchema, type TechnicianIdentity } from '../local/identity';
import { SyncFailure, type SyncTransport } from './transport';

const API_URL = '/api/trpc';

function apiClient(url: string) {
	const client = createTRPCUntypedClient<AnyRouter>({
		links: [httpLink({ url, transformer: superjson })]
	});
	return async <T>(request: (api: typeof client) => Promise<unknown>, schema: z.ZodMiniType<T>) => {
		let answer: unknown;
		try {
			answer = await request(client);
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
			(await call((api) => api.query('auth.me'), technicianIdentitySchema)).id,
		push: (input) => call((api) => api.mutation('sync.push', input), pushOutputSchema),
		pull: (input) => call((api) => api.mutation('sync.pull', input), pullOutputSchema)
	};
}

/** Who the server's session belongs to (SyncFailure 'unauthorized' when nobody). */
export function fetchSignedInUser(url = API_URL): Promise<TechnicianIdentity> {
	return apiClient(url)((api) => api.query('auth.me'), technicianIdentitySchema);
}

function asSyncFailure(error: unknown): SyncFailure {
	if (!(error instanceof TRPCClientError)) {
		return new SyncFailure('server', String(error), { cause: error });
	}
	const data = error.data as { code?: string; httpStatus?: number } | undefined;
	const status = data?.httpStatus ?? (error.meta?.response as Response | undefined)?.status;
	if (data?.code === 'UNAUTHORIZED' || status === 401) {
		return new SyncFailure('unauthorized', error.message, { cause: error });
	}
	if (data?.code === 'FORBIDDEN' || status === 403) {
		return new SyncFailure('forbidden', error.message, { cause: error });
	}
	// No answer at all (fetch rejected), or a proxy / service worker answering for an absent server.
	if (status === undefined || status === 502 || status === 503 || status === 504) {
		return new SyncFailure('offline', error.message, { cause: error });
	}
	return new SyncFailure('server', error.message, { cause: error });
}
