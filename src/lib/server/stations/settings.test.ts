/**
 * Station settings through the tRPC router, on every test engine: who may change them, what
 * is refused and why, the audit trail, station isolation, AHP, and that the scorecard scores
 * with what was saved. Expected numbers are worked out in the comments.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { m } from '../../paraglide/messages.js';
import type { Database, DatabaseHandle } from '../db';
import { faultCategories, settingsAudit, stations } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { testEngines } from '../testing/databases';
import { createCategory, createJob, createStation, createUser } from '../testing/fixtures';
import { SCORED_KPIS, type KpiSettings, type ScoredKpi } from '../../shared/domain';
import { DEFAULT_KPI_SETTINGS, kpiSettingsSchema } from '../../shared/kpi-settings';
import { computeScorecard } from '../kpi/scorecard';
import { createCallerFactory } from '../trpc/core';
import { settingsRouter } from '../trpc/routers/settings';
import {
	DEFAULT_MIN_JOBS_FOR_RANKING,
	DEFAULT_REWORK_WINDOW_DAYS,
	type KpiSettingsInput
} from './settings';

const createCaller = createCallerFactory(settingsRouter);

const MARCH = { from: '2026-03-01', to: '2026-04-01' };
/** 12:00 in Shanghai on 2 March 2026. */
const NOON = new Date('2026-03-02T04:00:00Z');
const HOUR = 3_600_000;

/** The stored settings as a form would send them back: every KPI with its rule. */
function asInput(settings: KpiSettings): KpiSettingsInput {
	return {
		thresholds: Object.fromEntries(
			SCORED_KPIS.map((kpi) => [kpi, settings.thresholds[kpi] ?? null])
		) as KpiSettingsInput['thresholds'],
		weights: { ...settings.weights }
	};
}

function withRule(
	kpi: ScoredKpi,
	rule: { pass?: number | null; excellent?: number | null; weight?: number },
	base: KpiSettings = DEFAULT_KPI_SETTINGS
): KpiSettingsInput {
	const input = asInput(base);
	const threshold = input.thresholds[kpi] ?? { pass: null, excellent: null };
	input.thresholds[kpi] = {
		pass: rule.pass === undefined ? threshold.pass : rule.pass,
		excellent: rule.excellent === undefined ? threshold.excellent : rule.excellent
	};
	if (rule.weight !== undefined) input.weights[kpi] = rule.weight;
	return input;
}

/** Weights only for the given KPIs (relative values), every other KPI 0. */
function onlyWeights(weights: Partial<Record<ScoredKpi, number>>): KpiSettingsInput {
	const input = asInput(DEFAULT_KPI_SETTINGS);
	for (const kpi of SCORED_KPIS) input.weights[kpi] = weights[kpi] ?? 0;
	return input;
}

/** Rejects with BAD_REQUEST (or the given code) and an issue at `path` with that problem. */
async function expectProblem(
	promise: Promise<unknown>,
	path: string,
	problem: string,
	code = 'BAD_REQUEST',
	params: Record<string, unknown> = {}
) {
	const error = await promise.then(
		() => {
			throw new Error(`expected ${problem} at ${path}, but the call succeeded`);
		},
		(caught: unknown) => caught
	);
	expect(error).toMatchObject({ code });
	const issues = (error as { cause?: { issues?: { path: PropertyKey[]; params?: object }[] } })
		.cause?.issues;
	expect(issues?.map((issue) => [issue.path.join('.'), issue.params])).toContainEqual([
		path,
		expect.objectContaining({ problem, ...params })
	]);
}

