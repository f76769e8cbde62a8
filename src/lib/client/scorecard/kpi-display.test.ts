import { describe, expect, it } from 'vitest';
import { KPI_COLUMNS, kpiFormatter, kpiRating, shownValue, trendOf } from './kpi-display';
import { SCORECARD_COLUMNS } from '$lib/shared/kpi';

describe('KPI display', () => {
	it('shows every KPI of the contract, in its order', () => {
		const kpis = SCORECARD_COLUMNS.filter(
			(column) => !['login', 'name', 'score', 'grade', 'rank'].includes(column)
		);
		expect(KPI_COLUMNS.map((kpi) => kpi.key)).toEqual(kpis);
	});

	it('formats rates as percents, times with 1 decimal, money with 2, null as a dash', () => {
		const format = kpiFormatter('en');
		expect(format(0.96543, 'percent')).toBe('96.5%');
		expect(format(73.96, 'decimal1')).toBe('74.0');
		expect(format(1234.5, 'money')).toBe('1,234.50');
		expect(format(12, 'count')).toBe('12');
		expect(format(null, 'percent')).toBe('—');
		expect(kpiFormatter('zh-CN')(0.5, 'percent')).toBe('50.0%');
	});

	it('compares values as shown, so equal-looking numbers get no arrow', () => {
		expect(shownValue(0.96541, 'percent')).toBe(shownValue(0.96549, 'percent'));
		expect(trendOf(0.96541, 0.96549, 'percent', 'higher')).toBeNull();
		expect(trendOf(0.97, null, 'percent', 'higher')).toBeNull();
	});

	it("judges a change by the KPI's better direction", () => {
		expect(trendOf(0.97, 0.95, 'percent', 'higher')).toEqual({
			direction: 'up',
			judgement: 'better'
		});
		expect(trendOf(0.93, 0.95, 'percent', 'higher')).toEqual({
			direction: 'down',
			judgement: 'worse'
		});
		expect(trendOf(14, 9, 'decimal1', 'lower')).toEqual({ direction: 'up', judgement: 'worse' });
		expect(trendOf(8, 9, 'decimal1', 'lower')).toEqual({ direction: 'down', judgement: 'better' });
		expect(trendOf(80, 60, 'decimal1', null)).toEqual({ direction: 'up', judgement: 'neutral' });
	});

	it('rates a KPI against its pass and excellent lines, in either direction', () => {
		const success = { pass: 0.9, excellent: 0.95 };
		expect(kpiRating(0.95, success)).toBe('excellent');
		expect(kpiRating(0.99, success)).toBe('excellent');
		expect(kpiRating(0.9, success)).toBe('pass');
		expect(kpiRating(0.8999, success)).toBe('fail');
		const response = { pass: 24, excellent: 12 };
		expect(kpiRating(12, response)).toBe('excellent');
		expect(kpiRating(20, response)).toBe('pass');
		expect(kpiRating(30, response)).toBe('fail');
		expect(kpiRating(null, response)).toBeNull();
		expect(kpiRating(0.5, null)).toBeNull();
	});
});
