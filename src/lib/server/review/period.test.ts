import { describe, expect, it } from 'vitest';
import { comparisonPeriod } from './period';

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
		expect(comparisonPeriod({ from, to })).toEqual({ from: previousFrom, to: previousTo });
	});
});
