/**
 * Reads that only read (issue 15): with stale facts queued, every KPI read (scorecard, its
 * ground, trends, drill-down, the station's row and months, the boards' reworks and data
 * quality, the freshness itself) succeeds inside a READ ONLY transaction, where a refresh would
 * be refused. The background refresh brings the facts to what a recomputation of every job
 * gives, in batches, with the freshness saying how far behind they are meanwhile; two workers
 * racing take each queued mark once and leave the daily rollup right.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import { dataQuality } from '../review/data-quality';
import { countReworks, reworkList } from '../review/reworks';
import { testEngines } from '../testing/databases';
import { createJob, createStation, createUser } from '../testing/fixtures';
import { drillDownJobs } from './drill-down';
import { factsFreshness, refreshStaleFacts } from './fact-refresh';
import { jobFacts } from './job-facts';
import { computeScorecard, computeScorecardWithGround } from './scorecard';
import { computeStationKpis, monthlyStationKpis } from './station-kpis';
import { monthlyScorecards } from './trends';

const MARCH = { from: '2026-03-01', to: '2026-04-01' };
const JOBS = 7;

for (const engine of testEngines()) {
	describe(`KPI facts refreshed in the background on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stations = 0;

		beforeAll(async () => {
			handle = await engine.open();
		});
		afterAll(() => handle?.close());

		/** A station with JOBS completed jobs in March (two of one serial: a rework), none refreshed. */
		async function station() {
			const db = handle.db;
			const created = await createStation(db, `FRESH-${++stations}`);
			const tech = await createUser(db, created, 'tech');
			const boss = await createUser(db, created, 'boss', 'supervisor');
			for (let n = 1; n <= JOBS; n++) {
				await createJob(db, tech, {
					jobNo: `F-${n}`,
					status: 'completed',
					outcome: n === 3 ? 'not_fixed' : 'fixed',
					deviceSerial: n <= 2 ? 'SN-SAME' : `SN-${n}`,
					reportedAt: new Date(Date.UTC(2026, 2, n * 2, 1)),
					arrivedAt: new Date(Date.UTC(2026, 2, n * 2, 2)),
					startedAt: new Date(Date.UTC(2026, 2, n * 2, 3)),
					completedAt: new Date(Date.UTC(2026, 2, n * 2, 4))
				});
			}
			return { stationId: created.id, boss };
		}

		const queued = async (db: Database, stationId: string) =>
			(
				await queryRows<{ n: number }>(
					db,
					sql`SELECT count(*)::int AS n FROM job_kpi_stale WHERE station_id = ${stationId}::uuid`
				)
			)[0].n;

		/** Every read a scorecard page, its trends, drill-down, boards and exports make. */
		async function everyRead(db: Database, stationId: string, boss: SessionUser) {
			const scope = { stationId, ...MARCH };
			const window = { stationId, firstMonth: '2026-02', months: 3 };
			return {
				scorecard: await computeScorecard(db, scope),
				ground: await computeScorecardWithGround(db, scope),
				trends: await monthlyScorecards(db, window),
				facts: await jobFacts(db, scope),
				drillDown: await drillDownJobs(db, scope),
				station: await computeStationKpis(db, scope),
				stationTrend: await monthlyStationKpis(db, window),
				reworks: await reworkList(db, boss, { period: MARCH }),
				reworkCount: await countReworks(db, boss, MARCH),
				quality: await dataQuality(db, scope)
			};
		}

		/** Rolls back whatever it ran: the reads are checked, never kept. */
		async function readOnly<T>(run: (tx: Database) => Promise<T>): Promise<T> {
			let result: T | undefined;
			await handle.db
				.transaction(async (tx) => {
					await tx.execute(sql`SET TRANSACTION READ ONLY`);
					result = await run(tx as unknown as Database);
					throw new RolledBack();
				})
				.catch((error: unknown) => {
					if (!(error instanceof RolledBack)) throw error;
				});
			return result as T;
		}

		it('serves every KPI read in a read-only transaction while facts are stale', async () => {
			const { stationId, boss } = await station();
			expect(await queued(handle.db, stationId)).toBeGreaterThan(0);

			const stale = await readOnly(async (tx) => ({
				reads: await everyRead(tx, stationId, boss),
				freshness: await factsFreshness(tx, stationId)
			}));
			// Nothing refreshed yet: no job counted, and the answer says so.
			expect(stale.reads.scorecard).toEqual([]);
			expect(stale.reads.facts).toEqual([]);
			expect(stale.freshness).toMatchObject({ waitingJobs: JOBS, completedJobs: JOBS });
			expect(stale.freshness.asOf).not.toBeNull();
			// The transaction really refuses writes: a read that refreshed would have failed.
			const refused = await readOnly((tx) => tx.execute(sql`DELETE FROM job_kpi_stale WHERE false`))
				.then(() => null)
				.catch((error: Error) => String(error.cause ?? error));
			expect(refused).toMatch(/read-only transaction/);

			await refreshStaleFacts(handle.db);
			const fresh = await readOnly(async (tx) => ({
				reads: await everyRead(tx, stationId, boss),
				freshness: await factsFreshness(tx, stationId)
			}));
			expect(fresh.freshness).toEqual({ asOf: null, waitingJobs: 0, completedJobs: 0 });
			expect(fresh.reads.scorecard.map((row) => row.jobs_completed)).toEqual([JOBS]);
			expect(fresh.reads.facts).toHaveLength(JOBS);
			expect(fresh.reads.reworkCount).toBe(1);
		});

		it('refreshes a whole station in small batches, its progress readable between them', async () => {
			const { stationId } = await station();
			const db = handle.db;
			let batches = 0;
			const report = await refreshStaleFacts(db, {
				jobs: 2,
				stopped: () => {
					batches++;
					return false;
				}
			});
			expect(report.marks).toBeGreaterThanOrEqual(JOBS);
			expect(batches).toBe(Math.ceil(JOBS / 2));
			expect(await factsFreshness(db, stationId)).toEqual({
				asOf: null,
				waitingJobs: 0,
				completedJobs: 0
			});
			expect(await queued(db, stationId)).toBe(0);
		});

		it('shows partial progress while a refresh is under way', async () => {
			const { stationId } = await station();
			const db = handle.db;
			let batch = 0;
			await refreshStaleFacts(db, {
				jobs: 3,
				stopped: () => {
					// Called before each batch; after the first one, look (a read, as a page's).
					if (++batch === 2) return true;
					return false;
				}
			});
			const seen = await factsFreshness(db, stationId);
			expect(seen.waitingJobs).toBeGreaterThan(0);
			expect(seen.waitingJobs).toBeLessThan(JOBS);
			expect(seen.completedJobs).toBe(JOBS);
			expect((await jobFacts(db, { stationId, ...MARCH })).length).toBe(JOBS - seen.waitingJobs);
			await refreshStaleFacts(db);
			expect((await factsFreshness(db, stationId)).waitingJobs).toBe(0);
		});

		it('gives two racing workers each mark once and the same facts as a full recomputation', async () => {
			const { stationId } = await station();
			const db = handle.db;
			// Another station's backlog too, so the workers have two stations to share.
			const other = await station();
			const marks = (await queued(db, stationId)) + (await queued(db, other.stationId));
			const [first, second] = await Promise.all([
				refreshStaleFacts(db, { jobs: 1 }),
				refreshStaleFacts(db, { jobs: 1 })
			]);
			expect(first.marks + second.marks).toBe(marks);
			expect(await queued(db, stationId)).toBe(0);

			const daily = () =>
				queryRows(
					db,
					sql`SELECT day::text, technician_id::text, jobs_completed, successes, repair_minutes::text
						FROM job_kpi_daily WHERE station_id = ${stationId}::uuid ORDER BY day, technician_id`
				);
			const raced = { facts: await jobFacts(db, { stationId, ...MARCH }), daily: await daily() };
			await db.execute(sql`
				INSERT INTO job_kpi_stale (station_id, job_id)
				SELECT station_id, id FROM jobs WHERE station_id = ${stationId}::uuid`);
			await refreshStaleFacts(db);
			expect(raced).toEqual({
				facts: await jobFacts(db, { stationId, ...MARCH }),
				daily: await daily()
			});
		});
	});
}

class RolledBack extends Error {}
