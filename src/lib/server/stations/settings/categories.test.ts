/**
 * Fault categories: added, renamed, retimed, deactivated and reactivated, never deleted.
 * Through the tRPC router, on every test engine.
 */
import { describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/databases';
import { expectProblem, settingsTestBed } from './testing';

for (const engine of testEngines()) {
	describe(`station settings: categories (${engine.name})`, () => {
		const bed = settingsTestBed(engine);
		const { as, freshStation, auditRows } = bed;

		it('adds, renames, retimes, deactivates and reactivates fault categories, never deleting', async () => {
			const { station, supervisor } = await freshStation();
			const caller = as(supervisor);
			const added = await caller.addFaultCategory({
				code: ' LEAK ',
				name: ' 漏水 ',
				standardMinutes: 45
			});
			expect(added).toMatchObject({
				code: 'LEAK',
				name: '漏水',
				standardMinutes: 45,
				active: true
			});
			const withDefault = await caller.addFaultCategory({ code: 'NOISE', name: '异响' });
			expect(withDefault.standardMinutes).toBe(60);

			await expectProblem(
				caller.addFaultCategory({ code: 'LEAK', name: 'again', standardMinutes: 30 }),
				'code',
				'code_taken',
				'CONFLICT'
			);
			await expectProblem(
				caller.addFaultCategory({ code: 'BAD CODE', name: 'x' }),
				'code',
				'code_format'
			);
			await expectProblem(
				caller.addFaultCategory({ code: 'EMPTY', name: '  ' }),
				'name',
				'required'
			);
			await expectProblem(
				caller.addFaultCategory({ code: 'ZERO', name: 'x', standardMinutes: 0 }),
				'standardMinutes',
				'out_of_range'
			);

			expect(
				await caller.changeFaultCategory({ id: added.id, name: '漏水/渗水', standardMinutes: 50 })
			).toEqual({ changed: 1 });
			expect(await caller.changeFaultCategory({ id: added.id, active: false })).toEqual({
				changed: 1
			});
			expect(await caller.changeFaultCategory({ id: added.id, active: false })).toEqual({
				changed: 0
			});
			await expectProblem(
				caller.changeFaultCategory({ id: added.id, standardMinutes: 2000 }),
				'standardMinutes',
				'out_of_range'
			);
			await expectProblem(caller.changeFaultCategory({ id: added.id }), '', 'nothing_to_change');
			// The too_fast floor is set beside the standard time, audited like it.
			await expectProblem(
				caller.changeFaultCategory({ id: added.id, floorMinutes: -1 }),
				'floorMinutes',
				'out_of_range'
			);
			expect(await caller.changeFaultCategory({ id: added.id, floorMinutes: 10 })).toEqual({
				changed: 1
			});

			const settings = await caller.get();
			expect(
				settings.faultCategories.map((c) => [
					c.code,
					c.name,
					c.standardMinutes,
					c.floorMinutes,
					c.active
				])
			).toEqual([
				['NOISE', '异响', 60, 5, true],
				['LEAK', '漏水/渗水', 50, 10, false]
			]);
			const leakRows = (await auditRows(station.id)).filter(
				(row) => row.subject === 'fault_category:LEAK'
			);
			expect(leakRows.map((row) => [row.oldValue, row.newValue])).toEqual(
				expect.arrayContaining([
					[null, { name: '漏水', standardMinutes: 45, floorMinutes: 5, active: true }],
					[
						{ name: '漏水', standardMinutes: 45, floorMinutes: 5, active: true },
						{ name: '漏水/渗水', standardMinutes: 50, floorMinutes: 5, active: true }
					],
					[
						{ name: '漏水/渗水', standardMinutes: 50, floorMinutes: 5, active: true },
						{ name: '漏水/渗水', standardMinutes: 50, floorMinutes: 5, active: false }
					],
					[
						{ name: '漏水/渗水', standardMinutes: 50, floorMinutes: 5, active: false },
						{ name: '漏水/渗水', standardMinutes: 50, floorMinutes: 10, active: false }
					]
				])
			);
			expect(leakRows).toHaveLength(4);
			expect('deleteFaultCategory' in caller).toBe(false);
		});
	});
}