for (const engine of testEngines()) {
	describe(`station settings (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let stationCount = 0;
		const as = (user: SessionUser | null) => createCaller({ db, user });

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});
		afterAll(async () => {
			await handle?.close();
		});

		/** A station of its own per test, with a supervisor and a technician. */
		async function freshStation() {
			stationCount += 1;
			const station = await createStation(db, `S${stationCount}`);
			return {
				station,
				supervisor: await createUser(db, station, 'boss', 'supervisor'),
				technician: await createUser(db, station, 'tech', 'technician')
			};
		}

		async function auditRows(stationId: string) {
			return db
				.select()
				.from(settingsAudit)
				.where(eq(settingsAudit.stationId, stationId))
				.orderBy(settingsAudit.subject);
		}

		async function storedStation(stationId: string) {
			const [row] = await db.select().from(stations).where(eq(stations.id, stationId));
			return row;
		}

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
			const category = await createCategory(db, station.id, 'LEAK');
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

			expect(await storedStation(station.id)).toMatchObject({
				kpiSettings: DEFAULT_KPI_SETTINGS,
				reworkWindowDays: 30
			});
			expect(await auditRows(station.id)).toEqual([]);
			const [unchanged] = await db
				.select()
				.from(faultCategories)
				.where(eq(faultCategories.stationId, station.id));
			expect(unchanged.active).toBe(true);
		});

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
			expect(response.oldValue).toEqual({ threshold: { pass: 24, excellent: 12 }, weight: 0.15 });
			expect(response.newValue).toEqual({
				threshold: { pass: 36, excellent: 12 },
				weight: expectedWeights.avg_response_hours
			});
			// One change, one moment: all rows carry the transaction's time.
			expect(new Set(rows.map((row) => row.changedAt.getTime())).size).toBe(1);

			// Sending the same settings again changes nothing and records nothing.
			expect(await as(supervisor).updateKpi(asInput(stored))).toEqual({ changed: 0 });
			expect(await auditRows(station.id)).toHaveLength(6);
		});

		it('refuses bad thresholds and weights, naming the field, with nothing stored', async () => {
			const { station, supervisor } = await freshStation();
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

			expect((await storedStation(station.id)).kpiSettings).toEqual(DEFAULT_KPI_SETTINGS);
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
			expect(csatReset?.oldValue).toEqual({ threshold: null, weight: 0 });
			expect(csatReset?.newValue).toEqual({
				threshold: { pass: 0.85, excellent: 0.9 },
				weight: 0.2
			});
			// Already at the defaults: nothing to reset, nothing recorded.
			expect(await as(supervisor).resetKpi()).toEqual({ changed: 0 });
			expect(await auditRows(station.id)).toHaveLength(afterSave + 2);
		});

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

		it('changes the rework window and the minimum jobs within their ranges', async () => {
			const { station, supervisor } = await freshStation();
			const caller = as(supervisor);
			expect(await caller.updateRanking({ reworkWindowDays: 14, minJobsForRanking: 5 })).toEqual({
				changed: 1
			});
			expect(await caller.updateRanking({ minJobsForRanking: 0 })).toEqual({ changed: 1 });
			expect(await storedStation(station.id)).toMatchObject({
				reworkWindowDays: 14,
				minJobsForRanking: 0
			});
			const rows = await auditRows(station.id);
			expect(rows.map((row) => [row.subject, row.oldValue, row.newValue])).toEqual([
				['min_jobs_for_ranking', 5, 0],
				['rework_window_days', 30, 14]
			]);

			for (const [field, value] of [
				['reworkWindowDays', 0],
				['reworkWindowDays', 366],
				['reworkWindowDays', 7.5],
				['minJobsForRanking', -1],
				['minJobsForRanking', 1001]
			] as const) {
				await expectProblem(caller.updateRanking({ [field]: value }), field, 'out_of_range');
			}
			await expectProblem(caller.updateRanking({}), '', 'nothing_to_change');
			expect(await auditRows(station.id)).toHaveLength(2);
		});

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

			const settings = await caller.get();
			expect(
				settings.faultCategories.map((c) => [c.code, c.name, c.standardMinutes, c.active])
			).toEqual([
				['NOISE', '异响', 60, true],
				['LEAK', '漏水/渗水', 50, false]
			]);
			const leakRows = (await auditRows(station.id)).filter(
				(row) => row.subject === 'fault_category:LEAK'
			);
			expect(leakRows.map((row) => [row.oldValue, row.newValue])).toEqual(
				expect.arrayContaining([
					[null, { name: '漏水', standardMinutes: 45, active: true }],
					[
						{ name: '漏水', standardMinutes: 45, active: true },
						{ name: '漏水/渗水', standardMinutes: 50, active: true }
					],
					[
						{ name: '漏水/渗水', standardMinutes: 50, active: true },
						{ name: '漏水/渗水', standardMinutes: 50, active: false }
					]
				])
			);
			expect(leakRows).toHaveLength(3);
			expect('deleteFaultCategory' in caller).toBe(false);
		});

		it("keeps each station's settings and history to itself", async () => {
			const home = await freshStation();
			const away = await freshStation();
			const awayCategory = await createCategory(db, away.station.id, 'AWAY');
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
				'rework_window_days'
			]);
			expect((await as(home.supervisor).get()).faultCategories.map((c) => c.name)).toEqual([
				'home too'
			]);
			expect(await storedStation(away.station.id)).toMatchObject({ reworkWindowDays: 20 });
			const [awayUnchanged] = await db
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

		it('lists the history newest first, a page at a time, with who changed what', async () => {
			const { station, supervisor } = await freshStation();
			const deputy = await createUser(db, station, 'deputy', 'supervisor');
			for (const days of [10, 11, 12]) {
				await as(supervisor).updateRanking({ reworkWindowDays: days });
			}
			await as(deputy).updateRanking({ reworkWindowDays: 13 });

			const first = await as(supervisor).history({ page: 1, pageSize: 3 });
			expect(first.hasMore).toBe(true);
			expect(first.entries.map((entry) => [entry.changedBy?.login, entry.change])).toEqual([
				['deputy', { kind: 'rework_window_days', old: 12, new: 13 }],
				['boss', { kind: 'rework_window_days', old: 11, new: 12 }],
				['boss', { kind: 'rework_window_days', old: 10, new: 11 }]
			]);
			const second = await as(supervisor).history({ page: 2, pageSize: 3 });
			expect(second.hasMore).toBe(false);
			expect(second.entries.map((entry) => entry.change)).toEqual([
				{ kind: 'rework_window_days', old: 30, new: 10 }
			]);
			expect(second.entries[0].changedAt.getTime()).toBeLessThanOrEqual(
				first.entries[2].changedAt.getTime()
			);
		});

		it('reads back each kind of change, and shows unknown subjects as they are', async () => {
			const { station, supervisor } = await freshStation();
			await as(supervisor).updateKpi(withRule('csat', { pass: 0.8 }));
			await as(supervisor).addFaultCategory({ code: 'DRAIN', name: '排水', standardMinutes: 40 });
			await db.insert(settingsAudit).values({
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
				old: { threshold: { pass: 0.85, excellent: 0.9 }, weight: 0.2 },
				new: { threshold: { pass: 0.8, excellent: 0.9 }, weight: 0.2 }
			});
			expect(changes).toContainEqual({
				kind: 'fault_category',
				code: 'DRAIN',
				old: null,
				new: { name: '排水', standardMinutes: 40, active: true }
			});
			const timeZone = entries.find((entry) => entry.subject === 'time_zone');
			expect(timeZone?.changedBy).toBeNull();
			expect(timeZone?.change).toEqual({
				kind: 'other',
				old: 'Asia/Shanghai',
				new: 'Asia/Urumqi'
			});
		});

		it('changes what computeScorecard scores', async () => {
			const { station, supervisor } = await freshStation();
			const tech = await createUser(db, station, 'li', 'technician');
			await as(supervisor).updateRanking({ minJobsForRanking: 1 });
			// Two completed jobs, each reported 3 h, arrived 2 h and started 1 h before noon:
			// response 1 h, repair 60 min against 60 standard minutes, clean records; one fixed,
			// one not; no follow-ups. So: success 0.5, response 1 h, duration index 1.0,
			// record accuracy 1, follow-up rate 0, csat null (not scored).
			for (const outcome of ['fixed', 'not_fixed'] as const) {
				await createJob(db, tech, {
					status: 'completed',
					outcome,
					reportedAt: new Date(NOON.getTime() - 3 * HOUR),
					arrivedAt: new Date(NOON.getTime() - 2 * HOUR),
					startedAt: new Date(NOON.getTime() - HOUR),
					completedAt: NOON
				});
			}
			const score = async () => {
				const [row] = await computeScorecard(db, { stationId: station.id, ...MARCH });
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

			// Two jobs are fewer than a minimum of 3: no rank.
			await as(supervisor).updateRanking({ minJobsForRanking: 3 });
			expect(await score()).toMatchObject({ rank: null });
		});
	});
}
