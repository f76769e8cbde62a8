/** Follow-up contacts (回访) with the customer after a job. */
import { refusal } from '../refusal';
import type { z } from 'zod';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable, Transaction } from '../db';
import { recordset } from '../db/bulk';
import { queryRows } from '../db/rows';
import { translateDbError } from '../db/errors';
import { followUps, jobs } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { followUpRecord, type addFollowUpSchema } from '../../shared/schemas';
import {
	jobIdsOf,
	jobVisibleTo,
	mayChangeJobs,
	requireJobWorker,
	visibleJobCondition
} from '../jobs/access';
import { inTransaction } from '../sync/change-context';

export async function addFollowUp(
	db: Queryable,
	user: SessionUser,
	input: z.infer<typeof addFollowUpSchema>
) {
	requireJobWorker(user);
	return inTransaction(db, user, async (tx) => {
		const job = await jobVisibleTo(tx, user, input.jobId, { lock: true });
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

/**
 * Follow-ups of several jobs as one INSERT, each job locked as addFollowUp locks it. True when
 * every one was added; false when any job is not visible to this user or not completed
 * (addFollowUp says which), or this user may not record follow-ups. Nothing is written then only if the caller rolls back, which the
 * sync push does.
 */
export async function tryAddFollowUps(
	tx: Transaction,
	user: SessionUser,
	inputs: readonly z.infer<typeof addFollowUpSchema>[]
): Promise<boolean> {
	if (inputs.length === 0) return true;
	// Refused one by one, where addFollowUp says why.
	if (!mayChangeJobs(user)) return false;
	const contacts = recordset(followUps, inputs.map(followUpRecord));
	const added = await queryRows<{ id: string }>(
		tx,
		sql`INSERT INTO ${followUps}
				(station_id, id, job_id, user_id, visited_at, channel, satisfaction, issue_resolved, comment)
			SELECT ${user.stationId}::uuid, r."id", r."jobId", ${user.id}::uuid, r."visitedAt", r."channel",
				r."satisfaction", r."issueResolved", r."comment"
			FROM ${contacts.source}
			JOIN ${jobs} ON ${and(eq(jobs.stationId, user.stationId), eq(jobs.id, sql`r."jobId"`), inArray(jobs.id, jobIdsOf(inputs)), visibleJobCondition(user), eq(jobs.status, 'completed'))}
			FOR NO KEY UPDATE OF ${jobs}
			RETURNING id::text AS id`
	);
	return added.length === inputs.length;
}
