import { describe, expect, it } from 'vitest';
import {
	MAX_CUSTOM_DAYS,
	comparedPeriod,
	comparisonPeriod,
	isRunning,
	monthsEnding,
	nextPeriod,
	parsePeriodKey,
	periodContaining,
	periodFromSearchParams,
	periodKey,
	periodOfKind,
	periodSearch,
	previousPeriod,
	recentPeriods,
	type ScorecardPeriod
} from './periods';

const TODAY = '2026-07-15';
const choose = (query: string) => periodFromSearchParams(new URLSearchParams(query), TODAY);
const JULY: ScorecardPeriod = { kind: 'month', from: '2026-07-01', to: '2026-08-01' };

describe('calendar periods', () => {
	it('weeks run Monday to Sunday, across month and year ends', () => {
		// 15 July 2026 is a Wednesday.
		expect(periodContaining('week', TODAY)).toEqual({
			kind: 'week',
			from: '2026-07-13',
			to: '2026-07-20'
		});
		expect(periodContaining('week', '2026-07-13').from).toBe('2026-07-13');
		expect(periodContaining('week', '2026-07-19').from).toBe('2026-07-13');
		// Thursday 1 January 2026: its week starts on Monday 29 December 2025.
		expect(periodContaining('week', '2026-01-01')).toEqual({
			kind: 'week',
			from: '2025-12-29',
			to: '2026-01-05'
		});
	});

	it('months and quarters start on their first day and end before the next', () => {
		expect(periodContaining('month', '2026-02-28')).toEqual({
			kind: 'month',
			from: '2026-02-01',
			to: '2026-03-01'
		});
		expect(periodContaining('month', '2026-12-31').to).toBe('2027-01-01');
		expect(periodContaining('quarter', '2026-09-30')).toEqual({
			kind: 'quarter',
			from: '2026-07-01',
			to: '2026-10-01'
		});
		expect(periodContaining('quarter', '2026-10-01').from).toBe('2026-10-01');
		expect(periodContaining('quarter', '2026-12-31').to).toBe('2027-01-01');
	});

	it('names each period by its ISO key and reads the key back', () => {
		expect(periodKey(periodContaining('week', '2026-01-01'))).toBe('2026-W01');
		expect(periodKey(periodContaining('week', '2027-01-01'))).toBe('2026-W53');
		expect(periodKey(periodContaining('week', '2024-12-30'))).toBe('2025-W01');
		expect(periodKey(JULY)).toBe('2026-07');
		expect(periodKey(periodContaining('quarter', TODAY))).toBe('2026-Q3');
		expect(periodKey({ kind: 'custom', from: '2026-07-01', to: '2026-07-09' })).toBeNull();

		for (const key of ['2026-W01', '2026-W53', '2025-W01', '2026-07', '2026-Q3', '2027-Q1']) {
			const period = parsePeriodKey(key);
			expect(period, key).not.toBeNull();
			expect(periodKey(period!)).toBe(key);
		}
		expect(parsePeriodKey('2026-w29')).toEqual(periodContaining('week', TODAY));
		expect(parsePeriodKey('2026-q3')).toEqual(periodContaining('quarter', TODAY));
	});

	it('rejects keys that name no period', () => {
		// 2025 has 52 ISO weeks, 2026 has 53.
		for (const key of ['2025-W53', '2026-W00', '2026-W54', '2026-13', '2026-00', '2026-Q5']) {
			expect(parsePeriodKey(key), key).toBeNull();
		}
		for (const key of ['', 'Q3', '2026', '26-Q3', '2026-7', '1999-01', '2100-Q1', 'x2026-Q3']) {
			expect(parsePeriodKey(key), key).toBeNull();
		}
	});
});

