import { describe, expect, it } from 'vitest';
import { ahpWeights, pairwiseMatrixProblem } from './ahp';

function expectOk(result: ReturnType<typeof ahpWeights>) {
	if (!result.ok) throw new Error(`expected weights, got: ${result.reason}`);
	return result;
}

describe('ahpWeights', () => {
	it('reproduces the published criteria weights of the "choosing a leader" example', () => {
		// Experience, Education, Charisma, Age (Wikipedia's AHP leader example, as recomputed
		// by the AHPy library: 0.548, 0.127, 0.270, 0.056, CR 0.044).
		const result = expectOk(
			ahpWeights([
				[1, 4, 3, 7],
				[1 / 4, 1, 1 / 3, 3],
				[1 / 3, 3, 1, 5],
				[1 / 7, 1 / 3, 1 / 5, 1]
			])
		);
		expect(result.weights.map((w) => Number(w.toFixed(3)))).toEqual([0.548, 0.127, 0.27, 0.056]);
		expect(result.cr).toBeCloseTo(0.044, 3);
		expect(result.ci).toBeCloseTo((result.lambdaMax - 4) / 3, 12);
	});

	it('reproduces Saaty’s drink consumption example (2008): 7 criteria, CR ≈ 0.022', () => {
		const result = expectOk(
			ahpWeights([
				[1, 9, 5, 2, 1, 1, 1 / 2],
				[1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
				[1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
				[1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
				[1, 9, 4, 2, 1, 2, 1 / 2],
				[1, 9, 3, 1, 1 / 2, 1, 1 / 3],
				[2, 9, 9, 3, 2, 3, 1]
			])
		);
		// Coffee, wine, tea, beer, soda, milk, water.
		expect(result.weights.map((w) => Number(w.toFixed(3)))).toEqual([
			0.177, 0.019, 0.042, 0.116, 0.19, 0.129, 0.327
		]);
		expect(result.cr).toBeCloseTo(0.022, 3);
	});

	it('gives the textbook 3×3 example its λmax 3.039 and CR 0.033', () => {
		const result = expectOk(
			ahpWeights([
				[1, 3, 5],
				[1 / 3, 1, 3],
				[1 / 5, 1 / 3, 1]
			])
		);
		expect(result.weights.map((w) => Number(w.toFixed(3)))).toEqual([0.637, 0.258, 0.105]);
		expect(result.lambdaMax).toBeCloseTo(3.0385, 4);
		expect(result.cr).toBeCloseTo(0.0332, 4);
	});

	it('recovers exact ratios from a perfectly consistent matrix', () => {
		const result = expectOk(
			ahpWeights([
				[1, 2, 4],
				[1 / 2, 1, 2],
				[1 / 4, 1 / 2, 1]
			])
		);
		result.weights.forEach((w, i) => expect(w).toBeCloseTo([4 / 7, 2 / 7, 1 / 7][i], 12));
		expect(result.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
		expect(result.lambdaMax).toBeCloseTo(3, 12);
		expect(result.cr).toBeCloseTo(0, 12);
	});

	it('refuses contradictory judgements, yet still shows their weights, λmax and CR', () => {
		// A ≫ B, B ≫ C, yet C ≫ A: a circulant matrix, so (1, 1, 1) is the principal eigenvector,
		// λmax = 1 + 9 + 1/9, CI = (λmax − 3) / 2 and CR = CI / 0.58 ≈ 6.130.
		const result = ahpWeights([
			[1, 9, 1 / 9],
			[1 / 9, 1, 9],
			[9, 1 / 9, 1]
		]);
		if (result.ok || result.refusal !== 'inconsistent') throw new Error('expected a refusal');
		result.weights.forEach((w) => expect(w).toBeCloseTo(1 / 3, 12));
		expect(result.lambdaMax).toBeCloseTo(1 + 9 + 1 / 9, 9);
		expect(result.cr).toBeCloseTo((1 + 9 + 1 / 9 - 3) / 2 / 0.58, 9);
		expect(result.reason).toMatch(/too inconsistent.*CR = 6\.130 ≥ 0\.10/);
	});

	it('refuses a mildly inconsistent matrix just above the 0.10 limit, with its weights', () => {
		// A = 3B and B = 3C would make A = 9C; judging A = 3C instead gives CR ≈ 0.117. For 3×3
		// the eigenvector equals the normalised geometric means of the rows: ∛9, 1, ∛(1/9).
		const result = ahpWeights([
			[1, 3, 3],
			[1 / 3, 1, 3],
			[1 / 3, 1 / 3, 1]
		]);
		const rowMeans = [Math.cbrt(9), 1, Math.cbrt(1 / 9)];
		const total = rowMeans.reduce((a, b) => a + b, 0);
		expect(result).toEqual({
			ok: false,
			refusal: 'inconsistent',
			reason: expect.stringContaining('CR = 0.117 ≥ 0.10'),
			weights: rowMeans.map((mean) => expect.closeTo(mean / total, 9)),
			lambdaMax: expect.closeTo(3.1356, 4),
			ci: expect.closeTo(0.0678, 4),
			cr: expect.closeTo(0.1169, 4)
		});
	});

	it('handles one and two criteria, which are always consistent', () => {
		expect(expectOk(ahpWeights([[1]])).weights).toEqual([1]);
		const pair = expectOk(
			ahpWeights([
				[1, 3],
				[1 / 3, 1]
			])
		);
		expect(pair.weights[0]).toBeCloseTo(0.75, 12);
		expect(pair.weights[1]).toBeCloseTo(0.25, 12);
		expect(pair.cr).toBe(0);
	});

	it('accepts reciprocals typed as rounded decimals', () => {
		const result = ahpWeights([
			[1, 3, 7],
			[0.333, 1, 3],
			[0.143, 0.333, 1]
		]);
		expect(result.ok).toBe(true);
	});
});

describe('pairwiseMatrixProblem', () => {
	it.each([
		[[], /empty/],
		[[[1, 2], [1 / 2]], /square: row 2 has 1 values, expected 2/],
		[
			[
				[1, 0],
				[1, 1]
			],
			/row 1, column 2: 0 is not a positive number/
		],
		[
			[
				[1, -3],
				[-1 / 3, 1]
			],
			/row 1, column 2: -3 is not a positive number/
		],
		[
			[
				[2, 1],
				[1, 1]
			],
			/row 1, column 1: a criterion compared with itself must be 1/
		],
		[
			[
				[1, 10],
				[1 / 10, 1]
			],
			/row 1, column 2: 10 is not on Saaty's scale/
		],
		[
			[
				[1, 2.5],
				[0.4, 1]
			],
			/row 1, column 2: 2\.50 is not on Saaty's scale/
		],
		[
			[
				[1, 3],
				[3, 1]
			],
			/row 1, column 2 is 3 but row 2, column 1 is 3; they must be reciprocals/
		],
		[Array.from({ length: 11 }, () => new Array(11).fill(1)), /at most 10 criteria/]
	])('%j is refused: %s', (matrix, message) => {
		expect(pairwiseMatrixProblem(matrix as number[][])).toMatch(message);
		expect(ahpWeights(matrix as number[][])).toEqual({
			ok: false,
			refusal: 'invalid_matrix',
			reason: expect.stringMatching(message)
		});
	});

	it('accepts a valid reciprocal matrix', () => {
		expect(
			pairwiseMatrixProblem([
				[1, 1 / 9],
				[9, 1]
			])
		).toBeNull();
	});
});
