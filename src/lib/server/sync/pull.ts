/**
 * `sync.pull`: what changed for this user since the device's cursor (docs/sync.md).
 *
 * One REPEATABLE READ, read-only transaction, so the rows, the deletes and the client's
 * last_mutation_id all come from one snapshot. The new cursor is that snapshot itself
 * (cursor.ts): the next pull sends exactly the rows of transactions it did not see, those
 * still running then (however late they commit) and those begun since. A transaction left open
 * elsewhere neither holds back other rows nor makes them come twice.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { Database, Queryable } from '../db';
import { queryRows } from '../db/rows';
import { retryingTransaction } from '../db/outage';
import {
	faultCategories,
	followUps,
	jobParts,
	jobs,
	parts,
	syncClients,
	syncRetention,
	type SyncTombstoneTable
} from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import type { pullInputSchema } from '../../shared/sync';
import type { pullOutputSchema } from '../../shared/sync-records';
import { technicianScope, visibleJobCondition } from '../jobs/access';
import { readClient } from './clients';
import { parseCursor, unseenBy, type PullSnapshot } from './cursor';

type PullInput = z.output<typeof pullInputSchema>;
type PullOutput = z.output<typeof pullOutputSchema>;

/**
 * The rows to send: those the snapshot of the device's last pull did not see, or (null: first
 * pull, reset) everything visible.
 */
type Since = PullSnapshot | null;

export function pullChanges(
	db: Database,
	user: SessionUser,
	input: PullInput
): Promise<PullOutput> {
	return pullSnapshot(db, user, input, async (reads) => {
		const [jobRows, jobPartRows, followUpRows, partRows, categoryRows] = await Promise.all([
			reads.jobs,
			reads.jobParts,
			reads.followUps,
			reads.parts,
			reads.faultCategories
		]);
		return {
			jobs: jobRows,
			jobParts: jobPartRows,
			followUps: followUpRows,
			parts: partRows,
			faultCategories: categoryRows
		};
	});
}

/** The statements that read each table's changed rows, as records (not yet sent). */
export type ChangeReads = {
	jobs: ReturnType<typeof readJobs>;
	jobParts: ReturnType<typeof readJobParts>;
	followUps: ReturnType<typeof readFollowUps>;
	parts: ReturnType<typeof readParts>;
	faultCategories: ReturnType<typeof readFaultCategories>;
};

/**
 * A pull whose changes `readChanges` reads from the statements given (pullChanges: as records;
 * pull-columns.ts: as the phone's columns), in the pull's snapshot.
 */
