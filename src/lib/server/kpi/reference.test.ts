/** The oracle's scoring against kpi.md's examples (the SQL is held to the oracle by property.test.ts). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_KPI_SETTINGS } from '../../shared/kpi-settings';
import { competitionRanks, compositeScore, gradeFor, kpiScore, roundScore } from './reference';

describe('kpiScore', () => {
	it('maps pass to 60 and excellent to 100, linearly, clamped to [0, 100]', () => {
		const rate = { pass: 0.9, excellent: 0.95 };
		expect(kpiScore(0.9, rate)).toBe(60);
		expect(kpiScore(0.925, rate)).toBeCloseTo(80, 12);
		expect(kpiScore(1, rate)).toBe(100);
		expect(kpiScore(0.5, rate)).toBe(0);
	});

	it('serves lower-is-better KPIs with excellent below pass', () => {
		const hours = { pass: 24, excellent: 12 };
		expect(kpiScore(24, hours)).toBe(60);
		expect(kpiScore(18, hours)).toBe(80);
		expect(kpiScore(12, hours)).toBe(100);
		expect(kpiScore(36, hours)).toBe(20);
	});

	it('does not score a null value, absent thresholds or thresholds without a scale', () => {
		expect(kpiScore(null, { pass: 1, excellent: 2 })).toBeNull();
		expect(kpiScore(1, null)).toBeNull();
		expect(kpiScore(1, undefined)).toBeNull();
		expect(kpiScore(1, { pass: 1, excellent: 1 })).toBeNull();
	});
});

describe('compositeScore', () => {
	const values = {
		repair_success_rate: 0.95, // 100, weight 0.3
		avg_response_hours: 24, // 60, weight 0.15
		duration_index: null,
		csat: null,
		follow_up_rate: 0.8, // 60, weight 0.1
		record_accuracy: null,
		parts_cost_per_job: 1000 // weight 0, no thresholds
	};
	/** Every KPI on 10 jobs or ratings: above the default minimums of 5. */
	const samples = {
		repair_success_rate: 10,
		avg_response_hours: 10,
		duration_index: 10,
		csat: 10,
		follow_up_rate: 10,
		record_accuracy: 10,
		parts_cost_per_job: 10
	};

	it('renormalises the weights over the scored KPIs', () => {
		// (0.3 × 100 + 0.15 × 60 + 0.1 × 60) / 0.55
		expect(compositeScore(values, samples, DEFAULT_KPI_SETTINGS)).toBeCloseTo(45 / 0.55, 8);
	});

	it('gives a KPI below its minimum sample no weight, like a null value', () => {
		// Success on 4 jobs (minimum 5) drops out: (0.15 × 60 + 0.1 × 60) / 0.25.
		const fewJobs = { ...samples, repair_success_rate: 4 };
		expect(compositeScore(values, fewJobs, DEFAULT_KPI_SETTINGS)).toBe(60);
		// Exactly at the minimum counts.
		const atMinimum = { ...samples, repair_success_rate: 5 };
		expect(compositeScore(values, atMinimum, DEFAULT_KPI_SETTINGS)).toBeCloseTo(45 / 0.55, 8);
	});

	it('is null when nothing can be scored', () => {
		const nothing = {
			...values,
			repair_success_rate: null,
			avg_response_hours: null,
			follow_up_rate: null
		};
		expect(compositeScore(nothing, samples, DEFAULT_KPI_SETTINGS)).toBeNull();
	});

	it('rounds to 9 decimals, half to even like Postgres round(float8)', () => {
		expect(roundScore(70.00000000000001)).toBe(70);
		expect(roundScore(81.8181818181818)).toBe(81.818181818);
		// Exact halves after scaling: 60000000002.5 and 60000000003.5 go to the even neighbour.
		expect(roundScore(60.0000000025)).toBe(60.000000002);
		expect(roundScore(60.0000000035)).toBe(60.000000004);
	});
});

describe('gradeFor', () => {
	it('grades excellent from 90, pass from 60, else fail; null without a score', () => {
		expect([100, 90, 89.999999999, 60, 59.999999999, 0].map(gradeFor)).toEqual([
			'excellent',
			'excellent',
			'pass',
			'pass',
			'fail',
			'fail'
		]);
		expect(gradeFor(null)).toBeNull();
	});
});

describe('competitionRanks', () => {
	it('ranks 1, 1, 3 and leaves too few jobs or no score unranked', () => {
		const ranks = competitionRanks(
			[
				{ score: 80, jobsCompleted: 5 },
				{ score: 95, jobsCompleted: 5 },
				{ score: 95, jobsCompleted: 9 },
				{ score: 99, jobsCompleted: 4 },
				{ score: null, jobsCompleted: 9 },
				{ score: 70, jobsCompleted: 5 }
			],
			5
		);
		expect(ranks).toEqual([3, 1, 1, null, null, 4]);
	});
});
