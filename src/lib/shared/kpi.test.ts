import { describe, expect, it } from 'vitest';
import { kpiPeriodSchema, thresholdRating } from './kpi';

describe('thresholdRating', () => {
	it('names the line a higher-is-better value reaches', () => {
		const rate = { pass: 0.9, excellent: 0.95 };
		expect([0.99, 0.95, 0.9, 0.8999].map((value) => thresholdRating(value, rate))).toEqual([
			'excellent',
			'excellent',
			'pass',
			'fail'
		]);
	});

	it('names the line a lower-is-better value reaches', () => {
		const hours = { pass: 24, excellent: 12 };
		expect([6, 12, 24, 24.01].map((value) => thresholdRating(value, hours))).toEqual([
			'excellent',
			'excellent',
			'pass',
			'fail'
		]);
	});

	it('rates nothing without a value or usable thresholds', () => {
		expect(thresholdRating(null, { pass: 1, excellent: 2 })).toBeNull();
		expect(thresholdRating(1, null)).toBeNull();
		expect(thresholdRating(1, undefined)).toBeNull();
		expect(thresholdRating(1, { pass: 1, excellent: 1 })).toBeNull();
	});
});

describe('kpiPeriodSchema', () => {
	it('accepts [from, to) with from before to', () => {
		expect(kpiPeriodSchema.parse({ from: '2026-02-28', to: '2026-03-01' })).toEqual({
			from: '2026-02-28',
			to: '2026-03-01'
		});
		expect(kpiPeriodSchema.safeParse({ from: '2024-02-29', to: '2024-03-01' }).success).toBe(true);
	});

	it.each([
		[{ from: '2026-03-01', to: '2026-03-01' }, 'to', 'must be after "from"'],
		[{ from: '2026-02-29', to: '2026-03-01' }, 'from', 'must be a real calendar date'],
		[{ from: '2026-3-1', to: '2026-03-02' }, 'from', 'must be a date written YYYY-MM-DD']
	])('refuses %j, naming %s', (period, field, message) => {
		const result = kpiPeriodSchema.safeParse(period);
		expect(result.success).toBe(false);
		expect(result.error!.issues[0].path).toEqual([field]);
		expect(result.error!.issues[0].message).toContain(message);
	});
});
