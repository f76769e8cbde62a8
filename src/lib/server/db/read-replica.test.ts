/**
 * onReadReplica's choice of database, without servers (the real replica: scaling.test.ts): the
 * replica answers; the primary answers instead when the replica cannot, and only then.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from './index';
import { onReadReplica } from './read-replica';

const primary = { name: 'primary' } as unknown as Database;
const replica = { name: 'replica' } as unknown as Database;
const nameOf = async (db: Database) => (db as unknown as { name: string }).name;

/** As drizzle throws a driver's error: wrapped, the SQLSTATE on its cause. */
function failing(code: string) {
	return async (db: Database) => {
		if (db === replica) throw new Error('Failed query', { cause: { code } });
		return nameOf(db);
	};
}

describe('onReadReplica', () => {
	it('reads from the replica when there is one, else from the primary', async () => {
		expect(await onReadReplica({ db: primary, readDb: replica }, nameOf)).toBe('replica');
		expect(await onReadReplica({ db: primary }, nameOf)).toBe('primary');
	});

	it.each([
		['25006', 'a write refused by the standby'],
		['40001', 'a read cancelled for a conflict with recovery'],
		['ECONNREFUSED', 'the replica down']
	])('answers from the primary on %s (%s)', async (code) => {
		expect(await onReadReplica({ db: primary, readDb: replica }, failing(code))).toBe('primary');
	});

	it('passes on any other error, without asking the primary', async () => {
		await expect(onReadReplica({ db: primary, readDb: replica }, failing('23505'))).rejects.toThrow(
			'Failed query'
		);
	});
});
