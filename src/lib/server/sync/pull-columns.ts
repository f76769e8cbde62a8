/**
 * The server's side of the pull in columns (shared/sync-columns.ts): the same statements as
 * `sync.pull` (pull.ts), each table's rows turned into the phone's arrays by the database, one
 * JSON text per table, so no row passes through the driver's per-value decoding or a JS loop.
 */
import { Column, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod/mini';
import type { Database } from '../db';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import type { pullInputSchema } from '../../shared/sync';
import { pullOutputSchema, type PullOutput } from '../../shared/sync-records';
import { PULL_COLUMNS } from '../../shared/sync-columns';
import { pullSnapshot, type ChangeReads } from './pull';

type Changes = PullOutput['changes'];

const rows = z.array(z.array(z.unknown()));

/** Checked lightly on the server (it built the answer); the phone checks the expanded answer. */
export const pullColumnsOutputSchema = z.object({
	cursor: z.string(),
	lastMutationId: pullOutputSchema.shape.lastMutationId,
	reset: z.boolean(),
	changes: z.object({
		jobs: rows,
		jobParts: rows,
		followUps: rows,
		parts: rows,
		faultCategories: rows
	}),
	deletes: pullOutputSchema.shape.deletes
});
export type PullColumnsOutput = z.infer<typeof pullColumnsOutputSchema>;

/** `sync.pullColumns`: `sync.pull`'s answer, its rows in columns. */
export function pullColumns(
	db: Database,
	user: SessionUser,
	input: z.output<typeof pullInputSchema>
): Promise<PullColumnsOutput> {
	return pullSnapshot(db, user, input, async (reads, tx) => {
		const [jobs, jobParts, followUps, parts, faultCategories] = await Promise.all(
			(['jobs', 'jobParts', 'followUps', 'parts', 'faultCategories'] as const).map(async (key) => {
				const [{ rows }] = await queryRows<{ rows: string }>(tx, asColumns(reads, key));
				return JSON.parse(rows) as unknown[][];
			})
		);
		return { jobs, jobParts, followUps, parts, faultCategories };
	});
}

/**
 * One table's rows as a JSON array of arrays in PULL_COLUMNS' order, valued as sync.pull's
 * records are: times as epoch milliseconds (a Date keeps whole milliseconds, rounded down),
 * numerics as their exact text (a JSON number would lose "8.50"'s scale).
 */
function asColumns<K extends keyof Changes>(reads: ChangeReads, key: K): SQL {
	const changed = reads[key].as('changed');
	const fields = changed as unknown as Record<string, unknown>;
	const values = PULL_COLUMNS[key].map((name): SQL => {
		const field = fields[name];
		if (name.endsWith('At')) return sql`floor(extract(epoch FROM ${field}) * 1000)::bigint`;
		if (field instanceof Column && field.columnType === 'PgNumeric') return sql`${field}::text`;
		return sql`${field}`;
	});
	return sql`SELECT coalesce(json_agg(json_build_array(${sql.join(values, sql`, `)})), '[]')::text AS rows
		FROM ${changed}`;
}
