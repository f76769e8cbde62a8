/**
 * Background maintenance: old sync tombstones are pruned (and the station's horizon moves past
 * them), the queued KPI facts are refreshed within seconds of start-up (the worker of
 * kpi/fact-refresh.ts), and the timers stop cleanly.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from './db';
import { jobKpiFacts, jobKpiStale, syncRetention, syncTombstones } from './db/schema';
import { runMaintenance, startMaintenance } from './maintenance';
import { TOMBSTONE_RETENTION_DAYS } from './sync/retention';
import { createJob, createStation, createUser } from './testing/fixtures';
import { testEngines } from './testing/databases';

const DAY_MS = 86_400_000;

for (const engine of testEngines()) {
	describe(`maintenance on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stations = 0;

		beforeAll(async () => {
			handle = await engine.open();
		});

		afterAll(async () => {
			await handle?.close();
		});

		/** A station with one completed job (facts not yet computed) and two tombstones. */
		async function station() {
			const db = handle.db;
			const created = await createStation(db, `MAINT-${++stations}`);
			const technician = await createUser(db, created, 'tech');
			const job = await createJob(db, technician, {
				status: 'completed',
				outcome: 'fixed',
				completedAt: new Date('2026-03-02T03:00:00Z')
			});
			const tombstone = (daysAgo: number) => ({
				stationId: created.id,
				tableName: 'jobs' as const,
				rowId: randomUUID(),
				deletedAt: new Date(Date.now() - daysAgo * DAY_MS)
			});
			await db
				.insert(syncTombstones)
				.values([tombstone(TOMBSTONE_RETENTION_DAYS + 5), tombstone(1)]);
			return { stationId: created.id, jobId: job.id };
		}

		it('prunes tombstones past retention', async () => {
			const db = handle.db;
			const { stationId } = await station();
			expect(
				await db.select().from(jobKpiStale).where(eq(jobKpiStale.stationId, stationId))
			).not.toEqual([]);

			const report = await runMaintenance(db);
			expect(report.tombstonesPruned).toBeGreaterThanOrEqual(1);

			const left = await db
				.select({ deletedAt: syncTombstones.deletedAt })
				.from(syncTombstones)
				.where(eq(syncTombstones.stationId, stationId));
			expect(left).toHaveLength(1);
			const [horizon] = await db
				.select()
				.from(syncRetention)
				.where(eq(syncRetention.stationId, stationId));
			expect(horizon?.prunedThrough).toBeDefined();

			// Nothing left to do: a second round changes nothing.
			expect(await runMaintenance(db)).toEqual({
				tombstonesPruned: 0,
				uploadsAbandoned: 0
			});
		});

		it('refreshes the queued KPI facts soon after start-up, prunes later, and stops', async () => {
			const { stationId, jobId } = await station();
			vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
			const logged: string[] = [];
			const queued = () =>
				handle.db.select().from(jobKpiStale).where(eq(jobKpiStale.stationId, stationId));
			try {
				const stop = startMaintenance(handle.db, {
					embedded: handle.kind === 'pglite',
					log: (message) => logged.push(message)
				});
				await vi.advanceTimersByTimeAsync(1_000);
				await vi.waitFor(async () => expect(await queued()).toEqual([]), { timeout: 20_000 });
				const facts = await handle.db
					.select({ jobId: jobKpiFacts.jobId })
					.from(jobKpiFacts)
					.where(eq(jobKpiFacts.stationId, stationId));
				expect(facts).toEqual([{ jobId }]);
				expect(logged).toEqual([]);

				await vi.advanceTimersByTimeAsync(9_000);
				vi.useRealTimers();
				await vi.waitFor(() => expect(logged).toHaveLength(1), { timeout: 20_000 });
				expect(logged[0]).toMatch(/pruned \d+ sync tombstone\(s\)/);
				await stop();
			} finally {
				vi.useRealTimers();
			}
		});
	});
}
