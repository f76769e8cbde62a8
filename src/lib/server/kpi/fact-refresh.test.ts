/**
 * Reads that only read (issue 15): with stale facts queued, every KPI read (scorecard, its
 * ground, trends, drill-down, the station's row and months, the boards' reworks and data
 * quality, the freshness itself) succeeds inside a READ ONLY transaction, where a refresh would
 * be refused. The background refresh brings the facts to what a recomputation of every job
 * gives, in batches, with the freshness saying how far behind they are meanwhile; two workers
 * racing take each queued mark once and leave the daily rollup right. A long queue (a whole
 * station marked at once, an import) is taken in batches that grow while they stay within their
 * time budget, and ends with the facts of a recomputation from scratch.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import { dataQuality } from '../review/data-quality';
import { countReworks, reworkList } from '../review/reworks';
import { testEngines } from '../testing/databases';
import { createJob, createStation, createUser } from '../testing/fixtures';
import { jobs } from '../db/schema';
import { drillDownJobs } from './drill-down';
import { factsFreshness, refreshStaleFacts, refreshStation } from './fact-refresh';
import { jobFacts } from './job-facts';
import { computeScorecard, computeScorecardWithGround } from './scorecard';
import { computeStationKpis, monthlyStationKpis } from './station-kpis';
import { monthlyScorecards } from './trends';

const MARCH = { from: '2026-03-01', to: '2026-04-01' };
const JOBS = 7;
/** The jobs of a station imported at once: a long queue, all marked by one statement. */
const IMPORTED = 40;

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

		/**
		 * A station of IMPORTED completed jobs written by one statement (as an import), in the
		 * reverse order of their completion (two a local day in March), none refreshed.
		 */
		async function importedStation() {
			const db = handle.db;
			const created = await createStation(db, `FRESH-${++stations}`);
			const tech = await createUser(db, created, 'tech');
			const completedAt = (n: number) => new Date(Date.UTC(2026, 2, 1, 12 * n + 1));
			await db.insert(jobs).values(
				Array.from({ length: IMPORTED }, (_, index) => {
					const n = IMPORTED - 1 - index;
					const at = completedAt(n);
					return {
						id: randomUUID(),
						stationId: created.id,
						technicianId: tech.id,
						jobNo: `I-${n}`,
						status: 'completed' as const,
						outcome: n % 5 === 0 ? ('not_fixed' as const) : ('fixed' as const),
						deviceSerial: `SN-${n % 7}`,
						reportedAt: new Date(at.getTime() - 3 * 3600_000),
						arrivedAt: new Date(at.getTime() - 2 * 3600_000),
						startedAt: new Date(at.getTime() - 3600_000),
						completedAt: at
					};
				})
			);
			return { stationId: created.id };
		}

		/** The station's facts and daily rows, as stored. */
		const stored = async (db: Database, stationId: string) => ({
			facts: await queryRows(
				db,
				sql`SELECT * FROM job_kpi_facts WHERE station_id = ${stationId}::uuid ORDER BY job_id`
			),
			daily: await queryRows(
				db,
				sql`SELECT * FROM job_kpi_daily WHERE station_id = ${stationId}::uuid
					ORDER BY day, technician_id`
			)
		});

		/** The facts computed again from nothing: every row dropped, every job refreshed at once. */
		async function fromScratch(db: Database, stationId: string) {
			await db.execute(sql`DELETE FROM job_kpi_facts WHERE station_id = ${stationId}::uuid`);
			await db.execute(sql`DELETE FROM job_kpi_daily WHERE station_id = ${stationId}::uuid`);
			await db.execute(sql`
				INSERT INTO job_kpi_stale (station_id, job_id)
				SELECT station_id, id FROM jobs WHERE station_id = ${stationId}::uuid`);
			await refreshStation(db, stationId, { jobs: IMPORTED, maxJobs: IMPORTED });
			return stored(db, stationId);
		}

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
				maxJobs: 2,
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
				maxJobs: 3,
				stopped: () => {
					// Called before each batch; after the first one, look (a read, as a page's).
					if (++batch === 2) return true;
					return false;
				}
			});
			const { seen, facts } = await readOnly(async (tx) => ({
				seen: await factsFreshness(tx, stationId),
				facts: await jobFacts(tx, { stationId, ...MARCH })
			}));
			expect(seen.waitingJobs).toBeGreaterThan(0);
			expect(seen.waitingJobs).toBeLessThan(JOBS);
			expect(seen.completedJobs).toBe(JOBS);
			expect(facts.length).toBe(JOBS - seen.waitingJobs);
			await refreshStaleFacts(db);
			expect((await factsFreshness(db, stationId)).waitingJobs).toBe(0);
		});

		it('drains a long queue in batches that grow within their budget, to the facts from scratch', async () => {
			const db = handle.db;
			const drain = async (budgetMs: number) => {
				const { stationId } = await importedStation();
				const marks = await queued(db, stationId);
				let batches = 0;
				const report = await refreshStaleFacts(db, {
					jobs: 2,
					maxJobs: 8,
					budgetMs,
					stopped: () => {
						batches++;
						return false;
					}
				});
				expect(report).toEqual({ stations: 1, marks });
				expect(await queued(db, stationId)).toBe(0);
				return { stationId, batches };
			};
			// A budget far above any batch of a few jobs: each full batch doubles the next one,
			// 2 + 4 + 8 + 8 + 8 + 8 + 2 jobs.
			const grown = await drain(60_000);
			expect(grown.batches).toBe(7);
			// Every batch over a budget of nothing: none grows.
			expect((await drain(0)).batches).toBe(IMPORTED / 2);

			const drained = await stored(db, grown.stationId);
			expect(drained.facts).toHaveLength(IMPORTED);
			expect(drained).toEqual(await fromScratch(db, grown.stationId));
		});

		it('lets two workers race on a long queue: each mark taken once, the facts from scratch', async () => {
			const { stationId } = await importedStation();
			const db = handle.db;
			const marks = await queued(db, stationId);
			const [first, second] = await Promise.all([
				refreshStaleFacts(db, { jobs: 2, maxJobs: 8 }),
				refreshStaleFacts(db, { jobs: 2, maxJobs: 8 })
			]);
			expect(first.marks + second.marks).toBe(marks);
			expect(await queued(db, stationId)).toBe(0);
			const raced = await stored(db, stationId);
			expect(raced).toEqual(await fromScratch(db, stationId));
		});

		it('gives two racing workers each mark once and the same facts as a full recomputation', async () => {
			const { stationId } = await station();
			const db = handle.db;
			// Another station's backlog too, so the workers have two stations to share.
			const other = await station();
			const marks = (await queued(db, stationId)) + (await queued(db, other.stationId));
			const [first, second] = await Promise.all([
				refreshStaleFacts(db, { jobs: 1, maxJobs: 1 }),
				refreshStaleFacts(db, { jobs: 1, maxJobs: 1 })
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
