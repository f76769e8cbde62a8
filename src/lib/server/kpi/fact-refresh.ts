/**
 * Keeping the KPI facts fresh, away from every read (docs/kpi.md, "Who refreshes the facts").
 *
 * Writes mark the jobs whose facts they may change in the queue job_kpi_stale (triggers,
 * drizzle/sql/kpi-staleness.sql). Two things empty it, a batch of jobs per transaction:
 * - the write's own request, once its transaction has committed (`refreshAfterWrite`, from the
 *   tRPC layer), for the few jobs an ordinary write marks, so the next read sees them;
 * - the background worker of every server instance (`refreshStaleFacts`, from maintenance.ts),
 *   for whatever is left: a whole station after a migration or a settings change, an import.
 * A read never refreshes: scorecards, trends, drill-downs, boards and exports only read, so they
 * can run in a read-only transaction or on a replica, and say how far behind they are
 * (`factsFreshness`).
 *
 * A batch holds its station's row FOR NO KEY UPDATE for its one transaction: the daily rollup of
 * a (technician, day) must be rewritten by one transaction at a time, or each would miss the
 * other's facts. The background worker asks with SKIP LOCKED and moves on to another station, so
 * any number of instances run it without coordination; the lock is a row lock, released at
 * commit, so nothing outlives a transaction and PgBouncer's transaction pooling keeps working.
 * FOR NO KEY UPDATE, not FOR UPDATE: foreign keys to the station (KEY SHARE) are not blocked, so
 * writes of jobs go on during a batch.
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { factsFreshnessSchema, type FactsFreshness } from '../../shared/kpi';
import { refreshTakenJobs } from './job-facts';

/** Jobs of a station's first batch, and of each batch a write's own request refreshes. */
export const REFRESH_BATCH_JOBS = 500;
/** What a write's request refreshes before answering; a larger backlog is the worker's. */
const AFTER_WRITE_MAX_JOBS = 2 * REFRESH_BATCH_JOBS;

/**
 * How the worker sizes a station's batches while it drains a backlog. Each batch has a cost that
 * does not depend on its size (a transaction, planning the refresh's statements, taking from the
 * queue), which a whole station's refresh (100k jobs) in batches of 500 paid 200 times. A full
 * batch that took less than the budget doubles the next one (up to `maxJobs`); one that took
 * more than twice the budget halves it (down to `jobs`). The budget bounds how long a batch
 * holds its station's row: a write's own refresh, a settings edit or an import that locks the
 * station waits for one batch, a few seconds at most.
 */
export interface BatchSizing {
	/** The first batch's jobs, and the least a batch shrinks to. */
	jobs?: number;
	/** The most jobs a batch grows to. */
	maxJobs?: number;
	/** How long a batch may take and still double the next one. */
	budgetMs?: number;
}

const DEFAULT_SIZING: Required<BatchSizing> = {
	jobs: REFRESH_BATCH_JOBS,
	maxJobs: 32 * REFRESH_BATCH_JOBS,
	budgetMs: 2_000
};

/** The size of a station's next batch, from how long its last one took (`BatchSizing`). */
function nextBatchJobs(
	current: number,
	taken: number,
	elapsedMs: number,
	sizing: Required<BatchSizing>
): number {
	if (elapsedMs > 2 * sizing.budgetMs) return Math.max(sizing.jobs, Math.floor(current / 2));
	if (taken >= current && elapsedMs < sizing.budgetMs) {
		return Math.min(sizing.maxJobs, current * 2);
	}
	return current;
}

/**
 * One batch of the station's queue, oldest marks first (the "as of" of `factsFreshness` moves
 * forward batch by batch): takes up to `jobs` jobs (every queue row of each) and refreshes them.
 * Null when another transaction holds the station and `wait` is false; otherwise the queue rows
 * taken (0 when the queue was empty).
 */
export async function refreshStationBatch(
	db: Queryable,
	stationIdValue: string,
	{ jobs = REFRESH_BATCH_JOBS, wait = false }: { jobs?: number; wait?: boolean } = {}
): Promise<number | null> {
	const stationId = sql`${stationIdValue}::uuid`;
	// A transaction and the refresh's planning cost milliseconds even with nothing to do; this
	// look does not. A job marked after it was written after this batch began.
	const [pending] = await queryRows<{ stale: boolean }>(
		db,
		sql`SELECT EXISTS (SELECT 1 FROM job_kpi_stale WHERE station_id = ${stationId}) AS stale`
	);
	if (!pending.stale) return 0;
	return db.transaction(async (tx) => {
		const locked = await queryRows<{ id: string }>(
			tx,
			sql`SELECT id::text AS id FROM stations WHERE id = ${stationId}
				FOR NO KEY UPDATE ${wait ? sql`` : sql`SKIP LOCKED`}`
		);
		if (locked.length === 0) return null;
		return refreshTakenJobs(
			tx,
			stationIdValue,
			sql`DELETE FROM job_kpi_stale
				WHERE station_id = ${stationId}
					AND job_id IN (
						SELECT k.job_id FROM job_kpi_stale k
						WHERE k.station_id = ${stationId}
						ORDER BY k.marked_at
						LIMIT ${jobs}
					)
				RETURNING job_id`
		);
	});
}

/**
 * For a write that decides on one job's facts (an appeal, a flag's acceptance), inside its
 * transaction: refreshes that job if it is queued, waiting for a batch running at its station.
 */
