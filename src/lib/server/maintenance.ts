/**
 * Housekeeping each server process does in the background, soon after it starts and then every
 * few hours:
 * - sync tombstones older than their retention are pruned (sync/retention.ts), so the table
 *   does not grow forever; devices offline longer than that get a reset on their next pull;
 * - the pieces of photo uploads abandoned for a month are freed (files/storage.ts);
 * - every few seconds, the KPI facts the writes left queued are refreshed in batches
 *   (kpi/fact-refresh.ts): a read never refreshes them, so the first scorecard after a migration
 *   or a large import does not wait for the whole refresh, it says "as of" while this runs;
 * - on the embedded database only (one process), tables are vacuumed and analyzed where due
 *   (db/vacuum.ts), checked every minute, since PGlite has no autovacuum.
 *
 * The first three are safe to run from several instances at once (the prune is one statement; a
 * refresh batch holds its station's row for its transaction and the others skip that station),
 * so the instances behind a load balancer need no coordination: the server still keeps no state
 * of its own.
 */
import type { Database } from './db';
import { vacuumWhereDue } from './db/vacuum';
import { abandonUnfinishedUploads } from './files/storage';
import { refreshStaleFacts } from './kpi/fact-refresh';
import { pruneSyncTombstones } from './sync/retention';

const MAINTENANCE_INTERVAL_MS = 6 * 60 * 60 * 1000;
/**
 * How often the KPI facts' queue is looked at. A write's own request refreshes what it marked
 * (fact-refresh.ts); this catches the rest, so a backlog starts within seconds.
 */
const FACT_REFRESH_INTERVAL_MS = 3_000;
/** The first look soon after start-up: a migration may have queued a whole station. */
const FIRST_FACT_REFRESH_DELAY_MS = 1_000;
/** As a PostgreSQL server's autovacuum_naptime. */
const AUTOVACUUM_NAPTIME_MS = 60 * 1000;
/** After start-up, so that serving the first requests comes first. */
const FIRST_ROUND_DELAY_MS = 10_000;

interface MaintenanceReport {
	tombstonesPruned: number;
	uploadsAbandoned: number;
}

export async function runMaintenance(db: Database): Promise<MaintenanceReport> {
	const tombstonesPruned = await pruneSyncTombstones(db);
	const uploadsAbandoned = await abandonUnfinishedUploads(db);
	return { tombstonesPruned, uploadsAbandoned };
}

interface MaintenanceOptions {
	/** The embedded database (PGlite), which has no autovacuum of its own (db/vacuum.ts). */
	embedded: boolean;
	log?: (message: string) => void;
}

/**
 * Runs maintenance in the background until the returned function is called; that function
 * resolves once the rounds under way have ended, so the database can then be closed. On the
 * embedded database, tables are also vacuumed and analyzed where due, checked every minute as
 * a server's autovacuum does.
 */
export function startMaintenance(
	db: Database,
	{ embedded, log = console.log }: MaintenanceOptions
): () => Promise<void> {
	let stopping = false;
	const stops = [
		repeat(
			FIRST_ROUND_DELAY_MS,
			MAINTENANCE_INTERVAL_MS,
			async () => {
				const { tombstonesPruned, uploadsAbandoned } = await runMaintenance(db);
				if (tombstonesPruned > 0) {
					log(`RepairScore: maintenance pruned ${tombstonesPruned} sync tombstone(s).`);
				}
				if (uploadsAbandoned > 0) {
					log(`RepairScore: maintenance freed ${uploadsAbandoned} abandoned photo upload(s).`);
				}
			},
			log
		)
	];
	stops.push(
		repeat(
			FIRST_FACT_REFRESH_DELAY_MS,
			FACT_REFRESH_INTERVAL_MS,
			async () => {
				const started = Date.now();
				const { stations, marks } = await refreshStaleFacts(db, { stopped: () => stopping });
				// Only a backlog is news; the few jobs of ordinary writes are not.
				if (marks > 1000) {
					log(
						`RepairScore: refreshed the KPI facts of ${marks} queued job(s) at ` +
							`${stations} station(s) in ${Math.round((Date.now() - started) / 1000)} s.`
					);
				}
			},
			log
		)
	);
	if (embedded) {
		stops.push(repeat(FIRST_ROUND_DELAY_MS, AUTOVACUUM_NAPTIME_MS, () => vacuumWhereDue(db), log));
	}
	return async () => {
		stopping = true;
		await Promise.all(stops.map((stop) => stop()));
	};
}

/** `task` after `delay`, then every `interval`, never twice at once; failures are logged. */
function repeat(
	delay: number,
	interval: number,
	task: () => Promise<unknown>,
	log: (message: string) => void
): () => Promise<void> {
	let running: Promise<unknown> | null = null;
	const round = () => {
		if (running) return;
		running = task()
			.catch((error: unknown) => log(`RepairScore: maintenance failed, will retry: ${error}`))
			.finally(() => (running = null));
	};
	const first = setTimeout(round, delay);
	const every = setInterval(round, interval);
	// Never the reason the process stays alive.
	first.unref();
	every.unref();
	return async () => {
		clearTimeout(first);
		clearInterval(every);
		await running;
	};
}
