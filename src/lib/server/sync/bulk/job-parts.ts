/**
 * Part lines on many jobs as one INSERT, for the push's fast path (rounds.ts); addJobPart
 * (catalog/service.ts) is the rule it keeps and says why when it does not apply.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Transaction } from '../../db';
import { recordset } from '../../db/bulk';
import { queryRows } from '../../db/rows';
import { jobParts, jobs, parts } from '../../db/schema';
import type { SessionUser } from '../../auth/session-user';
import type { addJobPartSchema } from '../../../shared/schemas';
import { editableJobCondition } from '../../jobs/access';
import { jobIdsOf } from './jobs';

/**
 * Part lines on several jobs as one INSERT, each job locked as addJobPart locks it. True when
 * every line was added; false when any job is not this user's to change or any part is
 * missing or no longer in use (addJobPart says which). Nothing is written then only if the
 * caller rolls back, which the sync push does.
 */
export async function tryAddJobParts(
	tx: Transaction,
	user: SessionUser,
	inputs: readonly z.infer<typeof addJobPartSchema>[]
): Promise<boolean> {
	if (inputs.length === 0) return true;
	const lines = recordset(
		jobParts,
		inputs.map(({ id, jobId, partId, qty }) => ({ id, jobId, partId, qty }))
	);
	const added = await queryRows<{ id: string }>(
		tx,
		sql`INSERT INTO ${jobParts} (station_id, id, job_id, part_id, qty, unit_cost, created_by)
			SELECT ${user.stationId}::uuid, r."id", r."jobId", r."partId", r."qty", ${parts.unitCost},
				${user.id}::uuid
			FROM ${lines.source}
			JOIN ${jobs} ON ${and(eq(jobs.stationId, user.stationId), eq(jobs.id, sql`r."jobId"`), inArray(jobs.id, jobIdsOf(inputs)), editableJobCondition(user))}
			JOIN ${parts} ON ${and(eq(parts.stationId, user.stationId), eq(parts.id, sql`r."partId"`), eq(parts.active, true))}
			FOR NO KEY UPDATE OF ${jobs}
			RETURNING id::text AS id`
	);
	return added.length === inputs.length;
}
