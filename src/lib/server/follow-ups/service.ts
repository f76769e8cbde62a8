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
import type { FollowUpSource } from '../../shared/honesty-domain';

/**
 * Whose follow-up this is, by the role of who records it: a technician's is notes only, never
 * scored (docs/kpi-rules.md); the desk's and a supervisor's count.
 */
export function followUpSourceOf(user: Pick<SessionUser, 'role'>): FollowUpSource {
	if (user.role === 'technician') return 'technician';
	return user.role === 'dispatcher' ? 'desk' : 'supervisor';
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
