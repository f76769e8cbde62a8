/**
 * npm run seed             creates the demo station when the database has no station yet
 * npm run seed -- --reset  deletes station DEMO (with all its data) and builds it afresh
 *
 * The database is the one the server uses: DATABASE_URL, else PGlite in PGLITE_DIR. Each
 * build of the demo makes new random passwords and prints them once (DEMO_PASSWORD, set only
 * by test runs, gives every account that one instead).
 */
import { openMigratedDatabase } from '../src/lib/server/db/index';
import {
	DEMO_STATION,
	ensureDemoStation,
	resetDemoStation,
	type DemoLoadResult
} from '../src/lib/server/demo/index';
import { printDemoLogins, printDemoPasswords } from './demo-accounts';

const USAGE = 'Usage: npm run seed [-- --reset]';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
	console.log(USAGE);
	process.exit(0);
}
const unknown = args.filter((arg) => arg !== '--reset');
if (unknown.length > 0) {
	console.error(`Unknown argument ${unknown.join(' ')}. ${USAGE}`);
	process.exit(2);
}

const password = process.env.DEMO_PASSWORD || undefined;
const started = performance.now();
const handle = await openMigratedDatabase();
try {
	console.log(`Database: ${handle.location}`);
	if (args.includes('--reset')) {
		const result = await resetDemoStation(handle.db, { password });
		console.log(
			result.replaced
				? `Rebuilt demo station ${DEMO_STATION.code}.`
				: `Created demo station ${DEMO_STATION.code} (there was none to replace).`
		);
		describe(result);
		printDemoPasswords(result.passwords);
	} else {
		const result = await ensureDemoStation(handle.db, { password });
		if (result.created) {
			console.log(`Created demo station ${DEMO_STATION.code}.`);
			describe(result);
			printDemoPasswords(result.passwords);
		} else {
			console.log(
				'The database already has stations, so no demo was added. ' +
					'`npm run seed -- --reset` rebuilds station DEMO and leaves the others alone.'
			);
			await printDemoLogins(handle.db);
		}
	}
} finally {
	await handle.close();
}
console.log(`Done in ${seconds(performance.now() - started)}.`);

function describe({ counts, timings }: DemoLoadResult): void {
	console.log(
		`  ${DEMO_STATION.name}: ${counts.users} accounts, ${counts.categories} fault categories, ` +
			`${counts.parts} parts, ${counts.jobs} jobs, ${counts.jobParts} part lines, ` +
			`${counts.followUps} follow-ups`
	);
	console.log(
		`  generated in ${seconds(timings.generate)}, passwords hashed in ` +
			`${seconds(timings.hashPasswords)}, inserted in ${seconds(timings.insert)}`
	);
}

function seconds(milliseconds: number): string {
	return `${(milliseconds / 1000).toFixed(2)} s`;
}