export async function pullSnapshot<Changes>(
	db: Database,
	user: SessionUser,
	input: PullInput,
	readChanges: (reads: ChangeReads, tx: Queryable) => Promise<Changes>
): Promise<Omit<PullOutput, 'changes'> & { changes: Changes }> {
	const { answer, known } = await retryingTransaction(
		db,
		async (tx) => {
			// Sent together; the first takes the snapshot that all of them then read.
			const [[{ cursor }], client, horizon] = await Promise.all([
				queryRows<{ cursor: string }>(tx, sql`SELECT pg_current_snapshot()::text AS cursor`),
				readClient(tx, user, input.clientId),
				tx
					.select({ prunedThrough: syncRetention.prunedThrough })
					.from(syncRetention)
					.where(eq(syncRetention.stationId, user.stationId))
			]);
			const previous = input.cursor === null ? null : parseCursor(input.cursor);
			const reset =
				input.cursor !== null &&
				(!client ||
					previous === null ||
					mustReset(previous, parseCursor(cursor)!, horizon[0]?.prunedThrough));
			const since: Since = reset ? null : previous;
			const reads: ChangeReads = {
				jobs: readJobs(tx, user, since),
				jobParts: readJobParts(tx, user, since),
				followUps: readFollowUps(tx, user, since),
				parts: readParts(tx, user, since),
				faultCategories: readFaultCategories(tx, user, since)
			};
			const [changes, deletes] = await Promise.all([
				readChanges(reads, tx),
				since === null ? noDeletes() : readDeletes(tx, user, since)
			]);
			const answer = {
				cursor,
				lastMutationId: client?.lastMutationId ?? 0,
				reset,
				changes,
				deletes
			};
			return { answer, known: client !== null };
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
	if (!known) await registerClient(db, user, input.clientId);
	return answer;
}

/**
 * A device unknown here until now: recorded on its first pull (outside the read-only
 * snapshot), so that a later pull can tell it from a device that synced with another
 * database. Another user may have registered the same id in the meantime: FORBIDDEN.
 */
async function registerClient(db: Database, user: SessionUser, clientId: string) {
	await db
		.insert(syncClients)
		.values({ stationId: user.stationId, id: clientId, userId: user.id })
		.onConflictDoNothing();
	await readClient(db, user, clientId);
}

/**
 * Besides a client unknown here or a cursor this server could not have written, a cursor means
 * a reset when it is ahead of this database (like the unknown client: the device synced with
 * another database), or when tombstones it may not have seen were pruned (some transaction up
 * to the retention horizon was not visible in its snapshot).
 */
function mustReset(
	from: PullSnapshot,
	now: PullSnapshot,
	prunedThrough: string | undefined
): boolean {
	if (from.xmax > now.xmax) return true;
	return prunedThrough !== undefined && from.xmin <= BigInt(prunedThrough);
}

function changedSince(version: PgColumn, since: Since): SQL | undefined {
	return since === null ? undefined : unseenBy(version, since);
}

/** The jobs a user's devices hold: those the user sees (a technician's own, or the station's). */
function jobInScope(user: SessionUser): SQL | undefined {
	return and(eq(jobs.stationId, user.stationId), visibleJobCondition(user));
}

/**
 * The columns of jobRecordSchema (shared/sync.ts). The job a revisit follows is often a
 * colleague's, outside a technician's audience, so a technician's devices are never told it
 * (they only ever set it, when creating the revisit); telling them only their own earlier jobs
 * would go stale on the device whenever that earlier job is reassigned.
 */
const jobRecord = (user: SessionUser) => ({
	id: jobs.id,
	jobNo: jobs.jobNo,
	technicianId: jobs.technicianId,
	customerName: jobs.customerName,
	customerPhone: jobs.customerPhone,
	customerAddress: jobs.customerAddress,
	productModel: jobs.productModel,
	deviceSerial: jobs.deviceSerial,
	faultCategoryId: jobs.faultCategoryId,
	faultDescription: jobs.faultDescription,
	reportedAt: jobs.reportedAt,
	arrivedAt: jobs.arrivedAt,
	startedAt: jobs.startedAt,
	completedAt: jobs.completedAt,
	status: jobs.status,
	outcome: jobs.outcome,
	previousJobId:
		technicianScope(user) === null
			? jobs.previousJobId
			: sql<string | null>`NULL::uuid`.as('previous_job_id'),
	notes: jobs.notes,
	verifiedAt: jobs.verifiedAt,
	updatedAt: jobs.updatedAt,
	origin: jobs.origin,
	urgency: jobs.urgency,
	assignedAt: jobs.assignedAt,
	dispatched:
		sql<boolean>`(${jobs.status} = 'open' AND (${jobs.origin} = 'desk' OR ${jobs.reportedBy} <> ${jobs.technicianId})) IS TRUE`.as(
			'dispatched'
		)
});

function readJobs(db: Queryable, user: SessionUser, since: Since) {
	return db
		.select(jobRecord(user))
		.from(jobs)
		.where(and(jobInScope(user), changedSince(jobs.version, since)));
}

/**
 * A job's lines and follow-ups come with it: those changed since the cursor, and every one of
 * a job that changed since the cursor. A job newly assigned to this technician thus arrives
 * with all its children, including one a concurrent writer committed while the reassignment
 * was running, which no trigger of the reassignment could have seen.
 */
function readJobParts(db: Queryable, user: SessionUser, since: Since) {
	const select = (changed: SQL | undefined) =>
		db
			.select({
				id: jobParts.id,
				jobId: jobParts.jobId,
				partId: jobParts.partId,
				qty: jobParts.qty,
				unitCost: jobParts.unitCost,
				createdAt: jobParts.createdAt
			})
			.from(jobParts)
			.innerJoin(jobs, and(eq(jobs.stationId, jobParts.stationId), eq(jobs.id, jobParts.jobId)))
			.where(and(eq(jobParts.stationId, user.stationId), jobInScope(user), changed));
	if (since === null) return select(undefined);
	return select(changedSince(jobParts.version, since)).union(
		select(changedSince(jobs.version, since))
	);
}

function readFollowUps(db: Queryable, user: SessionUser, since: Since) {
	const select = (changed: SQL | undefined) =>
		db
			.select({
				id: followUps.id,
				jobId: followUps.jobId,
				userId: followUps.userId,
				visitedAt: followUps.visitedAt,
				channel: followUps.channel,
				satisfaction: followUps.satisfaction,
				issueResolved: followUps.issueResolved,
				comment: followUps.comment
			})
			.from(followUps)
			.innerJoin(jobs, and(eq(jobs.stationId, followUps.stationId), eq(jobs.id, followUps.jobId)))
			.where(and(eq(followUps.stationId, user.stationId), jobInScope(user), changed));
	if (since === null) return select(undefined);
	return select(changedSince(followUps.version, since)).union(
		select(changedSince(jobs.version, since))
	);
}

/** The catalog goes to everyone in the station, inactive entries included (old lines use them). */
function readParts(db: Queryable, user: SessionUser, since: Since) {
	return db
		.select({
			id: parts.id,
			sku: parts.sku,
			name: parts.name,
			unitCost: parts.unitCost,
			unit: parts.unit,
			active: parts.active
		})
		.from(parts)
		.where(and(eq(parts.stationId, user.stationId), changedSince(parts.version, since)));
}

function readFaultCategories(db: Queryable, user: SessionUser, since: Since) {
	return db
		.select({
			id: faultCategories.id,
			code: faultCategories.code,
			name: faultCategories.name,
			standardMinutes: faultCategories.standardMinutes,
			active: faultCategories.active
		})
		.from(faultCategories)
		.where(
			and(
				eq(faultCategories.stationId, user.stationId),
				changedSince(faultCategories.version, since)
			)
		);
}

function noDeletes(): Promise<PullOutput['deletes']> {
	return Promise.resolve({ jobs: [], jobParts: [], followUps: [], parts: [], faultCategories: [] });
}

/** A child's tombstone (t) whose job this user sees now, so their devices held the child. */
function heldJob(user: SessionUser): SQL {
	return sql`EXISTS (
		SELECT 1 FROM ${jobs}
		WHERE ${jobs.stationId} = t.station_id AND ${jobs.id} = t.job_id AND ${visibleToUser(user)})`;
}

/** visibleJobCondition as SQL that is never empty. */
function visibleToUser(user: SessionUser): SQL {
	return visibleJobCondition(user) ?? sql`true`;
}

const DELETE_KEYS = {
	jobs: 'jobs',
	job_parts: 'jobParts',
	follow_ups: 'followUps',
	parts: 'parts',
	fault_categories: 'faultCategories'
} as const satisfies Record<SyncTombstoneTable, keyof PullOutput['deletes']>;

/**
 * Tombstones since the cursor meant for this user's devices, except rows this user holds again
 * now: a job reassigned back, a line deleted and re-inserted. Those come as changes instead,
 * since their versions moved. A technician is sent only what was on their devices: the jobs
 * that left them, and the lines and follow-ups of jobs that are still theirs (a job that left
 * took its children with it); the catalog is the whole station's.
 */
async function readDeletes(
	db: Queryable,
	user: SessionUser,
	since: PullSnapshot
): Promise<PullOutput['deletes']> {
	const technicianId = technicianScope(user);
	const audience =
		technicianId === null
			? sql``
			: sql`AND CASE t.table_name
			WHEN 'jobs' THEN t.audience_user_id = ${technicianId}::uuid
			WHEN 'job_parts' THEN ${heldJob(user)}
			WHEN 'follow_ups' THEN ${heldJob(user)}
			ELSE true
		END`;
	const visible = visibleToUser(user);
	const rows = await queryRows<{ table_name: SyncTombstoneTable; row_id: string }>(
		db,
		sql`
SELECT DISTINCT t.table_name, t.row_id::text AS row_id
FROM sync_tombstones t
WHERE t.station_id = ${user.stationId}::uuid
	AND ${unseenBy(sql`t.version`, since)}
	${audience}
	AND NOT CASE t.table_name
		WHEN 'jobs' THEN EXISTS (
			SELECT 1 FROM ${jobs}
			WHERE ${jobs.stationId} = t.station_id AND ${jobs.id} = t.row_id AND ${visible})
		WHEN 'job_parts' THEN EXISTS (
			SELECT 1 FROM job_parts c
			JOIN ${jobs} ON ${jobs.stationId} = c.station_id AND ${jobs.id} = c.job_id
			WHERE c.station_id = t.station_id AND c.id = t.row_id AND ${visible})
		WHEN 'follow_ups' THEN EXISTS (
			SELECT 1 FROM follow_ups c
			JOIN ${jobs} ON ${jobs.stationId} = c.station_id AND ${jobs.id} = c.job_id
			WHERE c.station_id = t.station_id AND c.id = t.row_id AND ${visible})
		WHEN 'parts' THEN EXISTS (
			SELECT 1 FROM parts p WHERE p.station_id = t.station_id AND p.id = t.row_id)
		ELSE EXISTS (
			SELECT 1 FROM fault_categories fc WHERE fc.station_id = t.station_id AND fc.id = t.row_id)
	END`
	);
	const deletes: PullOutput['deletes'] = {
		jobs: [],
		jobParts: [],
		followUps: [],
		parts: [],
		faultCategories: []
	};
	for (const row of rows) deletes[DELETE_KEYS[row.table_name]].push(row.row_id);
	return deletes;
}
