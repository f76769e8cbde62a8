/**
 * Rows streamed into a temporary staging table with COPY, for set-based SQL on them (an
 * import's merge). COPY sends the rows as a stream of text, so no single value carries them
 * all (a JSON parameter is capped at 256 MB: about 390,000 jobs) and the server parses them at
 * the speed of `psql \copy`. Both engines: postgres.js streams `COPY … FROM STDIN`, PGlite reads
 * `COPY … FROM '/dev/blob'`.
 *
 * A staging table lives until the transaction ends (ON COMMIT DROP). Its columns are the
 * target table's, named by the drizzle property names of the rows, so that SQL written for
 * bulk.ts's recordset (`r."jobNo"`) reads a staging table just as well.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { BulkRow } from './bulk';
import type { Transaction } from './index';

/** The driver client under a drizzle transaction: postgres.js's or PGlite's. */
type CopyClient =
	| { unsafe(query: string): { writable(): Promise<NodeJS.WritableStream> } }
	| { query(query: string, params: unknown[], options: { blob: Blob }): Promise<unknown> };

function copyClient(tx: Transaction): CopyClient {
	// drizzle keeps the driver's transaction on its session; neither driver exposes it otherwise.
	const client = (tx as unknown as { session?: { client?: CopyClient } }).session?.client;
	if (!client) throw new Error('COPY needs a postgres.js or PGlite transaction');
	return client;
}

/** Rows handed to COPY in pieces of about this many characters. */
const CHUNK_CHARS = 1 << 20;
/** PGlite's COPY reads a Blob: at most about this many characters of rows in one. */
const BLOB_CHARS = 32 << 20;

export interface StagedTable {
	/** The staging table, for SQL: `FROM ${staged.name} r`. */
	name: SQL;
	/** The property names of its columns, in order. */
	keys: readonly string[];
	rows: number;
}

/**
 * Creates a temporary table `name` with the columns `keys` of `table` (no constraints) and
 * copies `rows` into it as they come (a stream of rows is never held whole); an empty `rows`
 * gives an empty table.
 */
export async function stageRows<T extends PgTable>(
	tx: Transaction,
	name: string,
	table: T,
	keys: readonly (keyof BulkRow<T> & string)[],
	rows: Iterable<Partial<BulkRow<T>>> | AsyncIterable<Partial<BulkRow<T>>>
): Promise<StagedTable> {
	const columns = getTableColumns(table);
	const staging = sql.identifier(name);
	const selected = keys.map((key) => {
		const column = columns[key];
		if (!column) throw new Error(`"${key}" is no column of the table`);
		return sql`${sql.identifier(column.name)} AS ${sql.identifier(key)}`;
	});
	await tx.execute(sql`DROP TABLE IF EXISTS ${staging}`);
	await tx.execute(
		sql`CREATE TEMP TABLE ${staging} ON COMMIT DROP AS SELECT ${sql.join(selected, sql`, `)}
			FROM ${table} WITH NO DATA`
	);
	let count = 0;
	async function* chunks(): AsyncGenerator<string> {
		let chunk = '';
		for await (const row of rows) {
			count += 1;
			chunk += keys.map((key) => copyText(row[key])).join('\t') + '\n';
			if (chunk.length >= CHUNK_CHARS) {
				yield chunk;
				chunk = '';
			}
		}
		if (chunk !== '') yield chunk;
	}
	const statement = `COPY ${quoteIdentifier(name)} (${keys.map(quoteIdentifier).join(', ')})`;
	const client = copyClient(tx);
	if ('unsafe' in client) {
		const writable = await client.unsafe(`${statement} FROM STDIN`).writable();
		await pipeline(Readable.from(chunks()), writable);
	} else {
		// PGlite runs in this process and reads a COPY from one Blob: the rows go in blobs of
		// a bounded size, one COPY each, so a million rows never sit in memory as one text.
		let pieces: string[] = [];
		let size = 0;
		const copy = async () => {
			if (size > 0)
				await client.query(`${statement} FROM '/dev/blob'`, [], { blob: new Blob(pieces) });
			pieces = [];
			size = 0;
		};
		for await (const chunk of chunks()) {
			pieces.push(chunk);
			size += chunk.length;
			if (size >= BLOB_CHARS) await copy();
		}
		await copy();
	}
	// Autovacuum never sees temporary tables: without statistics the planner takes a staging
	// table for a small one and joins it with nested loops, which is quadratic at 1M rows.
	await tx.execute(sql`ANALYZE ${staging}`);
	return { name: sql`${staging}`, keys, rows: count };
}

/** A value in COPY's text format: \N for null, backslash escapes for the special characters. */
function copyText(value: unknown): string {
	if (value === null || value === undefined) return '\\N';
	const text =
		value instanceof Date
			? value.toISOString()
			: typeof value === 'boolean'
				? value
					? 't'
					: 'f'
				: String(value);
	return text.replace(/[\\\t\n\r]/g, (char) => COPY_ESCAPES[char]);
}

const COPY_ESCAPES: Record<string, string> = {
	'\\': '\\\\',
	'\t': '\\t',
	'\n': '\\n',
	'\r': '\\r'
};

function quoteIdentifier(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}
