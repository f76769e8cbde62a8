/**
 * Part of `npm start`: bring the database's schema up to date and, where a demo is wanted,
 * create the demo station on an empty database.
 *
 * The demo is created on the embedded database (no DATABASE_URL), for `npm install && npm
 * start`; on a real database only when asked: `npm start -- --demo`. Its passwords are made
 * at random and printed once, when it is created. DEMO_PASSWORD (test runs only) gives every
 * demo account that one password instead.
 */
import { openMigratedDatabaseWhenReachable } from '../src/lib/server/db/outage';
import { ensureDemoStation } from '../src/lib/server/demo/index';
import { printDemoLogins, printDemoPasswords, printFirstAdministratorHelp } from './demo-accounts';

const USAGE =
	'Usage: npm start [-- --demo]   (--demo: also create the demo on a DATABASE_URL database)';
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--demo');
if (unknown.length > 0) {
	console.error(`Unknown argument ${unknown.join(' ')}. ${USAGE}`);
	process.exit(2);
}

const handle = await openMigratedDatabaseWhenReachable();
try {
	console.log(`RepairScore: database ${handle.kind} at ${handle.location} is up to date.`);
	const wantsDemo = handle.kind === 'pglite' || args.includes('--demo');
	const started = performance.now();
	const result = wantsDemo
		? await ensureDemoStation(handle.db, { password: process.env.DEMO_PASSWORD || undefined })
		: { created: false as const };
	if (result.created) {
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		console.log(`RepairScore: created the demo station 示范服务站 (DEMO) in ${seconds} s.`);
		printDemoPasswords(result.passwords);
	} else {
		await printDemoLogins(handle.db);
	}
	if (!wantsDemo) {
		console.log(
			'RepairScore: a database named by DATABASE_URL gets no demo; `npm start -- --demo` adds it to an empty one.'
		);
	}
	await printFirstAdministratorHelp(handle.db);
} finally {
	await handle.close();
}
