/**
 * Where the read-only routes read (docs/scaling.md): a hot-standby replica when
 * READ_DATABASE_URL names one (server-db.ts), else the primary. One function decides it,
 * `onReadReplica`, so a route moves to the replica by calling its read through it.
 *
 * A read that would write on the way is still correct there: today a KPI read first refreshes
 * the station's stale KPI facts (kpi/job-facts.ts), which a standby refuses with SQLSTATE 25006;
 * that read is then answered by the primary, as it was before there was a replica; so is every
 * read while the replica is down.
 */
import { sql } from 'drizzle-orm';
import type { Database } from './index';
import { isRetryableDatabaseError } from './outage';
import { queryRows } from './rows';

/** The two databases a request may read: `readDb` is the replica's, or the primary's again. */
export interface ReadDatabases {
	db: Database;
	readDb?: Database;
}

/**
 * The replica's answer, or the primary's when the replica cannot give one: it refused a write
 * (SQLSTATE 25006), cannot be reached, or cancelled the read for a conflict with the WAL it
 * replays (40001). A replica is an optimisation, never a new way to fail.
 */
export async function onReadReplica<T>(
	{ db, readDb }: ReadDatabases,
	read: (db: Database) => Promise<T>
): Promise<T> {
	if (!readDb || readDb === db) return read(db);
	try {
		return await read(readDb);
	} catch (error) {
		// Also true of 25006, read_only_sql_transaction, and of 40001 (outage.ts).
		if (!isRetryableDatabaseError(error)) throw error;
		return read(db);
	}
}

/**
 * How far the replica's data is behind the primary, in whole seconds: the age of the last
 * transaction it replayed, 0 when it has replayed everything it received, null on the primary
 * itself (no replica, nothing to say).
 */
export async function replicaLagSeconds(readDb: Database): Promise<number | null> {
	const [row] = await queryRows<{ standby: boolean; lag: number | null }>(
		readDb,
		sql`SELECT pg_is_in_recovery() AS standby,
			CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
				ELSE floor(extract(epoch FROM now() - pg_last_xact_replay_timestamp()))::int
			END AS lag`
	);
	if (!row.standby) return null;
	return row.lag ?? 0;
}
