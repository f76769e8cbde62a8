import type { SQL } from 'drizzle-orm';
import type { Queryable } from './index';

/**
 * Runs raw SQL and returns its rows as an array, whichever driver is behind `db`
 * (postgres.js answers with an array, PGlite with `{ rows }`). Cast every column in the
 * SQL (`::int`, `::float8`, `::text`) so both drivers hand back the same JavaScript types.
 */
export async function queryRows<T>(db: Queryable, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown;
	if (Array.isArray(result)) return result as T[];
	return ((result as { rows?: T[] }).rows ?? []) as T[];
}
