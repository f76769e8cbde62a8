/**
 * The jobs behind the station's own figures: on the demo station's history, each list the
 * server cuts in SQL holds what the technician page's rules (client/scorecard/drill-lists.ts)
 * make of every job of the period, counted whole and cut to the slowest or costliest DRILL_TOP
 * or the newest STATION_DRILL_LIMIT; only the station's supervisors may read it. Every engine.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { stations } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { ensureDemoStation } from '../demo/load';
import { testEngines } from '../testing/databases';
import { createStation, createUser } from '../testing/fixtures';
import { codeOf } from '../testing/outcomes';
import { createCallerFactory } from '../trpc/core';
import { appRouter } from '../trpc/router';
import { drillLists } from '../../client/scorecard/drill-lists';
import {
	DRILL_LISTS,
	DRILL_TOP,
	STATION_DRILL_LIMIT,
	isLargestFirst
} from '../../shared/drill-down';
import type { DrillDownJobView } from '../../shared/snapshots';
import { drillDownJobs } from './drill-down';
import { stationDrillDown } from './station-drill-down';

const createCaller = createCallerFactory(appRouter);
const NOW = new Date('2026-11-20T06:30:00Z');

/** A quarter (lists longer than a page's cut), a month, a day, and a period without jobs. */
const PERIODS = [
	['2026-08-01', '2026-11-01'],
	['2026-10-01', '2026-11-01'],
	['2026-11-18', '2026-11-19'],
	['2027-01-01', '2027-02-01']
] as const;

/** What a list orders by, largest first, for the lists that keep only the largest. */
const ORDERED_BY = {
	'slow-repairs': (job: DrillDownJobView) => job.repair_minutes,
	'slow-responses': (job: DrillDownJobView) => job.response_hours,
	costly: (job: DrillDownJobView) => job.parts_cost
} as const;

const newestFirst = (a: DrillDownJobView, b: DrillDownJobView) =>
	b.completed_at.localeCompare(a.completed_at) || (b.job_no < a.job_no ? -1 : 1);

for (const engine of testEngines()) {
	describe(`the jobs behind the station's figures on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let stationId: string;
		let supervisor: SessionUser;
		let others: SessionUser[];
		let otherStationSupervisor: SessionUser;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			expect((await ensureDemoStation(db, { now: NOW, seed: 7 })).created).toBe(true);
			const [demo] = await db
				.select({
					id: stations.id,
					code: stations.code,
					name: stations.name,
					timeZone: stations.timeZone
				})
				.from(stations)
				.where(eq(stations.code, 'DEMO'));
			stationId = demo.id;
			supervisor = await createUser(db, demo, 'sdd-boss', 'supervisor');
			others = [
				await createUser(db, demo, 'sdd-tech', 'technician'),
				await createUser(db, demo, 'sdd-desk', 'dispatcher'),
				await createUser(db, demo, 'sdd-admin', 'admin')
			];
			const other = await createStation(db, 'SDD-OTHER');
			otherStationSupervisor = await createUser(db, other, 'sdd-other-boss', 'supervisor');
		}, 120_000);
		afterAll(async () => {
			await handle?.close();
		});

		it("holds each list of the technician pages' rules, counted whole and cut", async () => {
			let cut = 0;
			let listsWithJobs = 0;
			for (const [from, to] of PERIODS) {
				const scope = { stationId, from, to };
				const every = await drillDownJobs(db, scope);
				const expected = new Map(drillLists(every).map((list) => [list.list, list]));
				const station = await stationDrillDown(db, scope);
				expect(station.jobsCompleted, `${from} … ${to}`).toBe(every.length);
				expect(station.lists.map(({ list }) => list)).toEqual(DRILL_LISTS);
				for (const { list, count, jobs } of station.lists) {
					const held = expected.get(list)!;
					const where = `${list} of ${from} … ${to}`;
					expect(count, where).toBe(held.count);
					if (count > 0) listsWithJobs += 1;
					if (isLargestFirst(list)) {
						const value = ORDERED_BY[list as keyof typeof ORDERED_BY];
						expect(jobs.length, where).toBe(Math.min(count, DRILL_TOP));
						// Ties may fall either side of the cut: the values are the rule.
						expect(jobs.map(value), where).toEqual(held.jobs.map(value));
					} else {
						expect(jobs.length, where).toBe(Math.min(count, STATION_DRILL_LIMIT));
						const newest = [...held.jobs].sort(newestFirst).slice(0, STATION_DRILL_LIMIT);
						expect(jobs, where).toEqual(newest);
						if (jobs.length < count) cut += 1;
					}
				}
			}
			// The data exercises what the test claims: lists with jobs, and lists longer than a page.
			expect(listsWithJobs).toBeGreaterThanOrEqual(15);
			expect(cut).toBeGreaterThan(0);
		});

		it('is read by the station’s supervisors only, for their own station', async () => {
			const period = { from: '2026-10-01', to: '2026-11-01' };
			const read = await createCaller({ db, user: supervisor }).kpi.stationDrillDown(period);
			expect(read).toEqual(await stationDrillDown(db, { stationId, ...period }));
			for (const user of others) {
				const refused = () => createCaller({ db, user }).kpi.stationDrillDown(period);
				expect(await codeOf(refused), user.role).toBe('FORBIDDEN');
			}
			const elsewhere = await createCaller({
				db,
				user: otherStationSupervisor
			}).kpi.stationDrillDown(period);
			expect(elsewhere).toEqual({
				jobsCompleted: 0,
				lists: DRILL_LISTS.map((list) => ({ list, count: 0, jobs: [] }))
			});
		});

		it('refuses a period that is not one', async () => {
			const api = createCaller({ db, user: supervisor });
			for (const period of [
				{ from: '2026-11-01', to: '2026-10-01' },
				{ from: '2026-13-01', to: '2026-14-01' },
				{ from: "2026-10-01'; --", to: '2026-11-01' }
			]) {
				expect(await codeOf(() => api.kpi.stationDrillDown(period))).toBe('BAD_REQUEST');
			}
		});
	});
}
