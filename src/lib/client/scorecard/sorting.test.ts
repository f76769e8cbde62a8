import { describe, expect, it } from 'vitest';
import type { ScorecardRow } from '$lib/shared/kpi';
import { nextSort, sortRows } from './sorting';

function row(login: string, values: Partial<ScorecardRow>): ScorecardRow {
	return {
		login,
		name: login,
		jobs_completed: 1,
		repair_success_rate: null,
		avg_repair_minutes: null,
		median_repair_minutes: null,
		duration_index: null,
		avg_response_hours: null,
		parts_cost_total: 0,
		parts_cost_per_job: null,
		csat: null,
		avg_satisfaction: null,
		follow_up_rate: null,
		record_accuracy: null,
		score: null,
		grade: null,
		rank: null,
		...values
	};
}

const collator = new Intl.Collator('zh-CN');
const rows = [
	row('a', { name: '王强', rank: 1, score: 92, grade: 'excellent', csat: 0.8 }),
	row('b', { name: '李娜', rank: 2, score: 75, grade: 'pass', csat: null }),
	row('c', { name: '张伟', rank: 2, score: 75, grade: 'pass', csat: 0.95 }),
	row('d', { name: '陈静', rank: null, score: 40, grade: 'fail', csat: 0.5 })
];
const logins = (sorted: ScorecardRow[]) => sorted.map((r) => r.login);

describe('scorecard sorting', () => {
	it('puts missing values last in both directions', () => {
		expect(logins(sortRows(rows, { key: 'csat', direction: 'descending' }, collator))).toEqual([
			'c',
			'a',
			'd',
			'b'
		]);
		expect(logins(sortRows(rows, { key: 'csat', direction: 'ascending' }, collator))).toEqual([
			'd',
			'a',
			'c',
			'b'
		]);
		expect(logins(sortRows(rows, { key: 'rank', direction: 'descending' }, collator))).toEqual([
			'b',
			'c',
			'a',
			'd'
		]);
	});

	it('keeps the given order among ties', () => {
		expect(logins(sortRows(rows, { key: 'rank', direction: 'ascending' }, collator))).toEqual([
			'a',
			'b',
			'c',
			'd'
		]);
		expect(logins(sortRows(rows, { key: 'score', direction: 'ascending' }, collator))).toEqual([
			'd',
			'b',
			'c',
			'a'
		]);
	});

	it('orders grades from fail to excellent and names by the collation of the language', () => {
		expect(logins(sortRows(rows, { key: 'grade', direction: 'descending' }, collator))).toEqual([
			'a',
			'b',
			'c',
			'd'
		]);
		// Pinyin: chen, li, wang, zhang.
		expect(logins(sortRows(rows, { key: 'name', direction: 'ascending' }, collator))).toEqual([
			'd',
			'b',
			'a',
			'c'
		]);
	});

	it('turns the sorted column around and starts another column in its first direction', () => {
		const byRank = { key: 'rank', direction: 'ascending' } as const;
		expect(nextSort(byRank, 'rank', 'ascending')).toEqual({ key: 'rank', direction: 'descending' });
		expect(nextSort(byRank, 'csat', 'descending')).toEqual({
			key: 'csat',
			direction: 'descending'
		});
	});
});
