/**
 * AHP (层次分析法) weights from a pairwise comparison matrix, as kpi.md allows for the KPI
 * weights: Saaty's 1–9 scale, principal eigenvector by power iteration, consistency ratio
 * CR = CI / RI, and CR >= 0.10 rejected. Pure functions, usable in the browser and on the server.
 */

/** Saaty's random consistency index RI for n = 1..10. */
const SAATY_RANDOM_INDEX = [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49] as const;

const MAX_CONSISTENCY_RATIO = 0.1;

/**
 * Relative tolerance for entries typed as decimals: 0.333 stands for 1/3 and 0.143 for 1/7,
 * and a[i][j] · a[j][i] may miss 1 by that much.
 */
const TOLERANCE = 0.01;
const MAX_ITERATIONS = 1000;
const CONVERGED = 1e-12;

/** What the eigenvector method derives from a valid comparison matrix, consistent or not. */
interface AhpPriorities {
	weights: number[];
	lambdaMax: number;
	ci: number;
	cr: number;
}

/**
 * Refused results say why. An inconsistent matrix still carries its weights, λmax and CR, so a
 * supervisor can see what the judgements amount to and how far CR is from the limit; only a
 * matrix that is not a reciprocal Saaty matrix has no priorities at all.
 */
type AhpResult =
	| ({ ok: true } & AhpPriorities)
	| ({ ok: false; refusal: 'inconsistent'; reason: string } & AhpPriorities)
	| { ok: false; refusal: 'invalid_matrix'; reason: string };

function formatValue(value: number): string {
	return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

/** Within TOLERANCE of an integer 1..9 or of its reciprocal. */
function onSaatyScale(value: number): boolean {
	const magnitude = value >= 1 ? value : 1 / value;
	const nearest = Math.round(magnitude);
	return nearest >= 1 && nearest <= 9 && Math.abs(magnitude - nearest) <= TOLERANCE * nearest;
}

/** Why the matrix is not a reciprocal comparison matrix on Saaty's scale, or null when it is. */
export function pairwiseMatrixProblem(matrix: readonly (readonly number[])[]): string | null {
	const n = matrix.length;
	if (n === 0) return 'The comparison matrix is empty.';
	if (n > SAATY_RANDOM_INDEX.length) {
		return `AHP here compares at most ${SAATY_RANDOM_INDEX.length} criteria (Saaty's RI table); got ${n}.`;
	}
	for (let i = 0; i < n; i++) {
		if (!Array.isArray(matrix[i]) || matrix[i].length !== n) {
			return `The comparison matrix must be square: row ${i + 1} has ${matrix[i]?.length ?? 0} values, expected ${n}.`;
		}
	}
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < n; j++) {
			const value = matrix[i][j];
			const cell = `row ${i + 1}, column ${j + 1}`;
			if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
				return `${cell}: ${String(value)} is not a positive number.`;
			}
			if (i === j && Math.abs(value - 1) > TOLERANCE) {
				return `${cell}: a criterion compared with itself must be 1, not ${formatValue(value)}.`;
			}
			if (!onSaatyScale(value)) {
				return `${cell}: ${formatValue(value)} is not on Saaty's scale (1–9 or 1/2–1/9).`;
			}
			if (j > i && Math.abs(value * matrix[j][i] - 1) > TOLERANCE) {
				return (
					`${cell} is ${formatValue(value)} but row ${j + 1}, column ${i + 1} is ` +
					`${formatValue(matrix[j][i])}; they must be reciprocals (a and 1/a).`
				);
			}
		}
	}
	return null;
}

/**
 * The priority weights of a pairwise comparison matrix (matrix[i][j] = how much more
 * important criterion i is than j): the principal eigenvector normalised to sum 1, with λmax,
 * CI = (λmax − n)/(n − 1) and CR = CI / RI. For n <= 2 any reciprocal matrix is consistent and
 * RI is 0, so CR is 0.
 */
export function ahpWeights(matrix: readonly (readonly number[])[]): AhpResult {
	const problem = pairwiseMatrixProblem(matrix);
	if (problem) return { ok: false, refusal: 'invalid_matrix', reason: problem };
	const n = matrix.length;

	const multiply = (vector: number[]) =>
		matrix.map((row) => row.reduce((sum, value, j) => sum + value * vector[j], 0));
	let weights = new Array<number>(n).fill(1 / n);
	for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
		const product = multiply(weights);
		const total = product.reduce((a, b) => a + b, 0);
		const next = product.map((value) => value / total);
		const change = Math.max(...next.map((value, i) => Math.abs(value - weights[i])));
		weights = next;
		if (change < CONVERGED) break;
	}

	const product = multiply(weights);
	const lambdaMax = product.reduce((sum, value, i) => sum + value / weights[i], 0) / n;
	const ci = n > 1 ? Math.max(0, (lambdaMax - n) / (n - 1)) : 0;
	const ri = SAATY_RANDOM_INDEX[n - 1];
	const cr = ri > 0 ? ci / ri : 0;
	const priorities = { weights, lambdaMax, ci, cr };
	if (cr >= MAX_CONSISTENCY_RATIO) {
		return {
			ok: false,
			refusal: 'inconsistent',
			reason:
				`The comparisons are too inconsistent: consistency ratio ` +
				`CR = ${cr.toFixed(3)} ≥ ${MAX_CONSISTENCY_RATIO.toFixed(2)}. Revise the judgements ` +
				'that contradict each other (e.g. A > B and B > C but C > A).',
			...priorities
		};
	}
	return { ok: true, ...priorities };
}
