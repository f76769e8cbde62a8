/**
 * Part of `npm start`: bring the database's schema up to date and, on an empty database,
 * create the demo station; print the demo accounts either way.
 */
import { eq } from 'drizzle-orm';
import { openMigratedDatabaseWhenReachable } from '../src/lib/server/db/outage';
import { stations } from '../src/lib/server/db/schema';
import {
	DEMO_ACCOUNTS,
	DEMO_PASSWORD,
	DEMO_STATION,
	ensureDemoStation
} from '../src/lib/server/demo/index';

const handle = await openMigratedDatabaseWhenReachable();
try {
	console.log(`RepairScore: database ${handle.kind} at ${handle.location} is up to date.`);
	const started = performance.now();
	const { created } = await ensureDemoStation(handle.db);
	if (created) {
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		console.log(`RepairScore: created the demo station 示范服务站 (DEMO) in ${seconds} s.`);
	}
	const [demo] = await handle.db
		.select({ id: stations.id })
		.from(stations)
		.where(eq(stations.code, DEMO_STATION.code));
	if (demo) {
		console.log(
			`\nDemo accounts (station ${DEMO_STATION.code}), password for all: ${DEMO_PASSWORD}`
		);
		for (const account of DEMO_ACCOUNTS) {
			console.log(`  ${account.role.padEnd(10)}  ${account.login.padEnd(12)}  ${account.name}`);
		}
		console.log('');
	}
} finally {
	await handle.close();
}
