/**
 * Tombstones are kept for a while, then pruned. A device whose cursor is not past the newest
 * pruned tombstone may have missed a delete: its next pull is a reset (a full snapshot that
 * replaces its copy), see pull.ts.
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';

/** How long a device can stay offline and still catch up without a reset. */
export const TOMBSTONE_RETENTION_DAYS = 90;

/**
 * Deletes the tombstones written before `olderThan` and moves each station's horizon past
 * them, in one statement. Returns how many were pruned. Run it from a daily job.
 */
export async function pruneSyncTombstones(
	db: Queryable,
	olderThan: Date = new Date(Date.now() - TOMBSTONE_RETENTION_DAYS * 86_400_000)
): Promise<number> {
	const [row] = await queryRows<{ pruned: number }>(
		db,
		sql`
WITH pruned AS (
	DELETE FROM sync_tombstones WHERE deleted_at < ${olderThan.toISOString()}::timestamptz
	RETURNING station_id, version
),
horizon AS (
	INSERT INTO sync_retention (station_id, pruned_through)
	SELECT station_id, max(version) FROM pruned GROUP BY station_id
	ON CONFLICT (station_id) DO UPDATE
	SET pruned_through = greatest(sync_retention.pruned_through, excluded.pruned_through),
		pruned_at = now()
)
SELECT count(*)::int AS pruned FROM pruned`
	);
	return row.pruned;
}
