/** The server's side of the pull in columns (shared/sync-columns.ts). */
import { z } from 'zod/mini';
import { pullOutputSchema, type PullOutput } from '../../shared/sync-records';
import { PULL_COLUMNS } from '../../shared/sync-columns';

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

/** A pull's answer in columns. */
export function toColumns(pull: PullOutput): PullColumnsOutput {
	const table = <K extends keyof Changes>(key: K) =>
		pull.changes[key].map((record) =>
			PULL_COLUMNS[key].map((column) => {
				const value = (record as Record<string, unknown>)[column];
				return value instanceof Date ? value.getTime() : value;
			})
		);
	return {
		...pull,
		changes: {
			jobs: table('jobs'),
			jobParts: table('jobParts'),
			followUps: table('followUps'),
			parts: table('parts'),
			faultCategories: table('faultCategories')
		}
	};
}
