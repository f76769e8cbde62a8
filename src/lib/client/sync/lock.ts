/**
 * One tab syncs a database at a time; the others see its work through liveQuery. Two tabs
 * pushing at once would be safe (the server applies each mutation once) but wasteful, and their
 * pulls would race for the cursor.
 *
 * Web Locks (`navigator.locks`) are used where present: the browser frees a lock when its tab
 * dies. Where they are absent (old browsers, pages served over plain http), a lease row in the
 * database stands in; a crashed holder's lease simply runs out.
 */
import type { LocalDatabase } from '../local/db';
import { uuidv4 } from '../local/ids';

/** Returned instead of running when another tab holds the lock. */
export const BUSY = Symbol('busy');

export interface SyncLock {
	/** Runs `task` if nobody else holds the lock, without waiting for it. */
	runExclusive<T>(task: () => Promise<T>): Promise<T | typeof BUSY>;
}

function webLock(name: string, locks: LockManager): SyncLock {
	return {
		runExclusive: <T>(task: () => Promise<T>) =>
			locks.request(name, { ifAvailable: true }, (lock) =>
				lock ? task() : Promise.resolve(BUSY)
			) as Promise<T | typeof BUSY>
	};
}

/** A lease longer than any sync run should take; a holder that dies blocks others this long. */
const LEASE_MS = 120_000;

export function leaseLock(db: LocalDatabase, clock: () => number = Date.now): SyncLock {
	const holder = uuidv4();
	const take = () =>
		db.transaction('rw', db.meta, async () => {
			const lease = await db.getMeta('syncLease');
			if (lease && lease.holder !== holder && lease.until > clock()) return false;
			await db.setMeta('syncLease', { holder, until: clock() + LEASE_MS });
			return true;
		});
	const release = () =>
		db.transaction('rw', db.meta, async () => {
			if ((await db.getMeta('syncLease'))?.holder === holder) await db.setMeta('syncLease', null);
		});
	return {
		async runExclusive<T>(task: () => Promise<T>) {
			if (!(await take())) return BUSY;
			try {
				return await task();
			} finally {
				await release();
			}
		}
	};
}

/** The lock for this database in this environment. */
export function syncLockFor(db: LocalDatabase): SyncLock {
	const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
	return locks ? webLock(`repairscore-sync:${db.name}`, locks) : leaseLock(db);
}
