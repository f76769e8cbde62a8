/**
 * Bulk writes in one statement per table: the rows travel as a single JSON text parameter and
 * jsonb_to_recordset turns them back into typed columns on the server. Both postgres.js and
 * PGlite pass a text parameter through unchanged, and drizzle builds no per-row SQL (which
 * costs seconds for large multi-row VALUES lists).
 *
 * Every row must carry the same keys (null, not undefined, for empty values), since the
 * columns are taken from the first row. Keys are the drizzle property names (camelCase); a
 * column left out of the rows gets its default on insert.
 */
import { getTableColumns, sql, type SQL, type SQLChunk } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from './index';
import { queryRows } from './rows';
import type { StagedTable } from './staging';

type RowKey<T extends PgTable> = keyof T['$inferInsert'] & string;

type OrIsoText<V> = [Exclude<V, null | undefined>] extends [Date] ? V | string : V;

/**
 * A row to write: drizzle's insert type, where a timestamp may also be ISO 8601 text (the
 * rows travel as JSON text anyway, and text keeps the microseconds a Date would drop).
 */
export type BulkRow<T extends PgTable> = {
	[K in keyof T['$inferInsert']]: OrIsoText<T['$inferInsert'][K]>;
};

export async function bulkInsert<T extends PgTable>(
	db: Queryable,
	table: T,
	rows: readonly BulkRow<T>[]
): Promise<void> {
	if (rows.length === 0) return;
	const records = recordset(table, rows);
	await db.execute(sql`
		INSERT INTO ${table} (${records.targets})
		SELECT ${records.values}
		FROM ${records.source}
	`);
}

interface UpsertOptions<T extends PgTable> {
	/** The unique key that identifies an existing row, e.g. ['stationId', 'login']. */
	key: readonly RowKey<T>[];
	/** The columns an existing row takes from the new one. */
	update: readonly RowKey<T>[];
}

export interface UpsertCounts {
	inserted: number;
	updated: number;
	/** Existing rows whose updated columns already held the new values: not written. */
	unchanged: number;
}

/**
 * Inserts the rows, or updates the existing row with the same key. An existing row is only
 * written (and its `updated_at` set to now(), when the table has one) if one of the `update`
 * columns actually changes, so re-importing the same data touches nothing.
 */
export async function bulkUpsert<T extends PgTable>(
	db: Queryable,
	table: T,
	rows: readonly BulkRow<T>[],
	options: UpsertOptions<T>
): Promise<UpsertCounts> {
	if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
	const records = recordset(table, rows);
	return upsert(db, table, records, rows.length, options);
}

/** bulkUpsert of the rows of a staging table (staging.ts), whose columns are `keys`. */
export async function upsertStaged<T extends PgTable>(
	db: Queryable,
	table: T,
	staged: StagedTable,
	options: UpsertOptions<T>
): Promise<UpsertCounts> {
	if (staged.rows === 0) return { inserted: 0, updated: 0, unchanged: 0 };
	const columns = getTableColumns(table);
	const listed = (parts: SQLChunk[]) => sql.join(parts, sql`, `);
	const records = {
		targets: listed(staged.keys.map((key) => sql.identifier(columnOf(columns, key).name))),
		values: listed(staged.keys.map((key) => sql`r.${sql.identifier(key)}`)),
		source: sql`${staged.name} AS r`
	};
	return upsert(db, table, records, staged.rows, options);
}

async function upsert<T extends PgTable>(
	db: Queryable,
	table: T,
	records: { targets: SQL; values: SQL; source: SQL },
	total: number,
	options: UpsertOptions<T>
): Promise<UpsertCounts> {
	const columns = getTableColumns(table);
	const name = (key: string) => sql.identifier(columnOf(columns, key).name);
	const conflictTarget = sql.join(options.key.map(name), sql`, `);
	const assignments: SQL[] = options.update.map((key) => sql`${name(key)} = excluded.${name(key)}`);
	if ('updatedAt' in columns && !options.update.includes('updatedAt' as RowKey<T>)) {
		assignments.push(sql`${name('updatedAt')} = now()`);
	}
	const current = sql.join(
		options.update.map((key) => sql`t.${name(key)}`),
		sql`, `
	);
	const incoming = sql.join(
		options.update.map((key) => sql`excluded.${name(key)}`),
		sql`, `
	);
	// A one-column ROW() would need the ROW keyword; comparing plain values needs none.
	const changed =
		options.update.length === 1
			? sql`${current} IS DISTINCT FROM ${incoming}`
			: sql`(${current}) IS DISTINCT FROM (${incoming})`;
	const onConflict =
		options.update.length === 0
			? sql`DO NOTHING`
			: sql`DO UPDATE SET ${sql.join(assignments, sql`, `)} WHERE ${changed}`;
	// xmax is 0 exactly for the rows this statement inserted (the classic upsert tell).
	const [counts] = await queryRows<{ inserted: number; updated: number }>(
		db,
		sql`
		WITH written AS (
			INSERT INTO ${table} AS t (${records.targets})
			SELECT ${records.values}
			FROM ${records.source}
			ON CONFLICT (${conflictTarget}) ${onConflict}
			RETURNING (t.xmax::text = '0') AS inserted
		)
		SELECT
			(count(*) FILTER (WHERE inserted))::int AS inserted,
			(count(*) FILTER (WHERE NOT inserted))::int AS updated
		FROM written`
	);
	return { ...counts, unchanged: total - counts.inserted - counts.updated };
}

/**
 * The target column list, the SELECT list and the jsonb_to_recordset source for `rows`, whose
 * columns are `r."<propertyName>"`.
 */
export function recordset<T extends PgTable>(table: T, rows: readonly Partial<BulkRow<T>>[]) {
	const columns = getTableColumns(table);
	const keys = Object.keys(rows[0]);
	const listed = (parts: SQLChunk[]) => sql.join(parts, sql`, `);
	const definitions = keys.map(
		(key) => sql`${sql.identifier(key)} ${sql.raw(columnOf(columns, key).getSQLType())}`
	);
	return {
		targets: listed(keys.map((key) => sql.identifier(columnOf(columns, key).name))),
		values: listed(keys.map((key) => sql`r.${sql.identifier(key)}`)),
		source: sql`jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) AS r(${listed(definitions)})`
	};
}

function columnOf(columns: ReturnType<typeof getTableColumns>, key: string) {
	const column = columns[key];
	if (!column) throw new Error(`Bulk rows carry "${key}", which is no column of the table`);
	return column;
}
