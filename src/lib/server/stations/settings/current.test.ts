/**
 * Reading the settings, who may change them, and each station's settings kept to itself.
 * Through the tRPC router, on every test engine.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { m } from '../../../paraglide/messages.js';
import { faultCategories } from '../../db/schema';
import { testEngines } from '../../testing/databases';
import { createCategory } from '../../testing/fixtures';
import { DEFAULT_KPI_SETTINGS } from '../../../shared/kpi-settings';
import { DEFAULT_MIN_JOBS_FOR_RANKING, DEFAULT_REWORK_WINDOW_DAYS } from './ranking';
import { onlyWeights, settingsTestBed } from './testing';

for (const engine of testEngines()) {
	describe(`station settings: current (${engine.name})`, () => {
		const bed = settingsTestBed(engine);
		const { as, freshStation, auditRows, storedStation } = bed;

		it('shows kpi.md defaults, which are what a new station starts with', async () => {
			const { station, supervisor } = await freshStation();
			const settings = await as(supervisor).get();
			expect(settings.kpi).toEqual(DEFAULT_KPI_SETTINGS);
			expect(settings.defaults).toEqual({
				kpi: DEFAULT_KPI_SETTINGS,
				reworkWindowDays: DEFAULT_REWORK_WINDOW_DAYS,
				minJobsForRanking: DEFAULT_MIN_JOBS_FOR_RANKING
			});
			// The column defaults of a station created without settings agree with the page's.
			expect(settings).toMatchObject({
				reworkWindowDays: 30,
				minJobsForRanking: 5,
				timeZone: station.timeZone,
				faultCategories: [],
				lastAhp: null
			});
		});

		it('refuses technicians with a reason, and writes nothing', async () => {
			const { station, technician } = await freshStation();
			const category = await createCategory(bed.db, station.id, 'LEAK');
			const forbidden = expect.objectContaining({
				code: 'FORBIDDEN',
				// The role by its translated name (the default language, outside a request).
				message: expect.stringContaining(m.role_technician())
			});
			const tech = as(technician);
			await expect(tech.get()).rejects.toEqual(forbidden);
			await expect(tech.history()).rejects.toEqual(forbidden);
			await expect(tech.updateKpi(onlyWeights({ csat: 1 }))).rejects.toEqual(forbidden);
			await expect(tech.resetKpi()).rejects.toEqual(forbidden);
			await expect(
				tech.applyAhp({
					kpis: ['repair_success_rate', 'csat', 'follow_up_rate'],
					matrix: [
						[1, 1, 1],
						[1, 1, 1],
						[1, 1, 1]
					]
				})
			).rejects.toEqual(forbidden);
			await expect(tech.updateRanking({ reworkWindowDays: 7 })).rejects.toEqual(forbidden);
			await expect(
				tech.addFaultCategory({ code: 'X', name: 'X', standardMinutes: 30 })
			).rejects.toEqual(forbidden);
			await expect(tech.changeFaultCategory({ id: category.id, active: false })).rejects.toEqual(
				forbidden
			);
			await expect(as(null).get()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

			// The column default predates minimums, which absent read as the defaults.
			expect(await storedStation(station.id)).toMatchObject({
				kpiSettings: {
					thresholds: DEFAULT_KPI_SETTINGS.thresholds,
					weights: DEFAULT_KPI_SETTINGS.weights
				},
				reworkWindowDays: 30
			});
			expect(await auditRows(station.id)).toEqual([]);
			const [unchanged] = await bed.db
				.select()
				.from(faultCategories)
				.where(eq(faultCategories.stationId, station.id));
			expect(unchanged.active).toBe(true);
		});

		it("keeps each station's settings and history to itself", async () => {
			const home = await freshStation();
			const away = await freshStation();
			const awayCategory = await createCategory(bed.db, away.station.id, 'AWAY');
			await as(home.supervisor).updateRanking({ reworkWindowDays: 10 });
			await as(away.supervisor).updateRanking({ reworkWindowDays: 20 });

			await expect(
				as(home.supervisor).changeFaultCategory({ id: awayCategory.id, name: 'mine now' })
			).rejects.toMatchObject({ code: 'NOT_FOUND' });
			// The same code may exist in both stations.
			await as(home.supervisor).addFaultCategory({ code: 'AWAY', name: 'home too' });

			const homeHistory = await as(home.supervisor).history({ page: 1, pageSize: 20 });
			expect(homeHistory.entries.map((entry) => entry.subject).sort()).toEqual([
				'fault_category:AWAY',
				'rework_window_days',
				'settings_version'
			]);
			expect((await as(home.supervisor).get()).faultCategories.map((c) => c.name)).toEqual([
				'home too'
			]);
			expect(await storedStation(away.station.id)).toMatchObject({ reworkWindowDays: 20 });
			const [awayUnchanged] = await bed.db
				.select()
				.from(faultCategories)
				.where(
					and(
						eq(faultCategories.stationId, away.station.id),
						eq(faultCategories.id, awayCategory.id)
					)
				);
			expect(awayUnchanged.name).toBe('AWAY');
		});
	});
}
