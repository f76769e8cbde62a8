/**
 * The bulk appliers: for each kind a push can apply many at a time, its set-based statement
 * (jobs.ts, job-parts.ts, follow-ups.ts) and the shape that says which mutations may share it.
 */
import type { Transaction } from '../../db';
import type { ChangeContext } from '../../db/change-context';
import type { SessionUser } from '../../auth/session-user';
import { jobSteps, type JobStep } from '../../jobs/service';
import type { MutationEnvelope, MutationName } from '../../../shared/sync';
import type { ParsedMutationArgs } from '../apply';
import { tryAddFollowUps } from './follow-ups';
import { tryAddJobParts } from './job-parts';
import { tryCreateJobs, tryJobSteps, type FoldedStep } from './jobs';

/**
 * The kinds a sync push can apply many at a time, each job at most once per call, in one
 * statement (rounds.ts). `apply` reports whether every mutation took
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
	'job.complete': ({ jobId, at, outcome, notes, position }: ParsedMutationArgs<'job.complete'>) =>
		jobSteps.complete({ jobId, completedAt: at, outcome, notes, position })
} satisfies { [N in MutationName]?: (args: ParsedMutationArgs<N>) => JobStep };

type RowStepName = keyof typeof rowSteps;

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
