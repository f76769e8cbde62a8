/** Timing of the benchmarks' runs, and how they print it. */

/** `runs` runs of `body`, one after another: their durations in ms, sorted. */
export async function timeRuns(runs: number, body: () => Promise<unknown>): Promise<number[]> {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const started = performance.now();
		await body();
		times.push(performance.now() - started);
	}
	return times.sort((a, b) => a - b);
}

/** The p-th percentile (nearest rank) of sorted durations. */
export const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

export const ms = (value: number) => `${value.toFixed(1)} ms`;
