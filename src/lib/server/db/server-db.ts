/**
 * The server process's database: opened and migrated once at start-up (hooks `init`),
 * closed on shutdown. The server keeps no other state: sessions live in the database.
 * At start-up it waits (bounded) for a database server that is not reachable yet; once open,
 * postgres.js replaces lost connections by itself, query by query.
 */
import type { DatabaseHandle } from './index';
import { openMigratedDatabaseWhenReachable } from './outage';

let opening: Promise<DatabaseHandle> | null = null;

export function serverDatabase(): Promise<DatabaseHandle> {
	opening ??= openMigratedDatabaseWhenReachable().catch((error) => {
		opening = null;
		throw error;
	});
	return opening;
}

export async function closeServerDatabase(): Promise<void> {
	if (!opening) return;
	const handle = await opening.catch(() => null);
	opening = null;
	await handle?.close();
}
