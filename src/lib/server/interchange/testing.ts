/** Helpers for the interchange tests: CSV text by lines, and a dump of the whole database. */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';

/** CSV text from its lines, LF line ends, with a final line break. */
export function csv(...lines: string[]): string {
	return lines.map((line) => `${line}\n`).join('');
}

/**
 * Every row of every table, as JSON text per table: two dumps are equal exactly when the
 * database holds the same data (ids, timestamps and all).
 */
export async function dumpDatabase(db: Queryable): Promise<Record<string, string>> {
	const tables = await queryRows<{ name: string }>(
		db,
		sql`SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`
	);
	const dump: Record<string, string> = {};
	for (const { name } of tables) {
		const [row] = await queryRows<{ rows: string }>(
			db,
			sql`SELECT coalesce(json_agg(t ORDER BY t::text), '[]')::text AS rows FROM ${sql.identifier(name)} t`
		);
		dump[name] = row.rows;
	}
	return dump;
}
