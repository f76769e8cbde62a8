import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../testing/databases';
import type { DatabaseHandle } from './index';
import {
	isDatabaseUnavailable,
	isTransactionConflict,
	openMigratedDatabaseWhenReachable,
	retryingTransaction
} from './outage';
import { queryRows } from './rows';

const wrapped = (code: string) =>
	new Error('Failed query: update jobs set …', { cause: Object.assign(new Error('x'), { code }) });

describe('database fault classes', () => {
	it('tells a lost connection and a lost race from the request’s own faults', () => {
		for (const code of ['CONNECTION_CLOSED', 'ECONNREFUSED', '57P01', '08006', '53300', '25006']) {
			expect(isDatabaseUnavailable(wrapped(code)), code).toBe(true);
		}
		for (const code of ['40001', '40P01'])
			expect(isTransactionConflict(wrapped(code)), code).toBe(true);
		for (const code of ['23505', '22P02', '42P01', 'BAD_REQUEST']) {
			expect(
				isDatabaseUnavailable(wrapped(code)) || isTransactionConflict(wrapped(code)),
				code
			).toBe(false);
		}
	});

	it('start-up waits for an unreachable server, saying so, and gives up when the wait is over', async () => {
		const lines: string[] = [];
		const started = Date.now();
		// Nothing listens on port 9 of the loopback: connections are refused at once.
		const opening = openMigratedDatabaseWhenReachable(
			{ kind: 'postgres', url: 'postgres://nobody@127.0.0.1:9/none' },
			{ maxWaitMs: 1500, log: (line) => lines.push(line) }
		);
		await expect(opening).rejects.toSatisfy(isDatabaseUnavailable);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
		expect(lines.length).toBeGreaterThanOrEqual(2);
		expect(lines[0]).toMatch(/cannot be reached yet .* trying again, giving up in \d+ s/);
	});
});

for (const engine of testEngines().filter((candidate) => candidate.name === 'postgres')) {
	describe(`retryingTransaction on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		beforeAll(async () => {
			handle = await engine.open();
			await handle.db.execute(sql`CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)`);
			await handle.db.execute(sql`INSERT INTO counters VALUES (1, 0), (2, 0)`);
		});
		afterAll(() => handle.close());

		it('runs both transactions of a deadlock to the end', async () => {
			let attempts = 0;
			let arrived = 0;
			let bothHoldOneRow!: () => void;
			const barrier = new Promise<void>((resolve) => (bothHoldOneRow = resolve));
			const crosswise = (first: number, second: number) =>
				retryingTransaction(handle.db, async (tx) => {
					attempts += 1;
					await tx.execute(sql`UPDATE counters SET n = n + 1 WHERE id = ${first}`);
					if (++arrived === 2) bothHoldOneRow();
					await barrier;
					await tx.execute(sql`UPDATE counters SET n = n + 1 WHERE id = ${second}`);
				});
			await Promise.all([crosswise(1, 2), crosswise(2, 1)]);
			// Postgres chose a victim, which ran again: three attempts or more for two transactions.
			expect(attempts).toBeGreaterThanOrEqual(3);
			const rows = await queryRows<{ id: number; n: number }>(
				handle.db,
				sql`SELECT id::int, n::int FROM counters ORDER BY id`
			);
			expect(rows).toEqual([
				{ id: 1, n: 2 },
				{ id: 2, n: 2 }
			]);
		});

		it('runs a serialization failure again from the start', async () => {
			let attempts = 0;
			let arrived = 0;
			let bothRead!: () => void;
			const barrier = new Promise<void>((resolve) => (bothRead = resolve));
			const readThenWrite = (id: number) =>
				retryingTransaction(
					handle.db,
					async (tx) => {
						attempts += 1;
						await tx.execute(sql`SELECT sum(n) FROM counters`);
						if (++arrived === 2) bothRead();
						await barrier;
						await tx.execute(sql`UPDATE counters SET n = n + 10 WHERE id = ${id}`);
					},
					{ isolationLevel: 'serializable' }
				);
			await Promise.all([readThenWrite(1), readThenWrite(2)]);
			expect(attempts).toBeGreaterThanOrEqual(3);
			const [{ total }] = await queryRows<{ total: number }>(
				handle.db,
				sql`SELECT sum(n)::int AS total FROM counters`
			);
			expect(total).toBe(24);
		});
	});
}
