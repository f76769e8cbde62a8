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
				.values({ stationId: user.stationId, userId: user.id, ...followUpRecord(input) })
				.returning();
			return contact;
		} catch (error) {
			translateDbError(error);
		}
	});
}
