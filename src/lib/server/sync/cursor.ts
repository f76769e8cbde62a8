/**
 * The pull cursor (docs/sync.md, "Versions and the cursor"): the snapshot of the pull that sent
 * the device its rows, as PostgreSQL writes a pg_snapshot, `xmin:xmax:xip,xip,…`. A row was
 * sent exactly when its version (the writing transaction's id) is visible in that snapshot:
 * below xmin, or below xmax and not among the transactions then in progress (xip). So the next
 * pull sends the rows whose version is NOT visible in it: `version >= xmax OR version IN xip`.
 *
 * A transaction left open somewhere (another station's import, a session idle in transaction)
 * stays in xip, and its rows come once it commits; rows committed around it are visible in the
 * next cursor and never sent again. The cursor of the earlier design, the snapshot's xmin alone,
 * was held back by any such transaction and made every pull resend everything since it began.
 *
 * A cursor of that earlier form (digits only, still held by phones that synced before) means
 * "everything below it was sent": the snapshot `N:N:`.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

export interface PullSnapshot {
	xmin: bigint;
	xmax: bigint;
	/** Ascending, each in [xmin, xmax). */
	inProgress: bigint[];
}

/**
 * The snapshot a cursor names, or null when it is not one this server could have written
 * (bounds out of order): the device then gets a reset, as for a cursor of another database.
 * Its characters and length are checked by the input schema (shared/sync.ts).
 */
export function parseCursor(cursor: string): PullSnapshot | null {
	const [xminText, xmaxText = xminText, xipText = ''] = cursor.split(':');
	const xmin = BigInt(xminText);
	const xmax = BigInt(xmaxText);
	const inProgress = xipText === '' ? [] : xipText.split(',').map(BigInt);
	if (xmin > xmax) return null;
	let previous = xmin - 1n;
	for (const xid of inProgress) {
		if (xid <= previous || xid >= xmax) return null;
		previous = xid;
	}
	return { xmin, xmax, inProgress };
}

/** Rows written by a transaction whose changes the cursor's snapshot did not see. */
export function unseenBy(version: PgColumn | SQL, snapshot: PullSnapshot): SQL {
	const later = sql`${version} >= ${snapshot.xmax.toString()}::xid8`;
	if (snapshot.inProgress.length === 0) return later;
	const open = `{${snapshot.inProgress.join(',')}}`;
	return sql`(${later} OR ${version} = ANY(${open}::xid8[]))`;
}
