/**
 * The server process's databases: opened and migrated once at start-up (hooks `init`),
 * closed on shutdown. The server keeps no other state: sessions live in the database.
 * At start-up it waits (bounded) for a database server that is not reachable yet; once open,
 * postgres.js replaces lost connections by itself, query by query.
 *
 * With `READ_DATABASE_URL`, a second handle on a hot-standby replica serves the read-only
 * routes (read-replica.ts); it is never migrated (a standby replays the primary's migrations).
 */
import { openDatabase, readTargetFromEnv, type DatabaseHandle } from './index';
import { openMigratedDatabaseWhenReachable } from './outage';
import { replicaLagSeconds } from './read-replica';

let opening: Promise<DatabaseHandle> | null = null;
let openingRead: Promise<DatabaseHandle | null> | null = null;

export function serverDatabase(): Promise<DatabaseHandle> {
	opening ??= openMigratedDatabaseWhenReachable().catch((error) => {
		opening = null;
		throw error;
	});
	return opening;
}

/** The replica's handle, or null when READ_DATABASE_URL is unset (reads go to the primary). */
export function serverReadDatabase(): Promise<DatabaseHandle | null> {
	openingRead ??= (async () => {
		const target = readTargetFromEnv();
		return target ? openDatabase(target) : null;
	})().catch((error) => {
		openingRead = null;
		throw error;
	});
	return openingRead;
}

/**
 * How many seconds behind the primary the pages read from the replica are; null when there is
 * no replica, or it cannot be reached (those reads then come from the primary).
 */
export async function serverReplicaLag(): Promise<number | null> {
	const read = await serverReadDatabase().catch(() => null);
	if (!read) return null;
	return replicaLagSeconds(read.db).catch(() => null);
}

export async function closeServerDatabase(): Promise<void> {
	const handles = [opening, openingRead];
	opening = openingRead = null;
	for (const pending of handles) {
		const handle = await pending?.catch(() => null);
		await handle?.close();
	}
}
