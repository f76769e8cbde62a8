/**
 * How the sync engine reaches the server. The browser uses tRPC over HTTP (trpc-transport.ts);
 * tests plug in the server's router in-process, with failures injected, through this interface.
 */
import type {
	PullOutput,
	pullInputSchema,
	pushInputSchema,
	pushOutputSchema
} from '../../shared/sync';
import type { z } from 'zod/mini';

export type PushInput = z.input<typeof pushInputSchema>;
export type PushOutput = z.output<typeof pushOutputSchema>;
export type PullInput = z.input<typeof pullInputSchema>;

/**
 * Why a request failed, as the engine needs to know it:
 * - offline: no answer at all (no network, server down, connection cut): retry later;
 * - unauthorized: the session has expired or was signed out: wait for the user to sign in again;
 * - forbidden: the server refuses this client for the signed-in user;
 * - tooLarge: the request's body is over the server's limit (413): send less (push.ts);
 * - server: any other error answer (5xx, a bad request): retry later with backoff.
 */
type SyncFailureKind = 'offline' | 'unauthorized' | 'forbidden' | 'tooLarge' | 'server';

export class SyncFailure extends Error {
	constructor(
		readonly kind: SyncFailureKind,
		message: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
		this.name = 'SyncFailure';
	}
}

export interface SyncTransport {
	/** The id of the user the server's session belongs to; SyncFailure('unauthorized') if none. */
	currentUserId(): Promise<string>;
	push(input: PushInput): Promise<PushOutput>;
	pull(input: PullInput): Promise<PullOutput>;
}
