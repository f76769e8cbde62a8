/**
 * The settings history: newest first, a page at a time, each kind of change read back.
 * Through the tRPC router, on every test engine.
 */
import { describe, expect, it } from 'vitest';
import { settingsAudit } from '../../db/schema';
import { testEngines } from '../../testing/databases';
import { createUser } from '../../testing/fixtures';
import { settingsTestBed, withRule } from './testing';

for (const engine of testEngines()) {
	describe(`station settings: history (${engine.name})`, () => {
		const bed = settingsTestBed(engine);
		const { as, freshStation } = bed;

		it('lists the history newest first, a page at a time, with who changed what', async () => {
			const { station, supervisor } = await freshStation();
			const deputy = await createUser(bed.db, station, 'deputy', 'supervisor');
			for (const days of [10, 11, 12]) {
				await as(supervisor).updateRanking({ reworkWindowDays: days });
			}
			await as(deputy).updateRanking({ reworkWindowDays: 13 });

			// Each change is followed by the date it takes effect from (today by default).
			const version = { kind: 'version', effectiveFrom: (await as(supervisor).get()).today };
			const first = await as(supervisor).history({ page: 1, pageSize: 6 });
			expect(first.hasMore).toBe(true);
			expect(first.entries.map((entry) => [entry.changedBy?.login, entry.change])).toEqual([
				['deputy', { kind: 'rework_window_days', old: 12, new: 13 }],
				['deputy', version],
				['boss', { kind: 'rework_window_days', old: 11, new: 12 }],
				['boss', version],
				['boss', { kind: 'rework_window_days', old: 10, new: 11 }],
				['boss', version]
			]);
			const second = await as(supervisor).history({ page: 2, pageSize: 6 });
			expect(second.hasMore).toBe(false);
			expect(second.entries.map((entry) => entry.change)).toEqual([
				{ kind: 'rework_window_days', old: 30, new: 10 },
				version
			]);
			expect(second.entries[0].changedAt.getTime()).toBeLessThanOrEqual(
				first.entries[5].changedAt.getTime()
			);
		});

		it('reads back each kind of change, and shows unknown subjects as they are', async () => {
			const { station, supervisor } = await freshStation();
			await as(supervisor).updateKpi(withRule('csat', { pass: 0.8 }));
			await as(supervisor).addFaultCategory({ code: 'DRAIN', name: '排水', standardMinutes: 40 });
			await bed.db.insert(settingsAudit).values({
				stationId: station.id,
				userId: null,
				subject: 'time_zone',
				oldValue: 'Asia/Shanghai',
				newValue: 'Asia/Urumqi'
			});
			const { entries } = await as(supervisor).history({ page: 1, pageSize: 20 });
			const changes = entries.map((entry) => entry.change);
			expect(changes).toContainEqual({
				kind: 'kpi',
				kpi: 'csat',
				old: { threshold: { pass: 0.85, excellent: 0.9 }, weight: 0.2, minimum: 5 },
				new: { threshold: { pass: 0.8, excellent: 0.9 }, weight: 0.2, minimum: 5 }
			});
			expect(changes).toContainEqual({
				kind: 'fault_category',
				code: 'DRAIN',
				old: null,
				new: { name: '排水', standardMinutes: 40, floorMinutes: 5, active: true }
			});
			const timeZone = entries.find((entry) => entry.subject === 'time_zone');
			expect(timeZone?.changedBy).toBeNull();
			expect(timeZone?.change).toEqual({
				kind: 'other',
				old: 'Asia/Shanghai',
				new: 'Asia/Urumqi'
			});
		});
	});
}
