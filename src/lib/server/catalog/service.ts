/** The station's parts catalog and the part lines used on jobs. */
import { Refusal, refusal } from '../refusal';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Queryable } from '../db';
import { inTransaction } from '../db/change-context';
import { translateDbError } from '../db/errors';
import { faultCategories, jobParts, parts } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import type { addJobPartSchema, partSchema } from '../../shared/schemas';
import { jobForVisitFact } from '../jobs/offline-work';

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
			jobForVisitFact(tx, user, input.jobId),
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
			await jobForVisitFact(tx, user, line.jobId);
		} catch (error) {
			// Someone else's job: say nothing about its lines either.
			if (error instanceof Refusal && error.kind === 'not_found') throw notFound;
			throw error;
		}
		await tx
			.delete(jobParts)
			.where(and(eq(jobParts.stationId, user.stationId), eq(jobParts.id, input.id)));
	});
}
