/**
 * Follow-ups of many jobs as one INSERT, for the push's fast path (rounds.ts); addFollowUp
 * (follow-ups/service.ts) is the rule it keeps and says why when it does not apply.
 */
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Transaction } from '../../db';
import { recordset } from '../../db/bulk';
import { queryRows } from '../../db/rows';
import { followUps, jobs } from '../../db/schema';
import type { SessionUser } from '../../auth/session-user';
import { followUpRecord, type addFollowUpSchema } from '../../../shared/schemas';
import { callsFollowUps, visibleJobCondition } from '../../jobs/access';
import { jobIdsOf } from './jobs';
import { followUpSourceOf, latestFollowUpTime } from '../../follow-ups/service';

/**
 * Follow-ups of several jobs as one INSERT, each job locked as addFollowUp locks it. True when
 * every one was added; false when any job is not visible to this user or not completed
 * (addFollowUp says which), a follow-up is dated in the future or before the job's completion,
 * or a technician follows up a verified job (followUpRefusal's rules, here in SQL), or this user
 * may not record follow-ups. Nothing is written then only if the caller rolls back, which the
 * sync push does.
 */
export async function tryAddFollowUps(
	tx: Transaction,
	user: SessionUser,
	inputs: readonly z.infer<typeof addFollowUpSchema>[]
): Promise<boolean> {
	if (inputs.length === 0) return true;
	// Refused one by one, where addFollowUp says why.
	if (!callsFollowUps(user)) return false;
	const contacts = recordset(followUps, inputs.map(followUpRecord));
	const latest = latestFollowUpTime().toISOString();
	const datedWell: SQL[] = [
		sql`r."visitedAt" <= ${latest}::timestamptz`,
		sql`r."visitedAt" >= date_bin('1 minute', ${jobs.completedAt}, 'epoch')`
	];
	if (user.role === 'technician') datedWell.push(isNull(jobs.verifiedAt) as SQL);
	const added = await queryRows<{ id: string }>(
		tx,
		sql`INSERT INTO ${followUps}
				(station_id, id, job_id, user_id, visited_at, channel, satisfaction, issue_resolved, comment, source)
			SELECT ${user.stationId}::uuid, r."id", r."jobId", ${user.id}::uuid, r."visitedAt", r."channel",
				r."satisfaction", r."issueResolved", r."comment", ${followUpSourceOf(user)}::follow_up_source
			FROM ${contacts.source}
			JOIN ${jobs} ON ${and(eq(jobs.stationId, user.stationId), eq(jobs.id, sql`r."jobId"`), inArray(jobs.id, jobIdsOf(inputs)), visibleJobCondition(user), eq(jobs.status, 'completed'))}
			WHERE ${and(...datedWell)}
			FOR NO KEY UPDATE OF ${jobs}
			RETURNING id::text AS id`
	);
	return added.length === inputs.length;
}
