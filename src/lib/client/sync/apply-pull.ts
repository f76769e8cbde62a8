/**
 * Taking a pull into the device store, in one read-write transaction:
 * 1. the server copy takes the pulled rows and deletes (a reset or a pull without cursor first
 *    empties it);
 * 2. outbox rows the pull acknowledges (id <= lastMutationId) are dropped: their effect, or their
 *    rejection, is in the server copy now;
 * 3. every row that changed on the server or that any of those outbox rows touched is reset in the
 *    view from the server copy, and the still-pending outbox is re-applied on top (rebase).
 */
import type { Table, InsertType } from 'dexie';
import type { PullOutput } from '../../shared/sync';
import { applyToView, deleteJobFromView, rowsTouchedBy } from '../local/apply';
import type { LocalDatabase } from '../local/db';

type PullApplied = 'applied' | 'stale';

/**
 * Applies `pull`, asked for with `requestedCursor`. Returns 'stale' and changes nothing when
 * another tab moved the cursor in the meantime (its pull was newer; ask again).
 */
export async function applyPull(
	db: LocalDatabase,
	pull: PullOutput,
	requestedCursor: string | null
): Promise<PullApplied> {
	return db.transaction('rw', db.tables, async () => {
		if ((await db.getMeta('cursor')) !== requestedCursor) return 'stale';

		const touched = {
			jobs: new Set<string>(),
			jobParts: new Set<string>(),
			followUps: new Set<string>()
		};
		// A reset, and the first pull (no cursor: everything the user may see, but no deletes),
		// are the whole truth: anything not in them is gone from the device.
		if (pull.reset || requestedCursor === null) {
			for (const job of await db.jobs.toArray()) touched.jobs.add(job.id);
			for (const line of await db.jobParts.toArray()) touched.jobParts.add(line.id);
			for (const followUp of await db.followUps.toArray()) touched.followUps.add(followUp.id);
			await Promise.all(
				[db.serverJobs, db.serverJobParts, db.serverFollowUps, db.parts, db.faultCategories].map(
					(table) => table.clear()
				)
			);
		}

		const { changes, deletes } = pull;
		// What the server copy holds of the pulled rows once the deletes below are applied, so
		// that the view takes them without reading back what was just written (a first sync's
		// whole history would be read back row by row).
		const held = {
			jobs: byId(changes.jobs),
			jobParts: byId(changes.jobParts),
			followUps: byId(changes.followUps)
		};
		await db.serverJobs.bulkPut(changes.jobs);
		await db.serverJobParts.bulkPut(changes.jobParts);
		await db.serverFollowUps.bulkPut(changes.followUps);
		await db.parts.bulkPut(changes.parts);
		await db.faultCategories.bulkPut(changes.faultCategories);
		for (const job of changes.jobs) touched.jobs.add(job.id);
		for (const line of changes.jobParts) touched.jobParts.add(line.id);
		for (const followUp of changes.followUps) touched.followUps.add(followUp.id);

		// A job that left the device (deleted, or reassigned) takes its lines and follow-ups along.
		for (const jobId of deletes.jobs) {
			touched.jobs.add(jobId);
			held.jobs.delete(jobId);
			await db.serverJobs.delete(jobId);
			for (const line of await db.serverJobParts.where('jobId').equals(jobId).toArray()) {
				touched.jobParts.add(line.id);
				held.jobParts.delete(line.id);
			}
			for (const followUp of await db.serverFollowUps.where('jobId').equals(jobId).toArray()) {
				touched.followUps.add(followUp.id);
				held.followUps.delete(followUp.id);
			}
			await db.serverJobParts.where('jobId').equals(jobId).delete();
			await db.serverFollowUps.where('jobId').equals(jobId).delete();
			await deleteJobFromView(db, jobId);
		}
		await db.serverJobParts.bulkDelete(deletes.jobParts);
		await db.serverFollowUps.bulkDelete(deletes.followUps);
		// Catalog rows removed from the station leave the offline pickers too.
		await db.parts.bulkDelete(deletes.parts);
		await db.faultCategories.bulkDelete(deletes.faultCategories);
		for (const id of deletes.jobParts) {
			touched.jobParts.add(id);
			held.jobParts.delete(id);
		}
		for (const id of deletes.followUps) {
			touched.followUps.add(id);
			held.followUps.delete(id);
		}

		const acknowledged = await db.outbox.where('id').belowOrEqual(pull.lastMutationId).toArray();
		const pending = await db.outbox.where('id').above(pull.lastMutationId).toArray();
		for (const entry of [...acknowledged, ...pending]) {
			const rows = rowsTouchedBy(entry);
			for (const id of rows.jobs) touched.jobs.add(id);
			for (const id of rows.jobParts) touched.jobParts.add(id);
			for (const id of rows.followUps) touched.followUps.add(id);
		}
		await db.outbox.bulkDelete(acknowledged.map((entry) => entry.id));

		await resetFromServerCopy(db.serverJobs, db.jobs, touched.jobs, held.jobs);
		await resetFromServerCopy(db.serverJobParts, db.jobParts, touched.jobParts, held.jobParts);
		await resetFromServerCopy(db.serverFollowUps, db.followUps, touched.followUps, held.followUps);
		for (const entry of pending) await applyToView(db, entry);

		await db.setMeta('cursor', pull.cursor);
		await db.setMeta(
			'lastMutationId',
			Math.max(pull.lastMutationId, await db.getMeta('lastMutationId'))
		);
		return 'applied';
	});
}

function byId<T extends { id: string }>(rows: T[]): Map<string, T> {
	return new Map(rows.map((row) => [row.id, row]));
}

/**
 * The view rows `ids` become what the server copy holds (absent there: absent in the view);
 * `held` is what it holds of them as this pull wrote it, the rest is read from it.
 */
async function resetFromServerCopy<T extends { id: string }>(
	serverTable: Table<T, string, InsertType<T, 'id'>>,
	viewTable: Table<T, string, InsertType<T, 'id'>>,
	ids: Set<string>,
	held: Map<string, T>
): Promise<void> {
	if (ids.size === 0) return;
	const unread = [...ids].filter((id) => !held.has(id));
	const readRows = await serverTable.bulkGet(unread);
	await viewTable.bulkDelete(unread.filter((_, index) => readRows[index] === undefined));
	await viewTable.bulkPut([
		...[...ids].flatMap((id) => held.get(id) ?? []),
		...readRows.filter((row): row is T => row !== undefined)
	]);
}
