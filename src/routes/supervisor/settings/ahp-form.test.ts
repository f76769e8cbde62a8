import { describe, expect, it } from 'vitest';
import { ahpWeights } from '$lib/shared/ahp';
import type { ScoredKpi } from '$lib/shared/domain';
import {
	JUDGEMENTS,
	comparisonMatrix,
	judgementRatio,
	mostInconsistentPair,
	nearestJudgement,
	pairKey,
	pairsOf,
	type Pair
} from './ahp-form';

const FOUR: ScoredKpi[] = ['repair_success_rate', 'avg_response_hours', 'csat', 'follow_up_rate'];

/** Judgements by pair position, e.g. { '0-3': -8 }; unlisted pairs are equal. */
function matrixOf(kpis: ScoredKpi[], judgements: Record<string, number>) {
	return comparisonMatrix(kpis, (pair: Pair) => judgements[`${pair.i}-${pair.j}`] ?? 1);
}

describe('AHP form judgements', () => {
	it("offer Saaty's scale both ways: 9 … 2, equal, 1/2 … 1/9", () => {
		expect(JUDGEMENTS).toHaveLength(17);
		expect(JUDGEMENTS.map(judgementRatio)).toEqual([
			9,
			8,
			7,
			6,
			5,
			4,
			3,
			2,
			1,
			1 / 2,
			1 / 3,
			1 / 4,
			1 / 5,
			1 / 6,
			1 / 7,
			1 / 8,
			1 / 9
		]);
		expect(nearestJudgement(1 / 3)).toBe(-3);
		expect(nearestJudgement(7.4)).toBe(7);
		expect(nearestJudgement(1.1)).toBe(1);
		expect(nearestJudgement(100)).toBe(9);
	});

	it('lists each pair once, in reading order, with a stable field name', () => {
		expect(pairsOf(FOUR.slice(0, 3)).map((p) => [p.i, p.j])).toEqual([
			[0, 1],
			[0, 2],
			[1, 2]
		]);
		expect(pairKey('csat', 'follow_up_rate')).toBe('ahp.csat.follow_up_rate');
	});

	it('builds the reciprocal matrix the server recomputes the weights from', () => {
		// 4 : 2 : 1 in both directions of the scale.
		const matrix = matrixOf(FOUR.slice(0, 3), { '0-1': 2, '0-2': 4, '1-2': 2 });
		expect(matrix).toEqual([
			[1, 2, 4],
			[1 / 2, 1, 2],
			[1 / 4, 1 / 2, 1]
		]);
		const result = ahpWeights(matrix);
		expect(result.ok && result.weights.map((w) => w * 7)).toEqual([
			expect.closeTo(4, 9),
			expect.closeTo(2, 9),
			expect.closeTo(1, 9)
		]);
		const reversed = matrixOf(FOUR.slice(0, 3), { '0-1': -3 });
		expect(reversed[0][1]).toBeCloseTo(1 / 3, 15);
		expect(reversed[1][0]).toBe(3);
	});

	it('names the judgement that contradicts the others, and what would fix it', () => {
		// Consistent 8 : 4 : 2 : 1, except that the first KPI is said to be 1/8 of the last.
		const matrix = matrixOf(FOUR, {
			'0-1': 2,
			'0-2': 4,
			'0-3': -8,
			'1-2': 2,
			'1-3': 4,
			'2-3': 2
		});
		expect(ahpWeights(matrix).ok).toBe(false);
		const hint = mostInconsistentPair(FOUR, matrix);
		expect(hint).toMatchObject({
			pair: { a: 'repair_success_rate', b: 'follow_up_rate' },
			current: -8,
			// Through the second KPI 2 × 4, through the third 4 × 2: both say 8.
			suggested: 8,
			fixes: true
		});
	});

	it('has no single culprit to name for fewer than three KPIs', () => {
		expect(
			mostInconsistentPair(FOUR.slice(0, 2), [
				[1, 3],
				[1 / 3, 1]
			])
		).toBeNull();
	});
});
