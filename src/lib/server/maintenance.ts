/**
 * Housekeeping each server process does in the background, soon after it starts and then every
 * few hours:
 * - sync tombstones older than their retention are pruned (sync/retention.ts), so the table
 *   does not grow forever; devices offline longer than that get a reset on their next pull;
 * - every station's KPI facts are brought up to date (kpi/job-facts.ts), so the first scorecard
 *   after a migration or a large import does not wait for the whole refresh.
 *
 * Both are safe to run from several instances at once (the prune is one statement; a refresh
 * takes the stale rows it works on), so the instances behind a load balancer need no
 * coordination: the server still keeps no state of its own.
 */
import { sql } from 'drizzle-orm';
import type { Database } from './db';
import { queryRows } from './db/rows';
import { refreshJobFacts } from './kpi/job-facts';
import { pruneSyncTombstones } from './sync/retention';

export const MAINTENANCE_INTERVAL_MS = 6 * 60 * 60 * 1000;
/** After start-up, so that serving the first requests comes first. */
const FIRST_ROUND_DELAY_MS = 10_000;

export interface MaintenanceReport {
	tombstonesPruned: number;
	stationsRefreshed: number;
}

export async function runMaintenance(db: Database): Promise<MaintenanceReport> {
	const tombstonesPruned = await pruneSyncTombstones(db);
	const stale = await queryRows<{ station_id: string }>(
		db,
		sql`SELECT DISTINCT station_id::text AS station_id FROM job_kpi_stale`
	);
	for (const { station_id } of stale) await refreshJobFacts(db, station_id);
	return { tombstonesPruned, stationsRefreshed: stale.length };
}

/**
 * Runs maintenance in the background until the returned function is called; that function
 * resolves once a round under way has ended, so the database can then be closed.
 */
export function startMaintenance(
	db: Database,
	log: (message: string) => void = console.log
): () => Promise<void> {
	let running: Promise<unknown> | null = null;
	const round = () => {
		if (running) return;
		running = runMaintenance(db)
			.then(({ tombstonesPruned, stationsRefreshed }) => {
				if (tombstonesPruned > 0 || stationsRefreshed > 0) {
					log(
						`RepairScore: maintenance pruned ${tombstonesPruned} sync tombstone(s) and ` +
							`refreshed the KPI facts of ${stationsRefreshed} station(s).`
					);
				}
			})
			.catch((error: unknown) => log(`RepairScore: maintenance failed, will retry: ${error}`))
			.finally(() => (running = null));
	};
	const first = setTimeout(round, FIRST_ROUND_DELAY_MS);
	const every = setInterval(round, MAINTENANCE_INTERVAL_MS);
	// Never the reason the process stays alive.
	first.unref();
	every.unref();
	return async () => {
		clearTimeout(first);
		clearInterval(every);
		await running;
	};
}
