/** Follow-up contacts (回访) with the customer after a job. */
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { Queryable } from '../db';
import { translateDbError } from '../db/errors';
import { followUps } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import type { addFollowUpSchema } from '../../shared/schemas';
import { jobVisibleTo } from '../jobs/access';
import { inTransaction } from '../sync/change-context';

export async function addFollowUp(
	db: Queryable,
	user: SessionUser,
	input: z.infer<typeof addFollowUpSchema>
) {
	return inTransaction(db, user, async (tx) => {
		const job = await jobVisibleTo(tx, user, input.jobId, { lock: true });
		if (job.status !== 'completed') {
			throw new TRPCError({
				code: 'BAD_REQUEST',
				message: `Job ${job.jobNo} is not completed yet: follow-ups come after the repair.`
			});
		}
		try {
			const [contact] = await tx
				.insert(followUps)
				.values({
					stationId: user.stationId,
					id: input.id,
					jobId: job.id,
					userId: user.id,
					visitedAt: input.visitedAt,
					channel: input.channel,
					satisfaction: input.satisfaction ?? null,
					issueResolved: input.issueResolved ?? null,
					comment: input.comment
				})
				.returning();
			return contact;
		} catch (error) {
			translateDbError(error);
		}
	});
}
