/**
 * What each sync mutation does on the server: the domain service that applies it. The
 * services check who may do what, so a mutation is allowed exactly when the same change made
 * online would be.
 */
import type { z } from 'zod';
import type { Transaction } from '../db';
import type { SessionUser } from '../auth/session-user';
import { addJobPart, removeJobPart, tryAddJobParts } from '../catalog/service';
import { addFollowUp, tryAddFollowUps } from '../follow-ups/service';
import {
	assignJob,
	cancelJob,
	completeJob,
	createJob,
	jobSteps,
	recordArrival,
	recordStart,
	setJobTimes,
	tryCreateJobs,
	tryJobSteps,
	updateJobFields,
	verifyJob,
	type FoldedStep,
	type JobStep
} from '../jobs/service';
import { setChangeContext, type ChangeContext } from './change-context';
import type { MutationEnvelope, mutationArgs, MutationName } from '../../shared/sync';

export type ParsedMutationArgs<N extends MutationName> = z.output<(typeof mutationArgs)[N]>;

type Applier<N extends MutationName> = (
	tx: Transaction,
	user: SessionUser,
	args: ParsedMutationArgs<N>,
	madeAt: Date
) => Promise<unknown>;

const appliers: { [N in MutationName]: Applier<N> } = {
	'job.create': (tx, user, args) => createJob(tx, user, args),
	'job.update': (tx, user, args) => updateJobFields(tx, user, args),
	'job.arrive': (tx, user, args) => recordArrival(tx, user, args),
	'job.start': (tx, user, args) => recordStart(tx, user, args),
	'job.complete': (tx, user, { jobId, at, outcome, notes }) =>
		completeJob(tx, user, { jobId, completedAt: at, outcome, notes }),
	'job.setTimes': (tx, user, args) => setJobTimes(tx, user, args),
	'job.cancel': (tx, user, args) => cancelJob(tx, user, args),
	'job.assign': (tx, user, args) => assignJob(tx, user, args),
	// Verification carries the supervisor's own clock, like every other action.
	'job.verify': (tx, user, { jobId }, madeAt) => verifyJob(tx, user, { jobId, at: madeAt }),
	'part.add': (tx, user, args) => addJobPart(tx, user, args),
	'part.remove': (tx, user, args) => removeJobPart(tx, user, args),
	'followUp.add': (tx, user, args) => addFollowUp(tx, user, args)
};

/** Mutations that change a job row, so the job history needs to know which mutation did it. */
const CHANGES_JOB_ROW: ReadonlySet<MutationName> = new Set<MutationName>([
	'job.update',
	'job.arrive',
	'job.start',
	'job.complete',
	'job.setTimes',
	'job.cancel',
	'job.assign',
	'job.verify'
]);

/**
 * Applies one of a device's mutations through its single applier. One that changes a job row
 * first sets the history context (which also clears a per-job context an earlier bulk
 * statement left); both queries are sent at once, since a transaction runs its queries in the
 * order they were issued.
 */
export async function applyDeviceMutation(
	tx: Transaction,
	user: SessionUser,
	clientId: string,
	envelope: MutationEnvelope,
	args: ParsedMutationArgs<MutationName>
): Promise<void> {
	if (!CHANGES_JOB_ROW.has(envelope.name)) {
		await applyMutation(tx, user, envelope.name, args, envelope.madeAt);
		return;
	}
	await Promise.all([
		setChangeContext(tx, {
			changedBy: user.id,
			clientId,
			mutationId: envelope.id,
			deviceTime: envelope.madeAt
		}),
		applyMutation(tx, user, envelope.name, args, envelope.madeAt)
	]);
}

/** Async, so even a refusal thrown before the first query arrives as a rejected promise. */
async function applyMutation<N extends MutationName>(
	tx: Transaction,
	user: SessionUser,
	name: N,
	args: ParsedMutationArgs<N>,
	madeAt: Date
): Promise<unknown> {
	return (appliers[name] as Applier<N>)(tx, user, args, madeAt);
}

/**
 * The kinds a sync push can apply many at a time, each job at most once per call, in one
 * statement (src/lib/server/sync/rounds.ts). `apply` reports whether every mutation took
 * effect exactly as its single applier would have made it; when not, the push rolls back and
 * applies the batch one by one, where the single appliers say why. `shape` separates
 * mutations that cannot share a statement (steps changing different columns).
 */
export interface BulkApplier<N extends MutationName> {
	shape(args: ParsedMutationArgs<N>): string;
	apply(
		tx: Transaction,
		user: SessionUser,
		args: ParsedMutationArgs<N>[],
		context: ChangeContext
	): Promise<boolean>;
}

/** The mutations that change only a job row's own values, as the steps they are. */
const rowSteps = {
	'job.update': (args: ParsedMutationArgs<'job.update'>) => jobSteps.update(args),
	'job.arrive': (args: ParsedMutationArgs<'job.arrive'>) => jobSteps.arrive(args),
	'job.start': (args: ParsedMutationArgs<'job.start'>) => jobSteps.start(args),
	'job.complete': ({ jobId, at, outcome, notes }: ParsedMutationArgs<'job.complete'>) =>
		jobSteps.complete({ jobId, completedAt: at, outcome, notes })
} satisfies { [N in MutationName]?: (args: ParsedMutationArgs<N>) => JobStep };

export type RowStepName = keyof typeof rowSteps;

export function isRowStep(name: MutationName): name is RowStepName {
	return name in rowSteps;
}

/** A row step (isRowStep) of a job created in the same batch, to apply as the job is created. */
export function foldedStep(
	envelope: MutationEnvelope,
	args: ParsedMutationArgs<MutationName>
): FoldedStep {
	const toStep = rowSteps[envelope.name as RowStepName] as (args: unknown) => JobStep;
	return { step: toStep(args), mutationId: envelope.id, deviceTime: envelope.madeAt };
}

function stepsApplier<N extends RowStepName>(
	step: (args: ParsedMutationArgs<N>) => JobStep
): BulkApplier<N> {
	return {
		shape: (args) => Object.keys(step(args).changes).sort().join(),
		apply: (tx, user, args, context) => tryJobSteps(tx, user, args.map(step), context)
	};
}

const sameShape = () => '';

export const bulkAppliers: { [N in MutationName]?: BulkApplier<N> } = {
	'job.create': {
		shape: sameShape,
		apply: (tx, user, args, context) => tryCreateJobs(tx, user, args, context)
	},
	'job.update': stepsApplier(rowSteps['job.update']),
	'job.arrive': stepsApplier(rowSteps['job.arrive']),
	'job.start': stepsApplier(rowSteps['job.start']),
	'job.complete': stepsApplier(rowSteps['job.complete']),
	'part.add': { shape: sameShape, apply: (tx, user, args) => tryAddJobParts(tx, user, args) },
	'followUp.add': { shape: sameShape, apply: (tx, user, args) => tryAddFollowUps(tx, user, args) }
};
