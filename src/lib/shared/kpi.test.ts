import { describe, expect, it } from 'vitest';
import { kpiPeriodSchema, thresholdRating } from './kpi';

describe('thresholdRating', () => {
	const rate = { pass: 0.9, excellent: 0.95 };
	const hours = { pass: 24, excellent: 12 };
	it.each([
		// Higher is better: at or above a line reaches it.
		[0.99, rate, 'excellent'],
		[0.95, rate, 'excellent'],
		[0.9, rate, 'pass'],
		[0.8999, rate, 'fail'],
		// Lower is better (excellent below pass): at or below a line reaches it.
		[6, hours, 'excellent'],
		[12, hours, 'excellent'],
		[24, hours, 'pass'],
		[24.01, hours, 'fail'],
		// Nothing to rate: no value, no thresholds, or thresholds without a scale.
		[null, rate, null],
		[1, null, null],
		[1, undefined, null],
		[1, { pass: 1, excellent: 1 }, null]
	] as const)('rates %s against %j as %s', (value, threshold, rating) => {
		expect(thresholdRating(value, threshold)).toBe(rating);
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
