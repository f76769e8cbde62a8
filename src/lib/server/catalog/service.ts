/** The station's parts catalog and the part lines used on jobs. */
import { TRPCError } from '@trpc/server';
import { refusal } from '../refusal';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Queryable, Transaction } from '../db';
import { recordset } from '../db/bulk';
import { translateDbError } from '../db/errors';
import { queryRows } from '../db/rows';
import { faultCategories, jobParts, jobs, parts } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import type { addJobPartSchema, partSchema } from '../../shared/schemas';
import { editableJobCondition, jobEditableBy, jobIdsOf } from '../jobs/access';
import { inTransaction } from '../sync/change-context';

export function listParts(db: Queryable, user: SessionUser, includeInactive = false) {
	return db
		.select()
		.from(parts)
		.where(
			and(eq(parts.stationId, user.stationId), includeInactive ? undefined : eq(parts.active, true))
		)
		.orderBy(asc(parts.sku));
}

export function listFaultCategories(db: Queryable, user: SessionUser) {
	return db
		.select()
		.from(faultCategories)
		.where(eq(faultCategories.stationId, user.stationId))
		.orderBy(asc(faultCategories.code));
}

/** Creates the part, or updates the one with the same SKU. Catalog changes never touch history. */
export async function savePart(
	db: Queryable,
	user: SessionUser,
	input: z.infer<typeof partSchema>
) {
	try {
		const [part] = await db
			.insert(parts)
			.values({ stationId: user.stationId, ...input })
			.onConflictDoUpdate({
				target: [parts.stationId, parts.sku],
				set: {
					name: input.name,
					unitCost: input.unitCost,
					unit: input.unit,
					active: input.active,
					updatedAt: sql`now()`
				}
			})
			.returning();
		return part;
	} catch (error) {
		translateDbError(error);
	}
}

/** Records a part used on a job, with the catalog's current unit cost as its snapshot. */
export async function addJobPart(
	db: Queryable,
	user: SessionUser,
	input: z.infer<typeof addJobPartSchema>
) {
	return inTransaction(db, user, async (tx) => {
		const [job, [part]] = await Promise.all([
			jobEditableBy(tx, user, input.jobId, { lock: true }),
			tx
				.select()
				.from(parts)
				.where(and(eq(parts.stationId, user.stationId), eq(parts.id, input.partId)))
				.limit(1)
		]);
		if (!part) {
			throw refusal('BAD_REQUEST', `Part ${input.partId} is not in the catalog.`, 'part_unknown');
		}
		if (!part.active) {
			throw refusal('BAD_REQUEST', `Part ${part.sku} is no longer in use.`, 'part_inactive', {
				sku: part.sku
			});
		}
		try {
			const [line] = await tx
				.insert(jobParts)
				.values({
					stationId: user.stationId,
					id: input.id,
					jobId: job.id,
					partId: part.id,
					qty: input.qty,
					unitCost: part.unitCost,
					createdBy: user.id
				})
				.returning();
			return line;
		} catch (error) {
			translateDbError(error);
		}
	});
}

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

/**
 * Removes a part line (a mistake on the job). Lines are otherwise never edited; the delete
 * leaves a tombstone (by trigger) so devices drop the line too.
 */
export async function removeJobPart(db: Queryable, user: SessionUser, input: { id: string }) {
	return inTransaction(db, user, async (tx) => {
		const [line] = await tx
			.select({ jobId: jobParts.jobId })
			.from(jobParts)
			.where(and(eq(jobParts.stationId, user.stationId), eq(jobParts.id, input.id)))
			.limit(1);
		const notFound = refusal('NOT_FOUND', `Part line ${input.id} was not found.`, 'line_not_found');
		if (!line) throw notFound;
		try {
			await jobEditableBy(tx, user, line.jobId, { lock: true });
		} catch (error) {
			// Someone else's job: say nothing about its lines either.
			if (error instanceof TRPCError && error.code === 'NOT_FOUND') throw notFound;
			throw error;
		}
		await tx
			.delete(jobParts)
			.where(and(eq(jobParts.stationId, user.stationId), eq(jobParts.id, input.id)));
	});
}
