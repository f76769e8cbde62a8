/**
 * The oracle's scoring against kpi.md's examples, and its time flags against kpi-rules.md (the
 * SQL is held to the oracle by property.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_KPI_SETTINGS } from '../../shared/kpi-settings';
import type { JobFlag } from '../../shared/kpi';
import {
	competitionRanks,
	compositeScore,
	gradeFor,
	kpiScore,
	referenceJobFacts,
	referenceStationKpis,
	roundScore,
	type ReferenceData
} from './reference';

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

describe('typed_time and late_entry', () => {
	const MINUTE = 60_000;
	const at = (time: string) => new Date(`2026-03-05T${time}Z`);
	/** Arrived 09:00, started 09:30, completed 10:30: no other flag. */
	const times = { arrived: at('09:00'), started: at('09:30'), completed: at('10:30') };
	const period = { from: '2026-03-05', to: '2026-03-06' };

	/** One completed job whose steps were entered as `stepEntries` say, in that order. */
	function station(
		stepEntries: NonNullable<ReferenceData['stepEntries']>,
		flagAcceptances: ReferenceData['flagAcceptances'] = []
	): ReferenceData {
		return {
			station: {
				timeZone: 'UTC',
				reworkWindowDays: 30,
				minJobsForRanking: 0,
				kpiSettings: DEFAULT_KPI_SETTINGS
			},
			users: [{ id: 'tech', login: 'tech', name: 'Tech' }],
			categories: [],
			jobs: [
				{
					id: 'job',
					jobNo: 'J1',
					technicianId: 'tech',
					status: 'completed',
					outcome: 'fixed',
					deviceSerial: '',
					faultCategoryId: null,
					previousJobId: null,
					reportedAt: at('08:00'),
					arrivedAt: times.arrived,
					startedAt: times.started,
					completedAt: times.completed
				}
			],
			jobParts: [],
			followUps: [],
			stepEntries,
			flagAcceptances
		};
	}
	const tapped = (step: 'arrived' | 'started' | 'completed', notedAfterMs = 0) => ({
		jobId: 'job',
		step,
		entry: 'tap' as const,
		notedAt: new Date(times[step].getTime() + notedAfterMs)
	});
	const typed = (step: 'arrived' | 'started' | 'completed', notedAfterMs = 0) => ({
		...tapped(step, notedAfterMs),
		entry: 'typed' as const
	});
	const flagsOf = (data: ReferenceData): JobFlag[] => referenceJobFacts(data, period)[0].flags;

	it('leaves steps tapped on the device clock, and imported ones, clean', () => {
		const imported = { jobId: 'job', step: 'completed' as const, entry: 'import' as const };
		expect(flagsOf(station([]))).toEqual([]);
		expect(flagsOf(station([tapped('arrived'), tapped('started'), tapped('completed')]))).toEqual(
			[]
		);
		// An import has no device clock, so it is never late either.
		expect(flagsOf(station([tapped('arrived'), { ...imported, notedAt: null }]))).toEqual([]);
	});

	it('flags a step time typed by hand, however soon', () => {
		expect(flagsOf(station([tapped('arrived'), typed('started')]))).toEqual(['typed_time']);
	});

	it('flags a time more than 120 minutes from the device clock, either way, not one at 120', () => {
		const limit = 120 * MINUTE;
		expect(flagsOf(station([tapped('completed', limit)]))).toEqual([]);
		expect(flagsOf(station([tapped('completed', -limit)]))).toEqual([]);
		expect(flagsOf(station([tapped('completed', limit + 1)]))).toEqual(['late_entry']);
		expect(flagsOf(station([tapped('arrived', -limit - 1000)]))).toEqual(['late_entry']);
		expect(flagsOf(station([typed('started', 3 * 24 * 60 * MINUTE)]))).toEqual([
			'typed_time',
			'late_entry'
		]);
	});

	it('judges a step entered again by its last entry', () => {
		expect(flagsOf(station([typed('started', 300 * MINUTE), tapped('started')]))).toEqual([]);
		expect(flagsOf(station([tapped('started'), typed('started')]))).toEqual(['typed_time']);
	});

	it('counts a job clean for record accuracy once its only flag is accepted', () => {
		const entries = [typed('completed')];
		expect(referenceStationKpis(station(entries), period)?.record_accuracy).toBe(0);
		const accepted = station(entries, [{ jobId: 'job', flag: 'typed_time' }]);
		expect(referenceJobFacts(accepted, period)[0]).toMatchObject({
			flags: [],
			accepted_flags: ['typed_time']
		});
		expect(referenceStationKpis(accepted, period)?.record_accuracy).toBe(1);
		// Another flag still open keeps it not clean.
		const late = station(
			[typed('completed', 121 * MINUTE)],
			[{ jobId: 'job', flag: 'typed_time' }]
		);
		expect(referenceJobFacts(late, period)[0].flags).toEqual(['late_entry']);
		expect(referenceStationKpis(late, period)?.record_accuracy).toBe(0);
	});
});
