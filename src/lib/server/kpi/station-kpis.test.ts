/**
 * The station's own KPIs (the station home's tiles): each month of a window is the station row
 * of that month alone, the row pools the technicians' jobs (counts and parts cost add up), and
 * only a supervisor reads it. The rules themselves are checked against the oracle in
 * property.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { resetDemoStation } from '../demo/load';
import { testEngines } from '../testing/databases';
import { createStation, createUser } from '../testing/fixtures';
import { Refusal } from '../refusal';
import { computeScorecard } from './scorecard';
import { computeStationKpis, monthlyStationKpis, visibleStationKpis } from './station-kpis';
import { refreshStaleFacts } from './fact-refresh';

const MONTHS = ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];

for (const engine of testEngines()) {
	describe(`station KPIs on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let stationId: string;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const demo = await resetDemoStation(db, { now: new Date('2026-05-20T06:30:00Z'), seed: 7 });
			stationId = demo.stationId;
		});
		afterAll(() => handle.close());

		it('gives every month of a window the row of that month alone', async () => {
			await refreshStaleFacts(db);
			const trend = await monthlyStationKpis(db, {
				stationId,
				firstMonth: MONTHS[0],
				months: MONTHS.length - 1
			});
			expect(trend.map((row) => row.month)).toEqual(
				MONTHS.slice(0, -1).filter((month) => trend.some((row) => row.month === month))
			);
			expect(trend.length).toBeGreaterThanOrEqual(5);
			for (let index = 0; index < MONTHS.length - 1; index++) {
				const month = MONTHS[index];
				await refreshStaleFacts(db);
				const alone = await computeStationKpis(db, {
					stationId,
					from: `${month}-01`,
					to: `${MONTHS[index + 1]}-01`
				});
				const inTrend = trend.find((row) => row.month === month);
				expect(inTrend ? { ...inTrend, month: undefined } : null, month).toEqual(
					alone ? { ...alone, month: undefined } : null
				);
			}
		});

		it("pools the technicians' jobs: counts and parts cost add up, rates lie between theirs", async () => {
			const period = { stationId, from: '2026-02-01', to: '2026-05-01' };
			await refreshStaleFacts(db);
			const station = await computeStationKpis(db, period);
			const rows = await computeScorecard(db, period);
			expect(rows.length).toBeGreaterThan(1);
			expect(station).not.toBeNull();
			expect(station!.jobs_completed).toBe(rows.reduce((sum, row) => sum + row.jobs_completed, 0));
			expect(station!.parts_cost_total).toBeCloseTo(
				rows.reduce((sum, row) => sum + row.parts_cost_total, 0),
				6
			);
			const rates = rows.map((row) => row.repair_success_rate!);
			expect(station!.repair_success_rate).toBeGreaterThanOrEqual(Math.min(...rates));
			expect(station!.repair_success_rate).toBeLessThanOrEqual(Math.max(...rates));
			expect(station!.score).not.toBeNull();
			expect(station!.grade).not.toBeNull();
		});

		it('has no row for a period without completed jobs', async () => {
			expect(
				await computeStationKpis(db, { stationId, from: '2020-01-01', to: '2020-02-01' })
			).toBe(null);
		});

		it("is a supervisor's: a technician or the desk is refused", async () => {
			const station = await createStation(db, 'SKPI');
			const supervisor = await createUser(db, station, 'boss', 'supervisor');
			const technician = await createUser(db, station, 'tech');
			const desk = await createUser(db, station, 'desk', 'dispatcher');
			const period = { from: '2026-01-01', to: '2026-02-01' };
			expect(await visibleStationKpis(db, supervisor, period)).toBeNull();
			for (const user of [technician, desk]) {
				await expect(visibleStationKpis(db, user, period)).rejects.toBeInstanceOf(Refusal);
			}
		});
	});
}
