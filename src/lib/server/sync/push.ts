/**
 * `sync.push`: applies a device's outbox exactly once and in order (docs/sync.md).
 *
 * One transaction per batch. It locks the client row, skips ids already processed, stops at a
 * gap, and applies each mutation through the domain services. A mutation the server cannot
 * apply for a reason that would hold on every retry (invalid arguments, permission, a closed
 * or verified job, a constraint, a value the database cannot store, or any unexpected error
 * of its own: a poisoned mutation) is recorded as `rejected` with its reason and still counts
 * as processed, so one bad mutation never blocks the queue. Only a transient error (the
 * connection, a shutdown, a deadlock: isTransientDbError) stops the batch: what came before it
 * is committed, and the request fails so the device retries later.
 *
 * Speed: the batch first runs in rounds of set-based statements, without savepoints
 * (bulk/rounds.ts). Only if some mutation does not take effect is the whole transaction rolled back
 * and the batch run again one mutation at a time, each in a savepoint, where a refused mutation
 * is undone alone and gets its reason. Bookkeeping (sync_mutations, last_mutation_id) is
 * written once per batch.
 */
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database, Transaction } from '../db';
import { isTransientDbError, postgresError, translateDbError } from '../db/errors';
import { queryRows } from '../db/rows';
import { retryingTransaction } from '../db/outage';
import type { SessionUser } from '../auth/session-user';
import { invalidFieldReason, refusalIn } from '../refusal';
import { timeSchema } from '../../shared/schemas';
import {
	mutationArgs,
	type MutationEnvelope,
	type MutationName,
	type MutationResult,
	type pushInputSchema,
	type pushOutputSchema,
	type Rejection
} from '../../shared/sync';
import { applyDeviceMutation, type ParsedMutationArgs } from './apply';
import { lockClient } from './clients';
import { applyInRounds } from './bulk/rounds';

type PushInput = z.output<typeof pushInputSchema>;
type PushOutput = z.output<typeof pushOutputSchema>;

/** A mutation of the batch with its arguments checked (no database needed for that). */
interface PreparedMutation {
	envelope: MutationEnvelope;
	args: ParsedMutationArgs<MutationName> | null;
	invalid: Rejection | null;
}

/** A processed mutation, as sync_mutations records it. */
interface Processed {
	envelope: MutationEnvelope;
	status: 'applied' | 'rejected';
	error: Rejection | null;
	/** job.create of a job this client had already created: it took effect earlier. */
	alreadyApplied: boolean;
}

interface BatchOutcome {
	output: PushOutput;
	/** The transient error the batch stopped at, after committing what came before it. */
	stoppedBy: { mutationId: number; error: unknown } | null;
}

type Mode = 'fast' | 'savepoints';

/** Thrown in fast mode to roll the batch back and run it again with savepoints. */
class RetryWithSavepoints extends Error {}

export async function pushMutations(
	db: Database,
	user: SessionUser,
	input: PushInput
): Promise<PushOutput> {
	const batch = prepareBatch(input.mutations);
	let outcome: BatchOutcome;
	try {
		outcome = await retryingTransaction(db, (tx) =>
			processBatch(tx, user, input.clientId, batch, 'fast')
		);
	} catch (error) {
		if (!(error instanceof RetryWithSavepoints)) throw error;
		outcome = await retryingTransaction(db, (tx) =>
			processBatch(tx, user, input.clientId, batch, 'savepoints')
		);
	}
	if (outcome.stoppedBy) {
		throw new TRPCError({
			code: 'INTERNAL_SERVER_ERROR',
			message:
				`Mutation ${outcome.stoppedBy.mutationId} could not be applied just now; ` +
				`it and the ones after it will be retried (processed up to ${outcome.output.lastMutationId}).`,
			cause: outcome.stoppedBy.error
		});
	}
	return outcome.output;
}

