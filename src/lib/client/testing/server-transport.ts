/**
 * Tests only: the sync engine's transport wired to the real server router in-process (no HTTP),
 * with the wire format (superjson) and the failures a phone meets injected on request.
 */
import { TRPCError } from '@trpc/server';
import superjson from 'superjson';
import type { SessionUser } from '../../server/auth/session-user';
import type { Database } from '../../server/db';
import { createCallerFactory } from '../../server/trpc/core';
import { appRouter } from '../../server/trpc/router';
import { SyncFailure, type SyncTransport } from '../sync/transport';

/**
 * What happens to the next request:
 * - ok: it goes through;
 * - unreachable: it never reaches the server;
 * - answerLost: the server handles it (and commits) but the answer never arrives;
 * - signedOut: the session has expired (the server answers 401);
 * - serverError: the server answers 500 without doing anything.
 */
export type Fault = 'ok' | 'unreachable' | 'answerLost' | 'signedOut' | 'serverError';

const createCaller = createCallerFactory(appRouter);

/** What crossing the network does to values: dates survive (superjson), nothing is shared. */
function overTheWire<T>(value: T): T {
	return superjson.parse(superjson.stringify(value));
}

export class ServerTransport implements SyncTransport {
	/** Faults for the coming requests, used in order; when empty, requests go through. */
	readonly faults: Fault[] = [];
	requests = 0;

	constructor(
		private readonly db: Database,
		/** The session's user; null means signed out. */
		public sessionUser: SessionUser | null,
		/** Lets a test change what a request carries, e.g. drop a mutation to cause a gap. */
		public rewritePush: (input: Parameters<SyncTransport['push']>[0]) => typeof input = (input) =>
			input
	) {}

	currentUserId(): Promise<string> {
		return this.call(async (caller) => (await caller.auth.me()).id);
	}

	push(input: Parameters<SyncTransport['push']>[0]) {
		return this.call((caller) => caller.sync.push(overTheWire(this.rewritePush(input))));
	}

	pull(input: Parameters<SyncTransport['pull']>[0]) {
		return this.call((caller) => caller.sync.pull(overTheWire(input)));
	}

	private async call<T>(request: (caller: ReturnType<typeof createCaller>) => Promise<T>) {
		this.requests += 1;
		const fault = this.faults.shift() ?? 'ok';
		if (fault === 'unreachable') throw new SyncFailure('offline', 'connection refused');
		if (fault === 'serverError') throw new SyncFailure('server', 'HTTP 500');
		const user = fault === 'signedOut' ? null : this.sessionUser;
		let answer: T;
		try {
			answer = await request(createCaller({ db: this.db, user }));
		} catch (error) {
			if (error instanceof TRPCError && error.code === 'UNAUTHORIZED') {
				throw new SyncFailure('unauthorized', error.message, { cause: error });
			}
			if (error instanceof TRPCError && error.code === 'FORBIDDEN') {
				throw new SyncFailure('forbidden', error.message, { cause: error });
			}
			throw new SyncFailure('server', String(error), { cause: error });
		}
		if (fault === 'answerLost') throw new SyncFailure('offline', 'connection reset');
		return overTheWire(answer);
	}
}
