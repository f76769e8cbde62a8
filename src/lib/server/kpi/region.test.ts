/**
 * The region manager (roles.md's last column): reads exactly the stations assigned to them,
 * side by side, each scored by its own settings with the numbers of its own scorecard; a station
 * outside the region is not found; every write path (tRPC procedures, the sync push, the
 * station's own reads) refuses them. Only a system administrator (or the CLI) assigns
 * stations, audited. Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, gte, lt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import {
	accountAudit,
	jobKpiMonthlyStation,
	jobs,
	kpiSettingsVersions,
	stations
} from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { COMMAND_LINE, setRegionStations } from '../auth/accounts';
import { resetDemoStation } from '../demo/load';
import { TestDevice } from '../sync/testing';
import { testEngines } from '../testing/databases';
import { createStation, createUser, setStationSettings } from '../testing/fixtures';
import { createCallerFactory } from '../trpc/core';
import { appRouter } from '../trpc/router';
import { DEFAULT_KPI_SETTINGS } from '../../shared/kpi-settings';
import { REGION_BEST_AND_WORST } from './region';
import { computeScorecard } from './scorecard';
import { closeMonth } from './closing';
import { computeStationKpis, visibleStationKpis } from './station-kpis';
import { refreshStaleFacts } from './fact-refresh';
import { outcomeOf } from '../testing/outcomes';

const createCaller = createCallerFactory(appRouter);
const QUARTER = { from: '2026-01-01', to: '2026-04-01' };
const NOW = new Date('2026-05-20T06:30:00Z');

/** A demo station (its two years of history) under its own code. */
async function demoStation(db: Database, code: string, seed: number): Promise<string> {
	const { stationId } = await resetDemoStation(db, { now: NOW, seed, password: 'unused-demo-pw' });
	await db.update(stations).set({ code }).where(eq(stations.id, stationId));
	return stationId;
}

