/**
 * The AHP form's judgements and the matrix they make, plus a cheap diagnosis of an inconsistent
 * set of judgements. Pure functions: the page computes live in the browser, the form action
 * builds the same matrix on the server (which then recomputes the weights with shared/ahp.ts).
 *
 * A judgement compares the pair (a, b), a listed before b: a positive value v means "a is v
 * times as important as b", a negative value −v means "b is v times as important as a", and 1
 * means equal. Saaty's scale allows 1–9, so −1 does not exist.
 */
import { ahpWeights } from '$lib/shared/ahp';
import type { ScoredKpi } from '$lib/shared/domain';

/** Every judgement, from "a extremely more important" through "equal" to "b extremely more". */
export const JUDGEMENTS: readonly number[] = [
	9, 8, 7, 6, 5, 4, 3, 2, 1, -2, -3, -4, -5, -6, -7, -8, -9
];

export interface Pair {
	a: ScoredKpi;
	b: ScoredKpi;
	/** Row and column of a and b in the matrix. */
	i: number;
	j: number;
}

/** The pairs to judge, in reading order: (1,2), (1,3), …, (2,3), … */
export function pairsOf(kpis: readonly ScoredKpi[]): Pair[] {
	const pairs: Pair[] = [];
	for (let i = 0; i < kpis.length; i++) {
		for (let j = i + 1; j < kpis.length; j++) pairs.push({ a: kpis[i], b: kpis[j], i, j });
	}
	return pairs;
}

/** The form field (and map key) of a pair's judgement. */
export function pairKey(a: ScoredKpi, b: ScoredKpi): string {
	return `ahp.${a}.${b}`;
}

export function isJudgement(value: number): boolean {
	return JUDGEMENTS.includes(value);
}

/** A judgement as a matrix entry: how many times a outweighs b. */
export function judgementRatio(judgement: number): number {
	return judgement >= 1 ? judgement : 1 / -judgement;
}

/** The judgement whose ratio is nearest to `ratio` on a log scale. */
export function nearestJudgement(ratio: number): number {
	let best = 1;
	for (const judgement of JUDGEMENTS) {
		const distance = Math.abs(Math.log(judgementRatio(judgement)) - Math.log(ratio));
		if (distance < Math.abs(Math.log(judgementRatio(best)) - Math.log(ratio))) best = judgement;
	}
	return best;
}

/** The reciprocal comparison matrix of the judgements; an unjudged pair counts as equal. */
export function comparisonMatrix(
	kpis: readonly ScoredKpi[],
	judgementOf: (pair: Pair) => number
): number[][] {
	const matrix = kpis.map(() => kpis.map(() => 1));
	for (const pair of pairsOf(kpis)) {
		const ratio = judgementRatio(judgementOf(pair));
		matrix[pair.i][pair.j] = ratio;
		matrix[pair.j][pair.i] = 1 / ratio;
	}
	return matrix;
}

export interface InconsistencyHint {
	pair: Pair;
	current: number;
	/** What the other judgements imply for this pair, on Saaty's scale. */
	suggested: number;
	/** True when changing just this judgement to the suggestion makes CR < 0.10. */
	fixes: boolean;
}

/**
 * The judgement that disagrees most with the others, and what the others imply for it. For a
 * pair (i, j) every third KPI k gives an indirect judgement a[i][k] · a[k][j]; their geometric
 * mean is what the rest of the matrix says about i against j. The pair whose own entry is
 * furthest from that, on a log scale, is the one to revisit. Cheap (n³ for n ≤ 7) and defined
 * however inconsistent the matrix is, unlike the eigenvector weights.
 */
export function mostInconsistentPair(
	kpis: readonly ScoredKpi[],
	matrix: readonly (readonly number[])[]
): InconsistencyHint | null {
	const n = kpis.length;
	if (n < 3) return null;
	let worst: { pair: Pair; deviation: number; implied: number } | null = null;
	for (const pair of pairsOf(kpis)) {
		let logSum = 0;
		for (let k = 0; k < n; k++) {
			if (k !== pair.i && k !== pair.j) {
				logSum += Math.log(matrix[pair.i][k]) + Math.log(matrix[k][pair.j]);
			}
		}
		const impliedLog = logSum / (n - 2);
		const deviation = Math.abs(Math.log(matrix[pair.i][pair.j]) - impliedLog);
		if (!worst || deviation > worst.deviation) {
			worst = { pair, deviation, implied: Math.exp(impliedLog) };
		}
	}
	if (!worst) return null;
	const { pair, implied } = worst;
	const suggested = nearestJudgement(implied);
	const changed = matrix.map((row) => [...row]);
	changed[pair.i][pair.j] = judgementRatio(suggested);
	changed[pair.j][pair.i] = 1 / judgementRatio(suggested);
	return {
		pair,
		current: nearestJudgement(matrix[pair.i][pair.j]),
		suggested,
		fixes: ahpWeights(changed).ok
	};
}
