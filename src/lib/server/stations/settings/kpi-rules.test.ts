/**
 * Thresholds and weights: saved and audited, refused with the field named, cleared and reset, and
 * what the scorecard then scores. Expected numbers are worked out in the comments.
 * Through the tRPC router, on every test engine.
 */
import { describe, expect, it } from 'vitest';
import { testEngines } from '../../testing/databases';
import { createJob, createUser } from '../../testing/fixtures';
import { SCORED_KPIS } from '../../../shared/domain';
import { DEFAULT_KPI_SETTINGS, kpiSettingsSchema } from '../../../shared/kpi-settings';
import { computeScorecard } from '../../kpi/scorecard';
import { zonedDay } from '../../../shared/time/local-time';
import { addDays } from '../../../shared/time/periods';
import type { KpiSettingsInput } from './kpi-rules';
import { asInput, expectProblem, onlyWeights, settingsTestBed, withRule } from './testing';
import { refreshStaleFacts } from '../../kpi/fact-refresh';

const HOUR = 3_600_000;

for (const engine of testEngines()) {
	describe(`station settings: kpi rules (${engine.name})`, () => {
		const bed = settingsTestBed(engine);
		const { as, freshStation, auditRows, storedStation } = bed;

		it('saves thresholds and normalised weights, auditing each changed KPI with old and new', async () => {
			const { station, supervisor } = await freshStation();
			// Response: pass 24 h → 36 h; relative weights 30/15/15/40/10/10/0, which sum to 120.
			const input = withRule('avg_response_hours', { pass: 36 });
			input.weights = {
				repair_success_rate: 30,
				avg_response_hours: 15,
				duration_index: 15,
				csat: 40,
				follow_up_rate: 10,
				record_accuracy: 10,
				parts_cost_per_job: 0
			};
			expect(await as(supervisor).updateKpi(input)).toEqual({ changed: 6 });

			const stored = (await storedStation(station.id)).kpiSettings;
			expect(kpiSettingsSchema.safeParse(stored).success).toBe(true);
			expect(stored.thresholds.avg_response_hours).toEqual({ pass: 36, excellent: 12 });
			expect(stored.thresholds.parts_cost_per_job).toBeNull();
			const expectedWeights = {
				repair_success_rate: 30 / 120,
				avg_response_hours: 15 / 120,
				duration_index: 15 / 120,
				csat: 40 / 120,
				follow_up_rate: 10 / 120,
				record_accuracy: 10 / 120,
				parts_cost_per_job: 0
			};
			for (const kpi of SCORED_KPIS)
				expect(stored.weights[kpi]).toBeCloseTo(expectedWeights[kpi], 12);
			expect(Object.values(stored.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);

			const rows = await auditRows(station.id);
			// Every weight but parts_cost_per_job's (still 0) changed share, so six rows.
			expect(rows.map((row) => row.subject)).toEqual([
				'kpi:avg_response_hours',
				'kpi:csat',
				'kpi:duration_index',
				'kpi:follow_up_rate',
				'kpi:record_accuracy',
				'kpi:repair_success_rate'
			]);
			const response = rows[0];
			expect(response.userId).toBe(supervisor.id);
			expect(response.changedAt).toBeInstanceOf(Date);
			expect(response.oldValue).toEqual({
				threshold: { pass: 24, excellent: 12 },
				weight: 0.15,
				minimum: 5
			});
			expect(response.newValue).toEqual({
				threshold: { pass: 36, excellent: 12 },
				weight: expectedWeights.avg_response_hours,
				minimum: 5
			});
			// One change, one moment: all rows carry the transaction's time.
			expect(new Set(rows.map((row) => row.changedAt.getTime())).size).toBe(1);

			// Sending the same settings again changes nothing and records nothing.
			expect(await as(supervisor).updateKpi(asInput(stored))).toEqual({ changed: 0 });
			expect(await auditRows(station.id)).toHaveLength(6);
		});

		it('refuses bad thresholds and weights, naming the field, with nothing stored', async () => {
			const { station, supervisor } = await freshStation();
			const before = (await storedStation(station.id)).kpiSettings;
			const save = (input: KpiSettingsInput) => as(supervisor).updateKpi(input);
			await expectProblem(
				save(withRule('csat', { pass: 0.9, excellent: 0.9 })),
				'thresholds.csat.excellent',
				'threshold_equal'
			);
			// Higher is better for the success rate: excellent must be above pass.
			await expectProblem(
				save(withRule('repair_success_rate', { pass: 0.95, excellent: 0.9 })),
				'thresholds.repair_success_rate.excellent',
				'excellent_not_above_pass'
			);
			// Lower is better for response time and the duration index.
			await expectProblem(
				save(withRule('avg_response_hours', { pass: 12, excellent: 24 })),
				'thresholds.avg_response_hours.excellent',
				'excellent_not_below_pass'
			);
			await expectProblem(
				save(withRule('parts_cost_per_job', { pass: 50, excellent: 80 })),
				'thresholds.parts_cost_per_job.excellent',
				'excellent_not_below_pass'
			);
			await expectProblem(
				save(withRule('follow_up_rate', { pass: 80, excellent: 90 })),
				'thresholds.follow_up_rate.pass',
				'rate_out_of_range'
			);
			await expectProblem(
				save(withRule('duration_index', { pass: -1, excellent: -2 })),
				'thresholds.duration_index.pass',
				'negative'
			);
			await expectProblem(
				save(withRule('csat', { pass: 0.85, excellent: null })),
				'thresholds.csat.excellent',
				'threshold_incomplete'
			);
			await expectProblem(
				save(withRule('csat', { pass: Number.NaN })),
				'thresholds.csat.pass',
				'not_a_number'
			);
			await expectProblem(
				save(withRule('record_accuracy', { weight: -0.1 })),
				'weights.record_accuracy',
				'negative'
			);
			await expectProblem(
				save(withRule('parts_cost_per_job', { weight: 0.2 })),
				'weights.parts_cost_per_job',
				'weight_without_threshold'
			);
			await expectProblem(save(onlyWeights({})), 'weights', 'nothing_scored');
			// Weight only on a KPI that has no thresholds: that row is the problem, not the total.
			await expectProblem(
				save(onlyWeights({ parts_cost_per_job: 1 })),
				'weights.parts_cost_per_job',
				'weight_without_threshold'
			);

			// One bad row refuses the whole table, so a good row in the same request is not saved.
			const mixed = withRule('csat', { pass: 0.9, excellent: 0.8 });
			mixed.thresholds.avg_response_hours = { pass: 48, excellent: 24 };
			await expectProblem(save(mixed), 'thresholds.csat.excellent', 'excellent_not_above_pass');

			// Minimum samples are whole numbers from 0 to 1000.
			for (const minimum of [-1, 2.5, 1001, Number.NaN]) {
				const input = asInput(DEFAULT_KPI_SETTINGS);
				input.minimums!.csat = minimum;
				await expectProblem(
					save(input),
					'minimums.csat',
					Number.isNaN(minimum) ? 'not_a_number' : 'out_of_range'
				);
			}

			expect((await storedStation(station.id)).kpiSettings).toEqual(before);
			expect(await auditRows(station.id)).toEqual([]);
		});

		it('stops scoring a KPI whose thresholds are cleared, and resets to the defaults', async () => {
			const { station, supervisor } = await freshStation();
			// Relative weights that sum to 100, so the unchanged KPIs keep exactly their shares.
			const input = withRule('csat', { pass: null, excellent: null });
			input.thresholds.parts_cost_per_job = { pass: 120, excellent: 80 };
			input.weights = {
				repair_success_rate: 30,
				avg_response_hours: 15,
				duration_index: 15,
				csat: 0,
				follow_up_rate: 10,
				record_accuracy: 10,
				parts_cost_per_job: 20
			};
			expect(await as(supervisor).updateKpi(input)).toEqual({ changed: 2 });
			const saved = await as(supervisor).get();
			expect(saved.kpi.thresholds.csat).toBeNull();
			expect(saved.kpi.weights.csat).toBe(0);
			expect(saved.kpi.thresholds.parts_cost_per_job).toEqual({ pass: 120, excellent: 80 });

			const afterSave = (await auditRows(station.id)).length;
			expect(await as(supervisor).resetKpi()).toEqual({ changed: 2 });
			expect((await storedStation(station.id)).kpiSettings).toEqual(DEFAULT_KPI_SETTINGS);
			const rows = await auditRows(station.id);
			expect(rows).toHaveLength(afterSave + 2);
			const csatReset = rows.filter((row) => row.subject === 'kpi:csat').at(-1);
			expect(csatReset?.oldValue).toEqual({ threshold: null, weight: 0, minimum: 5 });
			expect(csatReset?.newValue).toEqual({
				threshold: { pass: 0.85, excellent: 0.9 },
				weight: 0.2,
				minimum: 5
			});
			// Already at the defaults: nothing to reset, nothing recorded.
			expect(await as(supervisor).resetKpi()).toEqual({ changed: 0 });
			expect(await auditRows(station.id)).toHaveLength(afterSave + 2);
		});

		it('saves minimum samples, audits them, and scores a KPI below its minimum as too few', async () => {
			const { station, supervisor } = await freshStation();
			// Changes take effect today: the running period (today) follows them.
			const noon = new Date(Date.now() - 60_000);
			const today = zonedDay(noon, station.timeZone);
			const running = { from: today, to: addDays(today, 1) };
			const tech = await createUser(bed.db, station, 'li', 'technician');
			// Three clean, fixed jobs: success 1, response 1 h, duration 1.0, accuracy 1, no
			// follow-ups (follow-up rate 0): all on 3 jobs, below the default minimum of 5.
			for (let i = 0; i < 3; i++) {
				await createJob(bed.db, tech, {
					status: 'completed',
					outcome: 'fixed',
					reportedAt: new Date(noon.getTime() - 3 * HOUR),
					arrivedAt: new Date(noon.getTime() - 2 * HOUR),
					startedAt: new Date(noon.getTime() - HOUR),
					completedAt: noon
				});
			}
			const score = async () => {
				await refreshStaleFacts(bed.db);
				return (await computeScorecard(bed.db, { stationId: station.id, ...running }))[0].score;
			};
			expect(await score()).toBeNull();

			// Minimum 3 for everything but the follow-up rate: (100·0.3 + 100·0.15 + 100·0.15 +
			// 100·0.1) / 0.7 = 100; the follow-up rate's 0 carries no weight.
			const input = asInput(DEFAULT_KPI_SETTINGS);
			input.minimums = Object.fromEntries(
				SCORED_KPIS.map((kpi) => [kpi, kpi === 'follow_up_rate' ? 4 : 3])
			) as KpiSettingsInput['minimums'];
			expect(await as(supervisor).updateKpi(input)).toEqual({ changed: 7 });
			expect((await as(supervisor).get()).kpi.minimums).toMatchObject({
				csat: 3,
				follow_up_rate: 4
			});
			expect(await score()).toBe(100);
			const followUp = (await auditRows(station.id)).find(
				(row) => row.subject === 'kpi:follow_up_rate'
			);
			expect(followUp?.oldValue).toEqual({
				threshold: { pass: 0.8, excellent: 0.9 },
				weight: 0.1,
				minimum: 5
			});
			expect(followUp?.newValue).toMatchObject({ minimum: 4 });

			// 3 jobs reach a minimum of 3: the follow-up rate's 0 now weighs 0.1 of 0.8: 87.5.
			input.minimums!.follow_up_rate = 3;
			expect(await as(supervisor).updateKpi(input)).toEqual({ changed: 1 });
			expect(await score()).toBe(87.5);

			// Thresholds and weights sent without minimums keep the stored minimums.
			const { minimums: _left, ...withoutMinimums } = input;
			expect(await as(supervisor).updateKpi(withoutMinimums)).toEqual({ changed: 0 });
			expect(await score()).toBe(87.5);
		});

		it('changes what computeScorecard scores for the running period', async () => {
			const { station, supervisor } = await freshStation();
			// Changes take effect today: the running period (today) follows them.
			const noon = new Date(Date.now() - 60_000);
			const today = zonedDay(noon, station.timeZone);
			const running = { from: today, to: addDays(today, 1) };
			const tech = await createUser(bed.db, station, 'li', 'technician');
			await as(supervisor).updateRanking({ minJobsForRanking: 1 });
			// Six completed jobs (the default minimum sample is 5), each reported 3 h, arrived 2 h
			// and started 1 h before noon: response 1 h, repair 60 min against 60 standard
			// minutes, clean records; half fixed, half not; no follow-ups. So: success 0.5,
			// response 1 h, duration index 1.0, record accuracy 1, follow-up rate 0, csat null.
			for (const outcome of [
				'fixed',
				'not_fixed',
				'fixed',
				'not_fixed',
				'fixed',
				'not_fixed'
			] as const) {
				await createJob(bed.db, tech, {
					status: 'completed',
					outcome,
					reportedAt: new Date(noon.getTime() - 3 * HOUR),
					arrivedAt: new Date(noon.getTime() - 2 * HOUR),
					startedAt: new Date(noon.getTime() - HOUR),
					completedAt: noon
				});
			}
			const score = async () => {
				await refreshStaleFacts(bed.db);
				const [row] = await computeScorecard(bed.db, { stationId: station.id, ...running });
				return row;
			};
			// Defaults: success 0.5 scores 0 (clamped), response 100, duration 100, follow-up 0,
			// accuracy 100; (0·0.3 + 100·0.15 + 100·0.15 + 0·0.1 + 100·0.1) / 0.8 = 50.
			expect(await score()).toMatchObject({ score: 50, grade: 'fail', rank: 1 });

			// Weights 1 : 3 on success and response only: (0·1 + 100·3) / 4 = 75.
			await as(supervisor).updateKpi(
				onlyWeights({ repair_success_rate: 1, avg_response_hours: 3 })
			);
			expect(await score()).toMatchObject({ score: 75, grade: 'pass' });

			// Success thresholds 0.4 / 0.6: 60 + 40 · (0.5 − 0.4) / 0.2 = 80; (80 + 300) / 4 = 95.
			const current = (await as(supervisor).get()).kpi;
			await as(supervisor).updateKpi(
				withRule('repair_success_rate', { pass: 0.4, excellent: 0.6 }, current)
			);
			expect(await score()).toMatchObject({ score: 95, grade: 'excellent' });

			// AHP over success, response, duration with a consistent matrix: weights 4/7, 2/7, 1/7;
			// (80·4 + 100·2 + 100·1) / 7 = 620 / 7.
			await as(supervisor).applyAhp({
				kpis: ['repair_success_rate', 'avg_response_hours', 'duration_index'],
				matrix: [
					[1, 2, 4],
					[1 / 2, 1, 2],
					[1 / 4, 1 / 2, 1]
				]
			});
			expect((await score()).score).toBeCloseTo(620 / 7, 8);

			// Six jobs are fewer than a minimum of 7: no rank.
			await as(supervisor).updateRanking({ minJobsForRanking: 7 });
			expect(await score()).toMatchObject({ rank: null });
		});
	});
}
