/**
 * AHP weights: a consistent comparison applied and recorded, an inconsistent one refused with its figures.
 * Through the tRPC router, on every test engine.
 */
import { describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/databases';
import type { ScoredKpi } from '../../../shared/domain';
import { DEFAULT_KPI_SETTINGS } from '../../../shared/kpi-settings';
import { expectProblem, settingsTestBed } from './testing';

for (const engine of testEngines()) {
	describe(`station settings: ahp (${engine.name})`, () => {
		const bed = settingsTestBed(engine);
		const { as, freshStation, auditRows, storedStation } = bed;

		it('applies a consistent AHP, recording the matrix and CR; refuses an inconsistent one', async () => {
			const { station, supervisor } = await freshStation();
			const kpis: ScoredKpi[] = ['repair_success_rate', 'avg_response_hours', 'csat'];
			// Textbook 3×3 example: weights 0.637, 0.258, 0.105, λmax 3.039, CR 0.033.
			const consistent = [
				[1, 3, 5],
				[1 / 3, 1, 3],
				[1 / 5, 1 / 3, 1]
			];
			const applied = await as(supervisor).applyAhp({ kpis, matrix: consistent });
			expect(applied.cr).toBeCloseTo(0.0332, 4);
			const stored = (await storedStation(station.id)).kpiSettings;
			expect(stored.weights.repair_success_rate).toBeCloseTo(0.637, 3);
			expect(stored.weights.avg_response_hours).toBeCloseTo(0.258, 3);
			expect(stored.weights.csat).toBeCloseTo(0.105, 3);
			for (const kpi of ['duration_index', 'follow_up_rate', 'record_accuracy'] as const) {
				expect(stored.weights[kpi]).toBe(0);
			}
			// Thresholds are not AHP's business.
			expect(stored.thresholds).toEqual(DEFAULT_KPI_SETTINGS.thresholds);

			const [row] = await auditRows(station.id);
			expect(row.subject).toBe('kpi_weights:ahp');
			expect(row.oldValue).toEqual(DEFAULT_KPI_SETTINGS.weights);
			expect(row.newValue).toMatchObject({
				kpis,
				matrix: consistent,
				cr: applied.cr,
				weights: stored.weights
			});
			expect((row.newValue as { lambdaMax: number }).lambdaMax).toBeCloseTo(3.0385, 4);
			const settings = await as(supervisor).get();
			expect(settings.lastAhp).toMatchObject({ kpis, matrix: consistent, cr: applied.cr });

			// A > B (9), B > C (9), but C > A (9): CR far above 0.10. The refusal still names the
			// figures: by symmetry each KPI weighs 1/3, λmax = 1 + 9 + 1/9, CR = (λmax − 3)/2/0.58.
			await expectProblem(
				as(supervisor).applyAhp({
					kpis,
					matrix: [
						[1, 9, 1 / 9],
						[1 / 9, 1, 9],
						[9, 1 / 9, 1]
					]
				}),
				'matrix',
				'ahp_inconsistent',
				'BAD_REQUEST',
				{
					cr: expect.closeTo((1 + 9 + 1 / 9 - 3) / 2 / 0.58, 9),
					lambdaMax: expect.closeTo(1 + 9 + 1 / 9, 9),
					weights: Object.fromEntries(kpis.map((kpi) => [kpi, expect.closeTo(1 / 3, 9)]))
				}
			);
			// Still nothing applied beyond the consistent AHP above.
			expect((await storedStation(station.id)).kpiSettings.weights.csat).toBeCloseTo(0.105, 3);
			await expectProblem(
				as(supervisor).applyAhp({ kpis: kpis.slice(0, 2), matrix: consistent.slice(0, 2) }),
				'kpis',
				'ahp_too_few'
			);
			await expectProblem(
				as(supervisor).applyAhp({ kpis, matrix: consistent.slice(0, 2) }),
				'matrix',
				'ahp_matrix_size'
			);
			await expectProblem(
				as(supervisor).applyAhp({
					kpis,
					matrix: [
						[1, 3, 5],
						[3, 1, 3],
						[1 / 5, 1 / 3, 1]
					]
				}),
				'matrix',
				'ahp_matrix_invalid'
			);
			// parts_cost_per_job has no thresholds by default, so it cannot take a weight.
			await expectProblem(
				as(supervisor).applyAhp({
					kpis: [...kpis.slice(0, 2), 'parts_cost_per_job'],
					matrix: consistent
				}),
				'kpis.2',
				'ahp_kpi_not_scored'
			);
			expect((await storedStation(station.id)).kpiSettings.weights).toEqual(stored.weights);
			expect(await auditRows(station.id)).toHaveLength(1);
		});
	});
}
