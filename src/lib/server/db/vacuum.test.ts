/**
 * The embedded database's autovacuum (vacuum.ts). It exists for PGlite, which has no
 * autovacuum of its own, so it is tested there; the PostgreSQL server vacuums by itself and
 * would race the test.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openMigratedDatabase, type DatabaseHandle } from './index';
import { queryRows } from './rows';
import { vacuumWhereDue } from './vacuum';
import { startMaintenance } from '../maintenance';
import { createStation, createUser } from '../testing/fixtures';

describe('autovacuum of the embedded database', () => {
	let handle: DatabaseHandle;

	beforeEach(async () => {
		handle = await openMigratedDatabase({ kind: 'pglite', dir: null });
	});

	afterEach(async () => {
		await handle?.close();
	});

	/** `count` jobs of one technician, inserted in one statement. */
	async function insertJobs(count: number) {
		const station = await createStation(handle.db, 'VAC');
		const technician = await createUser(handle.db, station, 'tech');
		await handle.db.execute(sql`
			INSERT INTO jobs (station_id, id, job_no, technician_id, customer_name, reported_at)
			SELECT ${station.id}::uuid, gen_random_uuid(), 'V-' || n, ${technician.id}::uuid, 'c', now()
			FROM generate_series(1, ${count}) AS n`);
	}

	/** Statistics are counted per transaction and published a moment later; publish them now. */
	async function publishStatistics() {
		await handle.db.execute(sql`SELECT pg_stat_force_next_flush()`);
		await handle.db.execute(sql`SELECT 1`);
	}

	async function jobsTable() {
		const [row] = await queryRows<{
			reltuples: number;
			analyzed: boolean;
			vacuumed: boolean;
			dead: number;
		}>(
			handle.db,
			sql`SELECT c.reltuples::float8 AS reltuples, t.last_analyze IS NOT NULL AS analyzed,
				t.last_vacuum IS NOT NULL AS vacuumed, t.n_dead_tup::int AS dead
			FROM pg_class c JOIN pg_stat_user_tables t ON t.relid = c.oid
			WHERE c.oid = 'public.jobs'::regclass`
		);
		return row;
	}

	it('analyzes and vacuums a table once enough rows changed, and leaves it alone after', async () => {
		await insertJobs(2_000);
		await publishStatistics();
		expect(await jobsTable()).toMatchObject({ reltuples: -1, analyzed: false });

		const first = await vacuumWhereDue(handle.db);
		// 2,000 new rows pass both the analyze threshold and the insert threshold of a vacuum.
		expect(first.analyzed).toContain('public.jobs');
		expect(first.vacuumed).toContain('public.jobs');
		expect(await jobsTable()).toMatchObject({ reltuples: 2_000, analyzed: true, vacuumed: true });

		await publishStatistics();
		const second = await vacuumWhereDue(handle.db);
		expect(second.analyzed).not.toContain('public.jobs');
		expect(second.vacuumed).not.toContain('public.jobs');
	});

	it('vacuums away the dead rows that updates leave', async () => {
		await insertJobs(1_000);
		await publishStatistics();
		await vacuumWhereDue(handle.db);

		// Every row rewritten: 1,000 dead versions, far past 50 + 20% of 1,000.
		await handle.db.execute(sql`UPDATE jobs SET notes = 'rewritten'`);
		await publishStatistics();
		expect((await jobsTable()).dead).toBe(1_000);

		const report = await vacuumWhereDue(handle.db);
		expect(report.vacuumed).toContain('public.jobs');
		await publishStatistics();
		expect((await jobsTable()).dead).toBe(0);
	});

	it('runs in the background when the server starts on the embedded database', async () => {
		await insertJobs(500);
		await publishStatistics();
		vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
		try {
			const stop = startMaintenance(handle.db, { embedded: true, log: () => {} });
			await vi.advanceTimersByTimeAsync(10_000);
			vi.useRealTimers();
			await vi.waitFor(async () => expect((await jobsTable()).analyzed).toBe(true), {
				timeout: 20_000
			});
			await stop();
		} finally {
			vi.useRealTimers();
		}
	});
});
