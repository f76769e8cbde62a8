/**
 * Background maintenance: old sync tombstones are pruned (and the station's horizon moves past
 * them), every station's stale KPI facts are refreshed, and the timer runs a round after
 * start-up and stops cleanly.
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

		it('prunes tombstones past retention and refreshes stale KPI facts', async () => {
			const db = handle.db;
			const { stationId, jobId } = await station();
			expect(
				await db.select().from(jobKpiStale).where(eq(jobKpiStale.stationId, stationId))
			).not.toEqual([]);

			const report = await runMaintenance(db);
			expect(report.tombstonesPruned).toBeGreaterThanOrEqual(1);
			expect(report.stationsRefreshed).toBeGreaterThanOrEqual(1);

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
			expect(
				await db.select().from(jobKpiStale).where(eq(jobKpiStale.stationId, stationId))
			).toEqual([]);
			const facts = await db
				.select({ jobId: jobKpiFacts.jobId })
				.from(jobKpiFacts)
				.where(eq(jobKpiFacts.stationId, stationId));
			expect(facts).toEqual([{ jobId }]);

			// Nothing left to do: a second round changes nothing.
			expect(await runMaintenance(db)).toEqual({
				tombstonesPruned: 0,
				uploadsAbandoned: 0,
				stationsRefreshed: 0
			});
		});

		it('runs a round in the background after start-up, and stops', async () => {
			const { stationId } = await station();
			vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
			const logged: string[] = [];
			try {
				const stop = startMaintenance(handle.db, {
					embedded: handle.kind === 'pglite',
					log: (message) => logged.push(message)
				});
				await vi.advanceTimersByTimeAsync(10_000);
				vi.useRealTimers();
				await vi.waitFor(() => expect(logged).toHaveLength(1), { timeout: 20_000 });
				expect(logged[0]).toMatch(
					/pruned \d+ sync tombstone\(s\) and refreshed the KPI facts of \d+ station/
				);
				await stop();
			} finally {
				vi.useRealTimers();
			}
			expect(
				await handle.db.select().from(jobKpiStale).where(eq(jobKpiStale.stationId, stationId))
			).toEqual([]);
		});
	});
}
