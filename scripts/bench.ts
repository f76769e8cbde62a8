/**
 * `npm run bench`: every benchmark, one after another (they would disturb each other's
 * timings if run together on two cores), each printing its figures and ratios.
 *
 *   npm run bench                 all of them
 *   npm run bench -- kpi sync     only these
 *
 * sync:   push throughput batched vs one mutation per request; pull of 90 days
 * client: local save of a job in Chromium (IndexedDB); gzipped JS of the technician pages
 * kpi:    station-quarter scorecard at 100k and 1M jobs vs a naive rows-into-JS version
 * region: a region's quarter comparison, 100 stations × 100,000 jobs, vs station after station
 * import: npm run import of 1M jobs (their part lines and follow-ups) vs psql \copy of the files,
 *         and vs psql \copy of the rows it wrote into the app's own tables
 */
import { spawnSync } from 'node:child_process';

const BENCHMARKS = ['sync', 'client', 'kpi', 'region', 'import'] as const;
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((name) => !BENCHMARKS.includes(name as never));
if (unknown.length) {
	console.error(
		`Unknown benchmark(s): ${unknown.join(', ')}. Choose from: ${BENCHMARKS.join(', ')}.`
	);
	process.exit(2);
}

let failures = 0;
for (const name of BENCHMARKS) {
	if (wanted.length && !wanted.includes(name)) continue;
	console.log(`\n━━ bench: ${name}`);
	const result = spawnSync(process.execPath, ['--import', 'tsx', `scripts/bench/${name}.ts`], {
		stdio: 'inherit'
	});
	if (result.status !== 0) {
		failures++;
		console.error(`✗ bench ${name} failed (exit ${result.status ?? result.signal})`);
	}
}
process.exit(failures ? 1 : 0);
