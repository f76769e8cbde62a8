/**
 * npm run seed             creates the demo station when the database has no station yet
 * npm run seed -- --reset  deletes station DEMO (with all its data) and builds it afresh
 *
 * The database is the one the server uses: DATABASE_URL, else PGlite in PGLITE_DIR.
 */
import { eq } from 'drizzle-orm';
import { openMigratedDatabase } from '../src/lib/server/db/index';
import { stations } from '../src/lib/server/db/schema';
import {
	DEMO_ACCOUNTS,
	DEMO_PASSWORD,
	DEMO_STATION,
	ensureDemoStation,
	resetDemoStation,
	type DemoLoadResult
} from '../src/lib/server/demo/index';

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

const started = performance.now();
const handle = await openMigratedDatabase();
try {
	console.log(`Database: ${handle.location}`);
	if (args.includes('--reset')) {
		const result = await resetDemoStation(handle.db);
		console.log(
			result.replaced
				? `Rebuilt demo station ${DEMO_STATION.code}.`
				: `Created demo station ${DEMO_STATION.code} (there was none to replace).`
		);
		describe(result);
	} else {
		const result = await ensureDemoStation(handle.db);
		if (result.created) {
			console.log(`Created demo station ${DEMO_STATION.code}.`);
			describe(result);
		} else {
			console.log(
				'The database already has stations, so no demo was added. ' +
					'`npm run seed -- --reset` rebuilds station DEMO and leaves the others alone.'
			);
		}
	}
	const [demo] = await handle.db
		.select({ id: stations.id })
		.from(stations)
		.where(eq(stations.code, DEMO_STATION.code));
	if (demo) printLogins();
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

function printLogins(): void {
	console.log(`Demo sign-in (station ${DEMO_STATION.code}, password "${DEMO_PASSWORD}"):`);
	for (const account of DEMO_ACCOUNTS) {
		console.log(`  ${account.login.padEnd(12)} ${account.role.padEnd(11)} ${account.name}`);
	}
}

function seconds(milliseconds: number): string {
	return `${(milliseconds / 1000).toFixed(2)} s`;
}