for (const engine of testEngines()) {
	describe(`the region manager on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let north: string;
		let south: string;
		let outside: string;
		let manager: SessionUser;
		let systemAdmin: SessionUser;
		let supervisor: SessionUser;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			north = await demoStation(db, 'NORTH', 7);
			south = await demoStation(db, 'SOUTH', 8);
			outside = await demoStation(db, 'OUTSIDE', 9);
			// South scores by other settings: each station is compared by its own.
			await setStationSettings(db, south, {
				minJobsForRanking: 1,
				kpiSettings: {
					...DEFAULT_KPI_SETTINGS,
					thresholds: {
						...DEFAULT_KPI_SETTINGS.thresholds,
						repair_success_rate: { pass: 0.5, excellent: 0.7 }
					},
					minimums: { ...DEFAULT_KPI_SETTINGS.minimums, csat: 40 }
				}
			});
			// In mid-quarter South changes its settings, effective 15 February: a shorter rework
			// window (the facts of later jobs) and a stricter success rate (the quarter's scores).
			await db.insert(kpiSettingsVersions).values({
				stationId: south,
				effectiveFrom: '2026-02-15',
				kpiSettings: {
					...DEFAULT_KPI_SETTINGS,
					thresholds: {
						...DEFAULT_KPI_SETTINGS.thresholds,
						repair_success_rate: { pass: 0.6, excellent: 0.8 }
					}
				},
				reworkWindowDays: 10,
				minJobsForRanking: 1
			});
			await refreshStaleFacts(db);
			// North ranks only its busier half: the others have too few jobs to be on the lists.
			const northJobs = (await computeScorecard(db, { stationId: north, ...QUARTER }))
				.map((row) => row.jobs_completed)
				.sort((a, b) => a - b);
			await setStationSettings(db, north, {
				minJobsForRanking: northJobs[Math.floor(northJobs.length / 2)]
			});
			const home = await createStation(db, 'RHQ');
			manager = await createUser(db, home, 'region', 'region_manager');
			systemAdmin = await createUser(db, home, 'root', 'system_admin');
			const [northRow] = await db.select().from(stations).where(eq(stations.id, north));
			supervisor = await createUser(db, northRow, 'north-boss', 'supervisor');
			await setRegionStations(
				db,
				{ stationId: home.id, userId: manager.id, stationCodes: ['NORTH', 'SOUTH'] },
				{ actor: { kind: 'user', user: systemAdmin }, reason: 'new region' }
			);
		});
		afterAll(() => handle?.close());

		const api = (user: SessionUser) => createCaller({ db, user });

		it('reads exactly the assigned stations', async () => {
			const listed = await api(manager).region.stations();
			expect(listed.map((station) => station.id)).toEqual([north, south]);
			const { stations: sideBySide } = await api(manager).region.comparison(QUARTER);
			expect(sideBySide.map((entry) => entry.station.code)).toEqual(['NORTH', 'SOUTH']);
		});

		it("shows each station's own numbers: its station row, its scorecard's rows, its trend", async () => {
			const comparison = await api(manager).region.comparison(QUARTER);
			for (const entry of comparison.stations) {
				const own = await computeStationKpis(db, { stationId: entry.station.id, ...QUARTER });
				expect(own).not.toBeNull();
				expect(entry.kpis).toEqual(own);
				expect(entry.closed).toBe(false);
			}
			expect(comparison.trendMonths).toEqual([
				'2025-10',
				'2025-11',
				'2025-12',
				'2026-01',
				'2026-02',
				'2026-03'
			]);
			for (const entry of comparison.stations) {
				for (const [index, month] of comparison.trendMonths.entries()) {
					const [year, monthNo] = month.split('-').map(Number);
					const to = new Date(Date.UTC(year, monthNo, 1)).toISOString().slice(0, 10);
					const own = await computeStationKpis(db, {
						stationId: entry.station.id,
						from: `${month}-01`,
						to
					});
					expect(entry.trend[index], `${entry.station.code} ${month}`).toEqual(own?.score ?? null);
				}
			}
			// The two stations' settings differ, and so do their scores of the same kind of work.
			expect(comparison.stations[0].kpis!.score).not.toEqual(comparison.stations[1].kpis!.score);
		});

		it("reads the station's own numbers from the monthly rows for a quarter and a month, and from the daily rows otherwise", async () => {
			// The pooled medians are found from the marks, not by sorting every value.
			const months = await db
				.select({ marks: jobKpiMonthlyStation.repairMinuteMarks })
				.from(jobKpiMonthlyStation)
				.where(
					and(
						eq(jobKpiMonthlyStation.stationId, south),
						gte(jobKpiMonthlyStation.month, QUARTER.from),
						lt(jobKpiMonthlyStation.month, QUARTER.to)
					)
				);
			expect(months).toHaveLength(3);
			for (const month of months) expect(month.marks.length).toBeGreaterThan(0);
			const periods = [
				QUARTER,
				{ from: '2026-02-01', to: '2026-03-01' },
				{ from: '2026-01-01', to: '2026-07-01' },
				{ from: '2026-02-10', to: '2026-03-17' }
			];
			for (const period of periods) {
				const { stations: sideBySide, best, worst } = await api(manager).region.comparison(period);
				for (const entry of sideBySide) {
					const own = await computeStationKpis(db, { stationId: entry.station.id, ...period });
					expect(entry.kpis, `${entry.station.code} ${period.from}`).toEqual(own);
				}
				const own = new Map([
					[north, await computeScorecard(db, { stationId: north, ...period })],
					[south, await computeScorecard(db, { stationId: south, ...period })]
				]);
				expect(best.length + worst.length).toBeGreaterThan(0);
				for (const entry of [...best, ...worst]) {
					expect(own.get(entry.station.id)).toContainEqual(entry.row);
				}
			}
		});

		it('lists the best and worst technicians their own station ranks, with its own rows', async () => {
			const { best, worst } = await api(manager).region.comparison(QUARTER);
			const own = new Map([
				[north, await computeScorecard(db, { stationId: north, ...QUARTER })],
				[south, await computeScorecard(db, { stationId: south, ...QUARTER })]
			]);
			const ranked = [...own.entries()].flatMap(([stationId, rows]) =>
				rows.filter((row) => row.rank !== null).map((row) => ({ stationId, row }))
			);
			expect(ranked.length).toBeGreaterThan(2 * REGION_BEST_AND_WORST);
			// A technician their station does not rank (too few jobs) is on neither list.
			const unranked = [...own.values()].flat().filter((row) => row.rank === null);
			expect(unranked.length).toBeGreaterThan(0);
			expect(best).toHaveLength(REGION_BEST_AND_WORST);
			expect(worst).toHaveLength(REGION_BEST_AND_WORST);
			for (const entry of [...best, ...worst]) {
				expect(own.get(entry.station.id)).toContainEqual(entry.row);
				expect(entry.row.rank).not.toBeNull();
			}
			const scores = ranked.map((entry) => entry.row.score!).sort((a, b) => b - a);
			expect(best.map((entry) => entry.row.score)).toEqual(scores.slice(0, REGION_BEST_AND_WORST));
			expect(worst.map((entry) => entry.row.score)).toEqual(
				scores.slice(-REGION_BEST_AND_WORST).reverse()
			);
			// Both stations are on the lists: the comparison is across them.
			const onLists = new Set([...best, ...worst].map((entry) => entry.station.code));
			expect(onLists.size).toBe(2);
		});

		it("opens an assigned station's own scorecard, and no other station", async () => {
			const opened = await api(manager).region.stationScorecard({ stationId: south, ...QUARTER });
			expect(opened.station.code).toBe('SOUTH');
			expect(opened.rows).toEqual(await computeScorecard(db, { stationId: south, ...QUARTER }));
			expect(opened.stationRow).toEqual(
				await computeStationKpis(db, { stationId: south, ...QUARTER })
			);
			for (const stationId of [outside, randomUUID(), 'not-a-uuid']) {
				expect(
					await outcomeOf(() => api(manager).region.stationScorecard({ stationId, ...QUARTER }))
				).toBe('region_station_unknown');
			}
		});

		it('is refused every write and every station read: procedures and the sync push', async () => {
			const me = api(manager);
			const refusals = await Promise.all([
				outcomeOf(() =>
					me.jobs.openFromCall({
						customerName: '王女士',
						customerPhone: '13800138000',
						faultDescription: '洗衣机不脱水'
					})
				),
				outcomeOf(() => me.jobs.list({ limit: 10 })),
				outcomeOf(() => me.kpi.scorecard(QUARTER)),
				outcomeOf(() => me.kpi.stationKpis(QUARTER)),
				outcomeOf(() => me.periods.close({ month: '2026-01' })),
				outcomeOf(() => me.admin.stations.list()),
				outcomeOf(() => me.sync.pull({ clientId: randomUUID(), cursor: null }))
			]);
			expect(refusals).toEqual(Array(refusals.length).fill('FORBIDDEN'));
			const jobId = randomUUID();
			expect(
				await outcomeOf(() =>
					new TestDevice(db, manager).send('job.create', {
						id: jobId,
						jobNo: `R-${jobId.slice(0, 8)}`,
						reportedAt: new Date('2026-03-02T01:00:00Z')
					})
				)
			).toBe('FORBIDDEN');
			expect(await db.select().from(jobs).where(eq(jobs.id, jobId))).toEqual([]);
			// The region's reads are the region manager's alone.
			expect(await outcomeOf(() => api(supervisor).region.comparison(QUARTER))).toBe('FORBIDDEN');
			expect(await outcomeOf(() => api(systemAdmin).region.stations())).toBe('FORBIDDEN');
		});

		it('is assigned stations by a system administrator or the CLI only, audited', async () => {
			const ref = { stationId: manager.stationId, userId: manager.id };
			expect(
				await outcomeOf(() =>
					setRegionStations(
						db,
						{ ...ref, stationCodes: ['OUTSIDE'] },
						{ actor: { kind: 'user', user: supervisor } }
					)
				)
			).toBe('region_assign_not_allowed');
			expect(
				await outcomeOf(() =>
					setRegionStations(
						db,
						{ ...ref, stationCodes: ['NORTH', 'NOPE'] },
						{ actor: COMMAND_LINE }
					)
				)
			).toBe('station_unknown');
			expect(
				await outcomeOf(() =>
					setRegionStations(
						db,
						{ stationId: supervisor.stationId, userId: supervisor.id, stationCodes: ['SOUTH'] },
						{ actor: COMMAND_LINE }
					)
				)
			).toBe('region_target_not_manager');
			// Nothing changed by the refusals.
			expect((await api(manager).region.stations()).map((s) => s.code)).toEqual(['NORTH', 'SOUTH']);
			const audit = await db
				.select()
				.from(accountAudit)
				.where(
					and(eq(accountAudit.stationId, manager.stationId), eq(accountAudit.userId, manager.id))
				);
			expect(audit).toMatchObject([
				{
					action: 'region_change',
					actorLogin: 'RHQ/root',
					before: { stations: [] },
					after: { stations: ['NORTH', 'SOUTH'] },
					reason: 'new region'
				}
			]);
		});

		// Last: it changes North's March after closing it.
		it("shows a station's closed month as it was closed, as the station's own pages do", async () => {
			const march = { from: '2026-03-01', to: '2026-04-01' };
			await closeMonth(db, supervisor, { month: '2026-03' });
			const closed = await visibleStationKpis(db, supervisor, march);
			const [completed] = await db
				.select({ id: jobs.id })
				.from(jobs)
				.where(
					and(
						eq(jobs.stationId, north),
						eq(jobs.status, 'completed'),
						gte(jobs.completedAt, new Date('2026-03-10T00:00:00Z')),
						lt(jobs.completedAt, new Date('2026-03-20T00:00:00Z'))
					)
				)
				.limit(1);
			// Its completion moves to April: March's live numbers lose a job, its closed ones keep it.
			await db
				.update(jobs)
				.set({ completedAt: new Date('2026-04-15T04:00:00Z') })
				.where(eq(jobs.id, completed.id));
			await refreshStaleFacts(db);
			const live = await computeStationKpis(db, { stationId: north, ...march });
			expect(live!.jobs_completed).toBe(closed!.jobs_completed - 1);

			const comparison = await api(manager).region.comparison(march);
			const [northEntry, southEntry] = comparison.stations;
			expect(northEntry).toMatchObject({ closed: true, kpis: closed });
			expect(southEntry.closed).toBe(false);
			const april = await api(manager).region.comparison({ from: '2026-04-01', to: '2026-05-01' });
			expect(april.stations[0].trend[april.trendMonths.indexOf('2026-03')]).toBe(closed!.score);
			// April's monthly rows were rewritten with the moved job's facts.
			expect(april.stations[0].kpis).toEqual(
				await computeStationKpis(db, { stationId: north, from: '2026-04-01', to: '2026-05-01' })
			);
			const opened = await api(manager).region.stationScorecard({ stationId: north, ...march });
			expect(opened.stationRow).toEqual(closed);
			expect(opened.rows).toEqual(await api(supervisor).kpi.scorecard(march));
		});
	});
}