describe('previous and next periods', () => {
	it('steps calendar periods by one, whatever their length', () => {
		expect(previousPeriod(JULY)).toEqual({ kind: 'month', from: '2026-06-01', to: '2026-07-01' });
		expect(previousPeriod(periodContaining('month', '2026-03-10'))).toEqual({
			kind: 'month',
			from: '2026-02-01',
			to: '2026-03-01'
		});
		expect(previousPeriod(periodContaining('quarter', '2026-01-10'))).toEqual({
			kind: 'quarter',
			from: '2025-10-01',
			to: '2026-01-01'
		});
		expect(previousPeriod(periodContaining('week', '2026-01-01')).from).toBe('2025-12-22');
		expect(nextPeriod(periodContaining('quarter', '2026-11-10')).from).toBe('2027-01-01');
		expect(nextPeriod(periodContaining('week', '2026-12-31')).from).toBe('2027-01-04');
	});

	it('puts a custom range next to a range of the same number of days', () => {
		const range: ScorecardPeriod = { kind: 'custom', from: '2026-03-01', to: '2026-03-11' };
		expect(previousPeriod(range)).toEqual({ kind: 'custom', from: '2026-02-19', to: '2026-03-01' });
		expect(nextPeriod(range)).toEqual({ kind: 'custom', from: '2026-03-11', to: '2026-03-21' });
	});

	it('undoes each step with the opposite one', () => {
		let period: ScorecardPeriod = periodContaining('week', '2025-12-30');
		for (let i = 0; i < 60; i++) {
			const next = nextPeriod(period);
			expect(next.from).toBe(period.to);
			expect(previousPeriod(next)).toEqual(period);
			period = next;
		}
	});

	it('switches kinds around the start of the shown period', () => {
		expect(periodOfKind('quarter', JULY)).toEqual(periodContaining('quarter', '2026-07-01'));
		expect(periodOfKind('week', JULY)).toEqual(periodContaining('week', '2026-07-01'));
	});

	it('lists recent periods newest first', () => {
		expect(recentPeriods('quarter', TODAY, 3).map(periodKey)).toEqual([
			'2026-Q3',
			'2026-Q2',
			'2026-Q1'
		]);
	});

	it('lists the months of a trend window', () => {
		expect(monthsEnding('2026-02-28', 3)).toEqual(['2025-12-01', '2026-01-01', '2026-02-01']);
		expect(monthsEnding('2026-07-31', 12)[0]).toBe('2025-08-01');
	});
});

describe('periods in the URL', () => {
	it('shows the current month when the URL names no period', () => {
		expect(choose('')).toEqual({ period: JULY, problem: null });
	});

	it('reads period keys and custom ranges', () => {
		expect(choose('period=2026-Q1').period).toEqual(periodContaining('quarter', '2026-02-01'));
		expect(choose('from=2026-03-01&to=2026-03-16')).toEqual({
			period: { kind: 'custom', from: '2026-03-01', to: '2026-03-16' },
			problem: null
		});
		// `through` includes its day: the same range.
		expect(choose('from=2026-03-01&through=2026-03-15').period).toEqual(
			choose('from=2026-03-01&to=2026-03-16').period
		);
		// A period key wins over a range.
		expect(choose('period=2026-05&from=2026-03-01&to=2026-03-16').period.from).toBe('2026-05-01');
	});

	it('writes what it reads', () => {
		for (const period of [
			JULY,
			periodContaining('week', TODAY),
			periodContaining('quarter', TODAY),
			{ kind: 'custom', from: '2026-03-01', to: '2026-03-16' } satisfies ScorecardPeriod
		]) {
			expect(choose(periodSearch(period))).toEqual({ period, problem: null });
		}
		expect(periodSearch(periodContaining('quarter', TODAY))).toBe('period=2026-Q3');
	});

	it('falls back to the current month and names the problem', () => {
		expect(choose('period=2026-Q5')).toEqual({
			period: JULY,
			problem: { code: 'unknown_period', value: '2026-Q5' }
		});
		expect(choose('from=2026-03-01')).toEqual({
			period: JULY,
			problem: { code: 'incomplete_range' }
		});
		expect(choose('from=2026-02-30&to=2026-03-16').problem).toEqual({
			code: 'invalid_date',
			value: '2026-02-30'
		});
		expect(choose('from=2026-03-01&to=soon').problem).toEqual({
			code: 'invalid_date',
			value: 'soon'
		});
		expect(choose('from=2026-03-16&to=2026-03-16').problem).toEqual({ code: 'empty_range' });
		expect(choose('from=2026-03-16&through=2026-03-01').problem).toEqual({ code: 'empty_range' });
		expect(choose('from=2024-01-01&to=2026-03-01')).toEqual({
			period: JULY,
			problem: { code: 'range_too_long', maxDays: MAX_CUSTOM_DAYS }
		});
	});
});

