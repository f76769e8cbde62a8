/**
 * The phone's side of the pull in columns (shared/sync-columns.ts), loaded when a pull is made
 * (the first load's script budget has no room for it): the answer back in `sync.pull`'s shape,
 * then checked against pullOutputSchema, as `sync.pull`'s answer was.
 *
 * Not in client/sync/ with the rest of the engine: the build puts everything there into the
 * store's chunk, which the technician app loads first (vite.config.ts, `local-store`).
 */
import { pullOutputSchema } from '../shared/sync-records';
import { PULL_COLUMNS } from '../shared/sync-columns';

/** The check of a pull's answer that the transport applies (trpc-transport.ts). */
export const pulledColumnsSchema = {
	safeParse: (answer: unknown) => pullOutputSchema.safeParse(fromColumns(answer))
};

/**
 * An answer in columns back in `sync.pull`'s shape. Anything not in the
 * expected shape is passed on as it is, for pullOutputSchema to refuse.
 */
export function fromColumns(answer: unknown): unknown {
	if (typeof answer !== 'object' || answer === null) return answer;
	const { changes } = answer as { changes?: unknown };
	if (typeof changes !== 'object' || changes === null) return answer;
	const expanded: Record<string, unknown> = {};
	for (const [key, columns] of Object.entries(PULL_COLUMNS)) {
		const list = (changes as Record<string, unknown>)[key];
		expanded[key] = Array.isArray(list)
			? list.map((row: unknown) =>
					Array.isArray(row)
						? Object.fromEntries(
								columns.map((column, i) => [
									column,
									column.endsWith('At') && typeof row[i] === 'number' ? new Date(row[i]) : row[i]
								])
							)
						: row
				)
			: list;
	}
	return { ...answer, changes: expanded };
}
