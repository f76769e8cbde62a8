import { describe, expect, it } from 'vitest';
import type { ScorecardRow } from '$lib/shared/kpi';
import { biggestDrops, lowestScores } from './attention';

function row(login: string, score: number | null, rank: number | null): ScorecardRow {
	return {
		login,
		name: login,
		jobs_completed: 10,
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
		score,
		grade: null,
		rank
	};
}

describe('lowestScores', () => {
	it('names the ranked technicians with the lowest scores, lowest first, ties by login', () => {
		const rows = [
			row('a', 95, 1),
			row('b', 80, 2),
			row('d', 70, 3),
			row('c', 70, 3),
			// Too few jobs: unranked, whatever the score.
			row('few', 10, null),
			row('none', null, null)
		];
		expect(lowestScores(rows).map((r) => r.login)).toEqual(['c', 'd', 'b']);
		expect(lowestScores(rows, 1).map((r) => r.login)).toEqual(['c']);
		expect(lowestScores([row('few', 10, null)])).toEqual([]);
	});
});

describe('biggestDrops', () => {
	it('names those ranked in both periods whose score fell, the biggest fall first', () => {
		const rows = [
			row('a', 90, 1),
			row('b', 60, 3),
			row('c', 70, 2),
			row('new', 50, 4),
			row('few', 20, null),
			row('same', 85.04, 1)
		];
		const previous = [
			row('a', 95, 1),
			row('b', 80, 2),
			row('c', 65, 3),
			// Unranked before: a fall from a score of few jobs is not a fall.
			row('few', 90, null),
			row('same', 84.96, 1)
		];
		const drops = biggestDrops(rows, previous);
		expect(drops.map((d) => [d.row.login, d.previousScore, d.drop])).toEqual([
			['b', 80, 20],
			['a', 95, 5]
		]);
		// 84.96 → 85.04 both read 85.0: neither a rise nor a fall.
		expect(biggestDrops([row('x', 84.96, 1)], [row('x', 85.04, 1)])).toEqual([]);
	});
});
