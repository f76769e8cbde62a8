/**
 * Who is writing, for the `job_history_record` trigger (drizzle/0002_sync_triggers.sql): the
 * trigger records every changed job value with the actor it finds in transaction-local
 * settings. Whoever opens a write transaction sets them; `set_config(..., true)` ends with the
 * transaction (or the savepoint it was set in), so a pooled connection never carries them over.
 */
import { is, sql, type SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Database, Queryable, Transaction } from '.';
import { retryingTransaction } from './outage';

export interface ChangeContext {
	changedBy: string;
	/** The device and mutation a sync push is applying; absent for other writers. */
	clientId?: string;
	mutationId?: number;
	/** The device's clock when the change was made. */
	deviceTime?: Date;
	/** Why the values were changed (corrections, cancellations). */
	reason?: string;
	/**
	 * For one statement changing many jobs (a sync push's fast path): each job's own mutation
	 * and device time, which take the place of `mutationId` and `deviceTime` for that job.
	 */
	perJob?: ReadonlyMap<string, { mutationId: number; deviceTime: Date }>;
}

export async function setChangeContext(db: Queryable, context: ChangeContext): Promise<void> {
	await db.execute(sql`SELECT ${assignments(context)}`);
}

/**
 * A condition that is always true and sets the change context as the statement starts (an
 * uncorrelated subquery runs once, before any row is changed), so that a single UPDATE carries
 * its own history context: no separate statement has to be sent, or ordered, before it.
 */
export function carryingChangeContext(context: ChangeContext): SQL {
	return sql`(SELECT ${assignments(context)}) IS NOT NULL`;
}

function assignments(context: ChangeContext): SQL {
	// One line per job, "<job id> <mutation id> <device time>": the history trigger finds its
	// job's line with position(), which is far cheaper per row than parsing JSON.
	const perJob = [...(context.perJob ?? [])]
		.map(
			([jobId, { mutationId, deviceTime }]) =>
				`${jobId} ${mutationId} ${deviceTime.toISOString()}\n`
		)
		.join('');
	return sql`concat(
		set_config('repairscore.changed_by', ${context.changedBy}, true),
		set_config('repairscore.client_id', ${context.clientId ?? ''}, true),
		set_config('repairscore.mutation_id', ${context.mutationId?.toString() ?? ''}, true),
		set_config('repairscore.device_time', ${context.deviceTime?.toISOString() ?? ''}, true),
		set_config('repairscore.reason', ${context.reason ?? ''}, true),
		set_config('repairscore.per_job', ${perJob}, true))`;
}

/** The reason recorded with the job changes that follow in this transaction. */
export async function setChangeReason(db: Queryable, reason: string): Promise<void> {
	await db.execute(sql`SELECT set_config('repairscore.reason', ${reason}, true)`);
}

/**
 * Runs a service's writes atomically. Given a transaction (the sync push applies many
 * mutations in one), the work joins it and the caller has set the change context; given the
 * database, it opens a transaction of its own with `user` as the actor.
 */
export async function inTransaction<T>(
	db: Queryable,
	user: { id: string },
	work: (tx: Transaction) => Promise<T>
): Promise<T> {
	if (is(db, PgTransaction)) return work(db as Transaction);
	return retryingTransaction(db as Database, async (tx) => {
		await setChangeContext(tx, { changedBy: user.id });
		return work(tx);
	});
}