export async function refreshJob(
	db: Queryable,
	stationIdValue: string,
	jobId: string
): Promise<void> {
	const stationId = sql`${stationIdValue}::uuid`;
	const [pending] = await queryRows<{ stale: boolean }>(
		db,
		sql`SELECT EXISTS (
			SELECT 1 FROM job_kpi_stale WHERE station_id = ${stationId} AND job_id = ${jobId}::uuid
		) AS stale`
	);
	if (!pending.stale) return;
	await db.transaction(async (tx) => {
		await tx.execute(sql`SELECT 1 FROM stations WHERE id = ${stationId} FOR NO KEY UPDATE`);
		await refreshTakenJobs(
			tx,
			stationIdValue,
			sql`DELETE FROM job_kpi_stale
				WHERE station_id = ${stationId} AND job_id = ${jobId}::uuid
				RETURNING job_id`
		);
	});
}

/**
 * For a write that stores the station's numbers (closing a month): the whole queue, batch by
 * batch, each waiting for a batch another instance runs, sized as the worker's (`BatchSizing`).
 * The caller then finishes what was marked meanwhile with `refreshStationHeld`, under the station
 * lock it takes anyway.
 */
export async function refreshStation(
	db: Queryable,
	stationId: string,
	sizingOptions: BatchSizing = {}
): Promise<void> {
	const sizing = { ...DEFAULT_SIZING, ...sizingOptions };
	for (let jobs = sizing.jobs; ;) {
		const started = performance.now();
		const taken = await refreshStationBatch(db, stationId, { jobs, wait: true });
		if (!taken) return;
		jobs = nextBatchJobs(jobs, taken, performance.now() - started, sizing);
	}
}

/** The whole queue of a station whose row the caller's transaction has locked. */
export async function refreshStationHeld(tx: Queryable, stationIdValue: string): Promise<void> {
	const stationId = sql`${stationIdValue}::uuid`;
	await refreshTakenJobs(
		tx,
		stationIdValue,
		sql`DELETE FROM job_kpi_stale WHERE station_id = ${stationId} RETURNING job_id`
	);
}

/** The stations with jobs in the queue: one probe of the queue's index per station. */
async function stationsWithStaleFacts(db: Queryable): Promise<string[]> {
	const rows = await queryRows<{ id: string }>(
		db,
		sql`SELECT s.id::text AS id FROM stations s
			WHERE EXISTS (SELECT 1 FROM job_kpi_stale k WHERE k.station_id = s.id)
			ORDER BY s.id`
	);
	return rows.map((row) => row.id);
}

export interface RefreshReport {
	/** Stations of which at least one batch was refreshed. */
	stations: number;
	/** Queue rows taken (a job marked twice counts twice). */
	marks: number;
}

/**
 * The background worker's round: a batch of each station in turn (a small station is not
 * kept waiting behind a large one's first refresh) until every queue is empty or held by
 * another instance, each station's batches growing while its backlog lasts (`BatchSizing`).
 * `stopped` is asked between batches, so a shutdown waits for one batch only.
 */
export async function refreshStaleFacts(
	db: Queryable,
	{ stopped = () => false, ...sizingOptions }: BatchSizing & { stopped?: () => boolean } = {}
): Promise<RefreshReport> {
	const sizing = { ...DEFAULT_SIZING, ...sizingOptions };
	const batchJobs = new Map<string, number>();
	let marks = 0;
	for (;;) {
		let progressed = false;
		for (const stationId of await stationsWithStaleFacts(db)) {
			if (stopped()) return { stations: batchJobs.size, marks };
			const jobs = batchJobs.get(stationId) ?? sizing.jobs;
			const started = performance.now();
			const taken = await refreshStationBatch(db, stationId, { jobs });
			if (taken) {
				batchJobs.set(stationId, nextBatchJobs(jobs, taken, performance.now() - started, sizing));
				marks += taken;
				progressed = true;
			}
		}
		if (!progressed) return { stations: batchJobs.size, marks };
	}
}

/**
 * After a write has committed, in its own request: refreshes what it marked at the writer's
 * station, waiting for a batch another instance is running there rather than skipping it, so
 * the writer's next read shows the write. Bounded: a backlog (an import, a settings change) is
 * left to the worker. A failure is the worker's to retry, never the write's: it was saved.
 */
export async function refreshAfterWrite(
	db: Queryable,
	stationId: string,
	log: (message: string) => void = console.error
): Promise<void> {
	try {
		for (let refreshed = 0; refreshed < AFTER_WRITE_MAX_JOBS; refreshed += REFRESH_BATCH_JOBS) {
			const taken = await refreshStationBatch(db, stationId, { wait: true });
			if (!taken) return;
		}
	} catch (error) {
		log(`RepairScore: KPI facts not refreshed after a write, the worker will: ${error}`);
	}
}

/**
 * How far the station's facts are behind its writes, read without writing: the oldest mark
 * still queued ("as of") and how many jobs wait. Counting costs only while a refresh runs.
 */
export async function factsFreshness(db: Queryable, stationId: string): Promise<FactsFreshness> {
	const [row] = await queryRows<{
		asOf: string | null;
		waitingJobs: number;
		completedJobs: number;
	}>(
		db,
		sql`
WITH queue AS (
	SELECT
		to_char(min(k.marked_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS as_of,
		count(DISTINCT k.job_id)::int AS waiting
	FROM job_kpi_stale k
	WHERE k.station_id = ${stationId}::uuid
)
SELECT
	q.as_of AS "asOf",
	q.waiting AS "waitingJobs",
	CASE WHEN q.waiting > 0 THEN (
		SELECT count(*)::int FROM jobs j
		WHERE j.station_id = ${stationId}::uuid AND j.status = 'completed'
	) ELSE 0 END AS "completedJobs"
FROM queue q`
	);
	return factsFreshnessSchema.parse(row);
}
