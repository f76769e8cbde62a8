/**
 * The fast path of `sync.push`: a batch applied in a few set-based statements rather than one
 * or two per mutation.
 *
 * Mutations of different jobs do not depend on each other, so only each job's own mutations
 * need to stay in order. The batch is laid out in rounds: a job's n-th mutation goes in a
 * round after its (n-1)-th, so no job appears twice in a round, and within a round all
 * mutations of one kind (and shape) share one statement: a day's work on forty jobs (create,
 * arrive, start, add a part, complete) is five statements instead of two hundred. Kinds
 * without a bulk applier (corrections, cancellations, assignment, verification, removing a
 * part line) are barriers: each is applied alone, after everything before it and before
 * everything after it.
 *
 * The statements only say whether every mutation took effect; when one did not, the push rolls
 * the batch back and applies it one by one with savepoints, where each refusal gets its reason
 * (push.ts). So this path decides nothing the single appliers would decide differently.
 */
import type { Transaction } from '../db';
import type { SessionUser } from '../auth/session-user';
import type { MutationEnvelope, MutationName } from '../../shared/sync';
import {
	applyDeviceMutation,
	bulkAppliers,
	type BulkApplier,
	type ParsedMutationArgs
} from './apply';

export interface ValidMutation {
	envelope: MutationEnvelope;
	args: ParsedMutationArgs<MutationName>;
}

/** One statement of the plan: mutations of one kind and shape, each on a different job. */
export interface PlannedStatement {
	round: number;
	name: MutationName;
	/** False for a barrier: one mutation applied through its single applier. */
	together: boolean;
	mutations: ValidMutation[];
}

/** The job a mutation with a bulk applier concerns. */
function jobOf({ envelope, args }: ValidMutation): string {
	return envelope.name === 'job.create'
		? (args as ParsedMutationArgs<'job.create'>).id
		: (args as { jobId: string }).jobId;
}

/** The batch as statements in the order they run (rounds ascending). */
export function planRounds(mutations: readonly ValidMutation[]): PlannedStatement[] {
	const statements = new Map<string, PlannedStatement>();
	const lastRoundOfJob = new Map<string, number>();
	let barrier = 0;
	let highest = 0;
	for (const mutation of mutations) {
		const { name, id } = mutation.envelope;
		const bulk = bulkAppliers[name] as BulkApplier<MutationName> | undefined;
		if (!bulk) {
			highest += 1;
			barrier = highest;
			statements.set(`alone ${id}`, {
				round: highest,
				name,
				together: false,
				mutations: [mutation]
			});
			continue;
		}
		const job = jobOf(mutation);
		const round = Math.max(barrier, lastRoundOfJob.get(job) ?? 0) + 1;
		lastRoundOfJob.set(job, round);
		highest = Math.max(highest, round);
		const key = `${round} ${name} ${bulk.shape(mutation.args)}`;
		const statement = statements.get(key);
		if (statement) statement.mutations.push(mutation);
		else statements.set(key, { round, name, together: true, mutations: [mutation] });
	}
	// A stable sort: within a round, statements keep the order their kinds first appeared in.
	return [...statements.values()].sort((a, b) => a.round - b.round);
}

/**
 * Applies the mutations in rounds; false when a statement does not take effect in full (or
 * fails, which aborts the transaction): the caller then rolls back.
 *
 * Bulk statements are one query each, so they are all issued at once: a transaction runs its
 * queries in the order they were issued, and the server works through one while the next is
 * being built and sent. A barrier's single applier may read before it writes, so it waits for
 * everything before it, and everything after it waits for it.
 */
export async function applyInRounds(
	tx: Transaction,
	user: SessionUser,
	clientId: string,
	mutations: readonly ValidMutation[]
): Promise<boolean> {
	let issued: Promise<boolean>[] = [];
	for (const statement of planRounds(mutations)) {
		if (statement.together) {
			issued.push(applyTogether(tx, user, clientId, statement).catch(() => false));
			continue;
		}
		if (!(await allTrue(issued))) return false;
		issued = [];
		const applied = await applyAlone(tx, user, clientId, statement.mutations[0]).catch(() => false);
		if (!applied) return false;
	}
	return allTrue(issued);
}

async function allTrue(results: Promise<boolean>[]): Promise<boolean> {
	return (await Promise.all(results)).every(Boolean);
}

/** Async, so that a refusal thrown while building the statement arrives as a rejection. */
async function applyTogether(
	tx: Transaction,
	user: SessionUser,
	clientId: string,
	{ name, mutations }: PlannedStatement
): Promise<boolean> {
	const bulk = bulkAppliers[name] as BulkApplier<MutationName>;
	const perJob = new Map(
		mutations.map((mutation) => [
			jobOf(mutation),
			{ mutationId: mutation.envelope.id, deviceTime: mutation.envelope.madeAt }
		])
	);
	return bulk.apply(
		tx,
		user,
		mutations.map((mutation) => mutation.args),
		{ changedBy: user.id, clientId, perJob }
	);
}

async function applyAlone(
	tx: Transaction,
	user: SessionUser,
	clientId: string,
	{ envelope, args }: ValidMutation
): Promise<boolean> {
	await applyDeviceMutation(tx, user, clientId, envelope, args);
	return true;
}
