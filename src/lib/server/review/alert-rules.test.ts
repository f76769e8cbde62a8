import { describe, expect, it } from 'vitest';
import type { KpiSettings } from '../../shared/domain';
import { DEFAULT_KPI_SETTINGS } from '../../shared/kpi-settings';
import { kpiAlerts, type KpiValues } from './alert-rules';

/** A technician meeting every default threshold with room to spare. */
const GOOD: KpiValues = {
	jobs_completed: 10,
	repair_success_rate: 0.97,
	avg_response_hours: 6,
	duration_index: 0.9,
	csat: 0.95,
	follow_up_rate: 0.95,
	record_accuracy: 1,
	parts_cost_per_job: 80,
	tooFew: []
};

const alertsOf = (
	current: Partial<KpiValues>,
	previous: Partial<KpiValues> | null = null,
	settings: KpiSettings = DEFAULT_KPI_SETTINGS,
	minJobs = 5
) => kpiAlerts({ ...GOOD, ...current }, previous && { ...GOOD, ...previous }, settings, minJobs);

describe('alert rules', () => {
	it('raises nothing for a technician meeting every threshold, steady since last period', () => {
		expect(alertsOf({}, {})).toEqual([]);
	});

	it('flags a higher-is-better KPI under pass, and a lower-is-better one over pass', () => {
		expect(alertsOf({ repair_success_rate: 0.85, avg_response_hours: 30 })).toEqual([
			{ kind: 'below_pass', kpi: 'repair_success_rate', value: 0.85, pass: 0.9, excellent: 0.95 },
			{ kind: 'below_pass', kpi: 'avg_response_hours', value: 30, pass: 24, excellent: 12 }
		]);
	});

	it('does not flag a value exactly at pass, a null value, or an unscored KPI', () => {
		expect(alertsOf({ repair_success_rate: 0.9, avg_response_hours: 24, csat: null })).toEqual([]);
		const unweighted: KpiSettings = {
			...DEFAULT_KPI_SETTINGS,
			weights: { ...DEFAULT_KPI_SETTINGS.weights, follow_up_rate: 0 }
		};
		expect(alertsOf({ follow_up_rate: 0.1 }, null, unweighted)).toEqual([]);
		const noThreshold: KpiSettings = {
			...DEFAULT_KPI_SETTINGS,
			thresholds: { ...DEFAULT_KPI_SETTINGS.thresholds, follow_up_rate: null }
		};
		expect(alertsOf({ follow_up_rate: 0.1 }, null, noThreshold)).toEqual([]);
	});

	it('calls a rate down by 10 points or more a sharp drop, 9 points not', () => {
		expect(alertsOf({ record_accuracy: 0.9 }, { record_accuracy: 1 })).toContainEqual({
			kind: 'sharp_drop',
			kpi: 'record_accuracy',
			value: 0.9,
			previous: 1
		});
		// 0.95 − 0.85 is 0.09999999999999998 in binary floating point: still 10 points.
		expect(alertsOf({ csat: 0.85 }, { csat: 0.95 })).toEqual([
			{ kind: 'sharp_drop', kpi: 'csat', value: 0.85, previous: 0.95 }
		]);
		expect(alertsOf({ csat: 0.86 }, { csat: 0.95 })).toEqual([]);
	});

	it('calls a time, ratio or cost up by 25 % or more a sharp drop, 24 % not', () => {
		expect(alertsOf({ avg_response_hours: 10 }, { avg_response_hours: 8 })).toEqual([
			{ kind: 'sharp_drop', kpi: 'avg_response_hours', value: 10, previous: 8 }
		]);
		expect(alertsOf({ avg_response_hours: 9.92 }, { avg_response_hours: 8 })).toEqual([]);
		// Parts cost has no thresholds by default, but a jump in it is still worth a look.
		expect(alertsOf({ parts_cost_per_job: 125 }, { parts_cost_per_job: 100 })).toEqual([
			{ kind: 'sharp_drop', kpi: 'parts_cost_per_job', value: 125, previous: 100 }
		]);
		expect(alertsOf({ parts_cost_per_job: 40 }, { parts_cost_per_job: 0 })).toEqual([]);
		expect(alertsOf({ duration_index: 0.8 }, { duration_index: 1.1 })).toEqual([]);
	});

	it('lists both alerts when a KPI is below pass and dropped sharply', () => {
		expect(alertsOf({ repair_success_rate: 0.8 }, { repair_success_rate: 1 })).toEqual([
			{ kind: 'below_pass', kpi: 'repair_success_rate', value: 0.8, pass: 0.9, excellent: 0.95 },
			{ kind: 'sharp_drop', kpi: 'repair_success_rate', value: 0.8, previous: 1 }
		]);
	});

	it('raises nothing on a KPI with too few samples, nor compares with one that had too few', () => {
		const bad = { csat: 0.5 };
		expect(alertsOf({ ...bad, tooFew: ['csat'] }, { csat: 1 })).toEqual([]);
		expect(alertsOf(bad, { csat: 1, tooFew: ['csat'] })).toEqual([
			{ kind: 'below_pass', kpi: 'csat', value: 0.5, pass: 0.85, excellent: 0.9 }
		]);
		expect(alertsOf(bad, { csat: 1 })).toHaveLength(2);
	});

	it('checks only technicians with enough jobs, and compares only with a period that had enough', () => {
		const bad = { repair_success_rate: 0.5 };
		expect(alertsOf({ ...bad, jobs_completed: 4 }, { jobs_completed: 10 })).toEqual([]);
		expect(alertsOf({ ...bad, jobs_completed: 5 }, { jobs_completed: 4 })).toEqual([
			{ kind: 'below_pass', kpi: 'repair_success_rate', value: 0.5, pass: 0.9, excellent: 0.95 }
		]);
		expect(alertsOf({ ...bad, jobs_completed: 5 }, null)).toHaveLength(1);
		expect(alertsOf({ ...bad, jobs_completed: 5 }, { jobs_completed: 5 })).toHaveLength(2);
	});
});