/** In id order, each id once, arguments validated by name. */
function prepareBatch(mutations: MutationEnvelope[]): PreparedMutation[] {
	const byId = new Map<number, MutationEnvelope>();
	for (const envelope of mutations) if (!byId.has(envelope.id)) byId.set(envelope.id, envelope);
	return [...byId.values()]
		.sort((a, b) => a.id - b.id)
		.map((envelope) => {
			// The device's clock is checked here rather than with the envelope: a phone whose clock
			// jumped decades must see its changes refused one by one, not its whole queue blocked.
			const madeAt = timeSchema.safeParse(envelope.madeAt);
			const parsed = madeAt.success
				? mutationArgs[envelope.name].safeParse(envelope.args)
				: {
						success: false as const,
						error: { issues: madeAt.error.issues.map((i) => ({ ...i, path: ['madeAt'] })) }
					};
			if (parsed.success) return { envelope, args: parsed.data, invalid: null };
			const problems = parsed.error.issues.map(
				(issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`
			);
			return {
				envelope,
				args: null,
				invalid: {
					code: 'BAD_REQUEST',
					message: `${envelope.name}: ${problems.join('; ')}`,
					reason: invalidFieldReason(parsed.error.issues)
				}
			};
		});
}

async function processBatch(
	tx: Transaction,
	user: SessionUser,
	clientId: string,
	batch: PreparedMutation[],
	mode: Mode
): Promise<BatchOutcome> {
	const processedBefore = await lockClient(tx, user, clientId);
	const duplicateIds: number[] = [];
	// The mutations to process: those after the last one processed, up to the first gap.
	const run: PreparedMutation[] = [];
	let gap = false;
	for (const mutation of batch) {
		const { id } = mutation.envelope;
		if (id <= processedBefore) {
			duplicateIds.push(id);
		} else if (id === processedBefore + run.length + 1) {
			run.push(mutation);
		} else {
			gap = true;
			break;
		}
	}

	let processed: Processed[] = [];
	let stoppedBy: BatchOutcome['stoppedBy'] = null;
	if (mode === 'fast') {
		const valid = run.flatMap(({ envelope, args }) => (args ? [{ envelope, args }] : []));
		if (!(await applyInRounds(tx, user, clientId, valid))) {
			throw new RetryWithSavepoints('a mutation did not apply; undo it alone');
		}
		processed = run.map(({ envelope, invalid }) => ({
			envelope,
			status: invalid ? 'rejected' : 'applied',
			error: invalid,
			alreadyApplied: false
		}));
	} else {
		for (const mutation of run) {
			const result = await processOne(tx, user, clientId, mutation, processed);
			if ('transient' in result) {
				stoppedBy = { mutationId: mutation.envelope.id, error: result.transient };
				break;
			}
			processed.push(result);
		}
	}
	const last = processedBefore + processed.length;

	await recordProcessed(tx, user, clientId, processed, last);
	const earlier = await earlierResults(tx, user, clientId, duplicateIds);
	const results: MutationResult[] = [
		...earlier,
		...processed.map((p): MutationResult => ({
			id: p.envelope.id,
			status: p.alreadyApplied ? 'duplicate' : p.status,
			error: p.error
		}))
	];
	return { output: { lastMutationId: last, results, gap }, stoppedBy };
}

async function processOne(
	tx: Transaction,
	user: SessionUser,
	clientId: string,
	mutation: PreparedMutation,
	processedInBatch: Processed[]
): Promise<Processed | { transient: unknown }> {
	const { envelope, args, invalid } = mutation;
	if (!args) return { envelope, status: 'rejected', error: invalid, alreadyApplied: false };
	try {
		await tx.transaction((savepoint) =>
			applyDeviceMutation(savepoint, user, clientId, envelope, args)
		);
		return { envelope, status: 'applied', error: null, alreadyApplied: false };
	} catch (error) {
		if (isTransientDbError(error)) return { transient: error };
		const rejection = permanentRejection(error, envelope);
		if (
			envelope.name === 'job.create' &&
			rejection.code === 'CONFLICT' &&
			(await jobCreatedEarlier(tx, user, clientId, (args as { id: string }).id, processedInBatch))
		) {
			return { envelope, status: 'applied', error: null, alreadyApplied: true };
		}
		return { envelope, status: 'rejected', error: rejection, alreadyApplied: false };
	}
}

/**
 * The refusal to record for a mutation that failed with a non-transient `error`: a service's
 * refusal, a database integrity or data error (a re-send would fail the same way), or anything
 * else, which would fail again too: the mutation is poisoned, and is rejected on its own
 * rather than blocking every push after it. The detail stays in the server's log; the device
 * gets a reason without SQL or internals.
 */
function permanentRejection(error: unknown, envelope: MutationEnvelope): Rejection {
	let refusal = error;
	try {
		translateDbError(error);
	} catch (translated) {
		refusal = translated;
	}
	const refused = refusalIn(refusal);
	if (refused) return { code: refused.code, message: refused.message, reason: refused.reason };
	const sqlState = postgresError(error)?.code;
	if (sqlState?.startsWith('22') || sqlState?.startsWith('23')) {
		return {
			code: 'BAD_REQUEST',
			message: `Rejected by the database (SQLSTATE ${sqlState}).`,
			reason: { key: 'database_refused', params: {} }
		};
	}
	console.error(
		`sync.push: mutation ${envelope.id} (${envelope.name}) could not be applied and is rejected:`,
		error
	);
	return {
		code: 'INTERNAL_SERVER_ERROR',
		message: `The server could not apply this change${sqlState ? ` (SQLSTATE ${sqlState})` : ''}.`,
		reason: { key: 'server_error', params: {} }
	};
}

/** Whether this client already created job `jobId` (an earlier mutation id did it). */
async function jobCreatedEarlier(
	tx: Transaction,
	user: SessionUser,
	clientId: string,
	jobId: string,
	processedInBatch: Processed[]
): Promise<boolean> {
	const createdInBatch = processedInBatch.some(
		(p) =>
			p.envelope.name === 'job.create' &&
			p.status === 'applied' &&
			(p.envelope.args as { id?: unknown }).id === jobId
	);
	if (createdInBatch) return true;
	const rows = await queryRows<{ found: boolean }>(
		tx,
		sql`SELECT EXISTS (
			SELECT 1 FROM sync_mutations
			WHERE station_id = ${user.stationId}::uuid AND client_id = ${clientId}::uuid
				AND name = 'job.create' AND status = 'applied' AND args->>'id' = ${jobId}
		) AS found`
	);
	return rows[0]?.found === true;
}

/** One statement for the batch: the audit rows and the client's new last_mutation_id. */
async function recordProcessed(
	tx: Transaction,
	user: SessionUser,
	clientId: string,
	processed: Processed[],
	last: number
): Promise<void> {
	if (processed.length === 0) return;
	const rows = processed.map((p) => ({
		mutation_id: p.envelope.id,
		name: p.envelope.name,
		// Arguments that failed validation are not kept: they may carry unknown keys, or text
		// jsonb cannot hold (a NUL), and one such row would fail the whole batch's bookkeeping.
		args: p.error?.reason?.key === 'invalid_field' ? null : (p.envelope.args ?? null),
		// Within the range timeSchema allows, or the mutation was refused for its madeAt.
		made_at: storableTime(p.envelope.madeAt),
		status: p.status,
		error: p.error && storableJson(p.error)
	}));
	await tx.execute(sql`
		WITH client AS (
			UPDATE sync_clients SET last_mutation_id = ${last}, last_seen_at = now()
			WHERE station_id = ${user.stationId}::uuid AND id = ${clientId}::uuid
		)
		INSERT INTO sync_mutations (station_id, client_id, mutation_id, name, args, made_at, status, error)
		SELECT ${user.stationId}::uuid, ${clientId}::uuid, r.mutation_id, r.name, r.args, r.made_at,
			r.status::sync_mutation_status, r.error
		FROM jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) AS r(
			mutation_id bigint, name text, args jsonb, made_at timestamptz, status text, error jsonb
		)`);
}

/** The device time to record: a time out of timeSchema's range is recorded as the receipt time. */
function storableTime(madeAt: Date): string {
	return (timeSchema.safeParse(madeAt).success ? madeAt : new Date()).toISOString();
}

/**
 * `value` with every NUL and unpaired surrogate in its strings (keys included) replaced by
 * U+FFFD: a refusal's message may quote what the device sent, and jsonb refuses both.
 */
function storableJson<T>(value: T): T {
	const clean = (text: string) => text.toWellFormed().replaceAll('\u0000', '\uFFFD');
	const walk = (item: unknown): unknown => {
		if (typeof item === 'string') return clean(item);
		if (Array.isArray(item)) return item.map(walk);
		if (item && typeof item === 'object') {
			return Object.fromEntries(Object.entries(item).map(([k, v]) => [clean(k), walk(v)]));
		}
		return item;
	};
	return walk(value) as T;
}

/** What re-sent mutations were answered with the first time: a rejection is reported again. */
async function earlierResults(
	tx: Transaction,
	user: SessionUser,
	clientId: string,
	ids: number[]
): Promise<MutationResult[]> {
	if (ids.length === 0) return [];
	const rows = await queryRows<{ mutation_id: number; status: string; error: Rejection | null }>(
		tx,
		sql`SELECT mutation_id::int8::float8 AS mutation_id, status::text AS status, error
			FROM sync_mutations
			WHERE station_id = ${user.stationId}::uuid AND client_id = ${clientId}::uuid
				AND mutation_id BETWEEN ${Math.min(...ids)} AND ${Math.max(...ids)}`
	);
	const recorded = new Map(rows.map((row) => [Number(row.mutation_id), row]));
	return ids.map((id) => {
		const row = recorded.get(id);
		return row?.status === 'rejected'
			? { id, status: 'rejected', error: row.error }
			: { id, status: 'duplicate', error: null };
	});
}