describe('the period an alert compares with', () => {
	it.each([
		// A month: the calendar month before, whatever its length.
		['2026-03-01', '2026-04-01', '2026-02-01', '2026-03-01'],
		['2026-01-01', '2026-02-01', '2025-12-01', '2026-01-01'],
		// A quarter: the quarter before.
		['2026-04-01', '2026-07-01', '2026-01-01', '2026-04-01'],
		['2026-01-01', '2026-04-01', '2025-10-01', '2026-01-01'],
		// A week, or any other range: as many days just before.
		['2026-03-09', '2026-03-16', '2026-03-02', '2026-03-09'],
		['2026-03-10', '2026-03-20', '2026-02-28', '2026-03-10'],
		['2024-03-01', '2024-03-08', '2024-02-23', '2024-03-01'],
		// Three months that are not a calendar quarter, and two months: as many days before.
		['2026-02-01', '2026-05-01', '2025-11-04', '2026-02-01'],
		['2026-03-01', '2026-05-01', '2025-12-30', '2026-03-01']
	])('[%s, %s) → [%s, %s)', (from, to, previousFrom, previousTo) => {
		// An ended period (today after it) meets the whole period before.
		expect(comparisonPeriod({ from, to }, '2027-01-01')).toEqual({
			kind: expect.any(String),
			from: previousFrom,
			to: previousTo
		});
	});

	it.each([
		// Day 3 of a month meets days 1–3 of the month before, not the whole of it.
		['2026-12-01', '2027-01-01', '2026-12-03', '2026-11-01', '2026-11-04'],
		// The first day meets the first day.
		['2026-12-01', '2027-01-01', '2026-12-01', '2026-11-01', '2026-11-02'],
		// Past the end of a shorter month before: all of it, never into the running month.
		['2026-03-01', '2026-04-01', '2026-03-30', '2026-02-01', '2026-03-01'],
		// A running week, quarter and custom range alike.
		['2026-03-09', '2026-03-16', '2026-03-10', '2026-03-02', '2026-03-04'],
		['2026-04-01', '2026-07-01', '2026-05-15', '2026-01-01', '2026-02-15'],
		['2026-03-10', '2026-03-20', '2026-03-10', '2026-02-28', '2026-03-01']
	])(
		'[%s, %s) running on %s → so far against [%s, %s)',
		(from, to, today, previousFrom, previousTo) => {
			expect(comparisonPeriod({ from, to }, today)).toEqual({
				kind: expect.any(String),
				from: previousFrom,
				to: previousTo
			});
		}
	);
});

describe('a running period ("so far")', () => {
	it('runs from its first day until the day before its end', () => {
		expect(isRunning(JULY, '2026-06-30')).toBe(false);
		expect(isRunning(JULY, '2026-07-01')).toBe(true);
		expect(isRunning(JULY, '2026-07-31')).toBe(true);
		expect(isRunning(JULY, '2026-08-01')).toBe(false);
	});

	it('is compared with as many days of the period before, as a custom range', () => {
		expect(comparedPeriod(JULY, TODAY)).toEqual({
			kind: 'custom',
			from: '2026-06-01',
			to: '2026-06-16'
		});
		// On its last day it meets the whole period before, which keeps its kind.
		expect(comparedPeriod(JULY, '2026-07-31')).toEqual(previousPeriod(JULY));
	});

	it('is compared with the whole period before once it has ended, or before it begins', () => {
		expect(comparedPeriod(JULY, '2026-08-02')).toEqual(previousPeriod(JULY));
		expect(comparedPeriod(JULY, '2026-06-02')).toEqual(previousPeriod(JULY));
	});
});
