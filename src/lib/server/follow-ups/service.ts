/** Follow-up contacts (回访) with the customer after a job. */
import { refusal } from '../refusal';
import type { z } from 'zod';
import type { Queryable } from '../db';
import { inTransaction } from '../db/change-context';
import { translateDbError } from '../db/errors';
import { followUps } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { followUpRecord, type addFollowUpSchema } from '../../shared/schemas';
import { jobVisibleTo, requireFollowUpCaller } from '../jobs/access';
import { jobForVisitFact } from '../jobs/offline-work';
import { CLOCK_SKEW_TOLERANCE_SECONDS, type FollowUpSource } from '../../shared/honesty-domain';
import type { Job } from '../db/schema';

/**
 * Whose follow-up this is, by the role of who records it: a technician's is notes only, never
 * scored (docs/kpi-rules.md); the desk's and a supervisor's count.
 */
export function followUpSourceOf(user: Pick<SessionUser, 'role'>): FollowUpSource {
	if (user.role === 'technician') return 'technician';
	return user.role === 'dispatcher' ? 'desk' : 'supervisor';
}

/**
 * The latest instant a follow-up may be dated now: the server's clock plus the drift a device's
 * clock is allowed (honesty-domain.ts). A follow-up is a contact that happened; one dated ahead
 * would win the "latest follow-up" rule (docs/kpi-rules.md) against every real call to come.
 */
export function latestFollowUpTime(now = new Date()): Date {
	return new Date(now.getTime() + CLOCK_SKEW_TOLERANCE_SECONDS * 1000);
}

/**
 * Why this follow-up may not be recorded on this completed job, or null. The push's fast path
 * (sync/bulk/follow-ups.ts) states the same three rules in SQL and falls back here to say which.
 * - not in the future (beyond the clock's tolerance) and not before the minute of the job's
 *   completion: a follow-up asks about a finished repair;
 * - on a verified job a technician adds no more: roles.md gives a verified job's records to the
 *   supervisor ("on verified jobs they are the supervisor's to change"), while the desk's calls
 *   and a supervisor's own follow-ups still come, since a customer is often reached only after
 *   verification and their answer is what satisfaction measures.
 */
export function followUpRefusal(
	user: Pick<SessionUser, 'role'>,
	job: Pick<Job, 'jobNo' | 'completedAt' | 'verifiedAt'>,
	visitedAt: Date,
	now = new Date()
) {
	if (visitedAt > latestFollowUpTime(now)) {
		return refusal(
			'BAD_REQUEST',
			`A follow-up of job ${job.jobNo} cannot be dated in the future.`,
			'follow_up_in_future',
			{ jobNo: job.jobNo }
		);
	}
	// Compared by the minute: forms take times to the minute, so a follow-up noted in the minute
	// of the completion (seconds after it) reads as that minute's start.
	if (
		job.completedAt &&
		visitedAt.getTime() < job.completedAt.getTime() - (job.completedAt.getTime() % 60_000)
	) {
		return refusal(
			'BAD_REQUEST',
			`A follow-up of job ${job.jobNo} cannot be dated before the job was completed.`,
			'follow_up_before_completion',
			{ jobNo: job.jobNo }
		);
	}
	if (job.verifiedAt && user.role === 'technician') {
		return refusal(
			'FORBIDDEN',
			`Job ${job.jobNo} is verified: its follow-ups are now recorded by the desk and supervisors.`,
			'follow_up_job_verified',
			{ jobNo: job.jobNo }
		);
	}
	return null;
}

export async function addFollowUp(
	db: Queryable,
	user: SessionUser,
	input: z.infer<typeof addFollowUpSchema>
) {
	requireFollowUpCaller(user);
	return inTransaction(db, user, async (tx) => {
		const job = await jobForVisitFact(tx, user, input.jobId, jobVisibleTo);
		if (job.status !== 'completed') {
			throw refusal(
				'BAD_REQUEST',
				`Job ${job.jobNo} is not completed yet: follow-ups come after the repair.`,
				'job_not_completed',
				{ jobNo: job.jobNo }
			);
		}
		const refused = followUpRefusal(user, job, input.visitedAt);
		if (refused) throw refused;
		try {
			const [contact] = await tx
				.insert(followUps)
				.values({
					stationId: user.stationId,
					userId: user.id,
					source: followUpSourceOf(user),
					...followUpRecord(input)
				})
				.returning();
			return contact;
		} catch (error) {
			translateDbError(error);
		}
	});
}
