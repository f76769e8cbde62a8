/**
 * The server process's database: opened and migrated once at start-up (hooks `init`),
 * closed on shutdown. The server keeps no other state: sessions live in the database.
 */
import { openMigratedDatabase, type DatabaseHandle } from './index';

let opening: Promise<DatabaseHandle> | null = null;

export function serverDatabase(): Promise<DatabaseHandle> {
	opening ??= openMigratedDatabase().catch((error) => {
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
