/**
 * What each sync mutation does on the server: the domain service that applies it. The
 * services check who may do what, so a mutation is allowed exactly when the same change made
 * online would be.
 */
import type { z } from 'zod';
import type { Transaction } from '../db';
import { setChangeContext } from '../db/change-context';
import type { SessionUser } from '../auth/session-user';
import { addJobPart, removeJobPart } from '../catalog/service';
import { addFollowUp } from '../follow-ups/service';
import {
	assignJob,
	cancelJob,
	completeJob,
	createJob,
	recordArrival,
	recordStart,
	setJobTimes,
	updateJobFields,
	verifyJob
} from '../jobs/service';
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
	'job.complete': (tx, user, { jobId, at, outcome, notes, position, signature }) =>
		completeJob(tx, user, { jobId, completedAt: at, outcome, notes, position, signature }),
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
