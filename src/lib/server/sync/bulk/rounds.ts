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
 * everything after it; so is a completion with the customer's signature (appliedAlone).
 *
 * A job created in the batch goes further: the steps that change its row (update, arrive,
 * start, complete) are folded into its creation, so a job recorded offline from start to
 * finish is one inserted row, not a row and three updates (see foldIntoCreations for when).
 *
 * The statements only say whether every mutation took effect; when one did not, the push rolls
 * the batch back and applies it one by one with savepoints, where each refusal gets its reason
 * (push.ts). So this path decides nothing the single appliers would decide differently.
 */
import type { Transaction } from '../../db';
import type { SessionUser } from '../../auth/session-user';
import { correctsJob } from '../../jobs/service';
import { signatureMayBeMissing } from '../../jobs/signatures';
import type { MutationEnvelope, MutationName } from '../../../shared/sync';
import { applyDeviceMutation, type ParsedMutationArgs } from '../apply';
import { bulkAppliers, foldedStep, isRowStep, type BulkApplier } from './appliers';
import type { NewJobWithSteps } from './jobs';

export interface ValidMutation {
	envelope: MutationEnvelope;
	args: ParsedMutationArgs<MutationName>;
	/** For a job.create: the job's row steps applied as it is created. */
	folded?: ValidMutation[];
}

/** One statement of the plan: mutations of one kind and shape, each on a different job. */
interface PlannedStatement {
	round: number;
	name: MutationName;
	/** False for a barrier: one mutation applied through its single applier. */
	together: boolean;
	mutations: ValidMutation[];
}

/** The job a mutation names, if any (part.remove names a line). */
function namedJob({ envelope, args }: ValidMutation): string | undefined {
	if (envelope.name === 'job.create') return (args as ParsedMutationArgs<'job.create'>).id;
	return 'jobId' in args ? (args.jobId as string) : undefined;
}

/**
 * The batch with each new job's row steps folded into its job.create, as long as nothing in
 * between could see the difference: a job's row steps fold until a mutation of another kind
 * names the job (a follow-up needs it completed, a cancellation or correction reads it). Part
 * lines do not end the fold: adding one depends only on who may change the job, which no row
 * step changes. Nor do other jobs' mutations, which never read this job's row. An update that
 * sets a fault category is not folded (the category could be invalid, and the single applier
 * would refuse that step alone), and it ends the fold; so does a correction after a folded
 * completion (a technician may not correct a completed job, which only the row shows).
 */
function foldIntoCreations(
	mutations: readonly ValidMutation[],
	user: SessionUser
): ValidMutation[] {
	const folding = new Map<string, ValidMutation & { folded: ValidMutation[] }>();
	const result: ValidMutation[] = [];
	for (const mutation of mutations) {
		const { name } = mutation.envelope;
		const job = namedJob(mutation);
		if (name === 'job.create' && job) {
			const creation = { ...mutation, folded: [] };
			folding.set(job, creation);
			result.push(creation);
			continue;
		}
		const creation = job === undefined ? undefined : folding.get(job);
		if (
			creation &&
			isRowStep(name) &&
			!appliedAlone(mutation, user) &&
			!setsFaultCategory(mutation) &&
			!correctsCompleted(creation.folded, mutation)
		) {
			creation.folded.push(mutation);
			continue;
		}
		if (job !== undefined && name !== 'part.add') folding.delete(job);
		result.push(mutation);
	}
	return result;
}

/**
 * A completion that carries the customer's signature, or may lack one its station requires,
 * goes through the service, which keeps or checks the signature (jobs/signatures.ts).
 */
function appliedAlone({ envelope, args }: ValidMutation, user: SessionUser): boolean {
	if (envelope.name !== 'job.complete') return false;
	const signed = (args as ParsedMutationArgs<'job.complete'>).signature !== undefined;
	return signed || signatureMayBeMissing(user, signed);
}

function correctsCompleted(folded: readonly ValidMutation[], { envelope, args }: ValidMutation) {
	if (envelope.name !== 'job.update') return false;
	const { fields } = args as ParsedMutationArgs<'job.update'>;
	return correctsJob(fields) && folded.some((step) => step.envelope.name === 'job.complete');
}

function setsFaultCategory({ envelope, args }: ValidMutation): boolean {
	if (envelope.name !== 'job.update') return false;
	const { fields } = args as ParsedMutationArgs<'job.update'>;
	return fields.faultCategoryId !== undefined && fields.faultCategoryId !== null;
}

/** The batch as statements in the order they run (rounds ascending). */
export function planRounds(batch: readonly ValidMutation[], user: SessionUser): PlannedStatement[] {
	const mutations = foldIntoCreations(batch, user);
	const statements = new Map<string, PlannedStatement>();
	const lastRoundOfJob = new Map<string, number>();
	let barrier = 0;
	let highest = 0;
	for (const mutation of mutations) {
		const { name, id } = mutation.envelope;
		const bulk = appliedAlone(mutation, user)
			? undefined
			: (bulkAppliers[name] as BulkApplier<MutationName> | undefined);
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
		// Every kind with a bulk applier names its job.
		const job = namedJob(mutation)!;
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
	for (const statement of planRounds(mutations, user)) {
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
			namedJob(mutation)!,
			{ mutationId: mutation.envelope.id, deviceTime: mutation.envelope.madeAt }
		])
	);
	return bulk.apply(tx, user, mutations.map(argsWithFoldedSteps), {
		changedBy: user.id,
		clientId,
		perJob
	});
}

function argsWithFoldedSteps({ args, folded }: ValidMutation): ParsedMutationArgs<MutationName> {
	if (!folded?.length) return args;
	const creation: NewJobWithSteps = {
		...(args as ParsedMutationArgs<'job.create'>),
		steps: folded.map((step) => foldedStep(step.envelope, step.args))
	};
	return creation;
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
