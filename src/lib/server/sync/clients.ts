/** Sync clients: one device database of one user, and how far its mutations have been processed. */
import { TRPCError } from '@trpc/server';
import { m } from '../../paraglide/messages.js';
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { syncClients } from '../db/schema';
import type { SessionUser } from '../auth/session-user';

function forbidden(clientId: string): TRPCError {
	return new TRPCError({
		code: 'FORBIDDEN',
		message: m.srv_sync_client_other_user({ clientId })
	});
}

/**
 * Registers the client on its first push and locks its row until the transaction ends, so
 * pushes of one client (two tabs, a retry racing the original) are processed one at a time.
 * Returns the highest mutation id processed so far.
 */
export async function lockClient(
	tx: Queryable,
	user: SessionUser,
	clientId: string
): Promise<number> {
	// ON CONFLICT DO UPDATE locks the existing row, and answers with its latest version.
	const [client] = await tx
		.insert(syncClients)
		.values({ stationId: user.stationId, id: clientId, userId: user.id })
		.onConflictDoUpdate({
			target: [syncClients.stationId, syncClients.id],
			set: { lastSeenAt: sql`now()` }
		})
		.returning({ userId: syncClients.userId, lastMutationId: syncClients.lastMutationId });
	if (client.userId !== user.id) throw forbidden(clientId);
	return client.lastMutationId;
}

/** The client's state as the caller's snapshot sees it; null when it has never pushed. */
export async function readClient(
	db: Queryable,
	user: SessionUser,
	clientId: string
): Promise<{ lastMutationId: number } | null> {
	const [client] = await db
		.select({ userId: syncClients.userId, lastMutationId: syncClients.lastMutationId })
		.from(syncClients)
		.where(and(eq(syncClients.stationId, user.stationId), eq(syncClients.id, clientId)))
		.limit(1);
	if (!client) return null;
	if (client.userId !== user.id) throw forbidden(clientId);
	return { lastMutationId: client.lastMutationId };
}
