/**
 * What a mutation does to the technician's view, predicted on the device.
 *
 * The server decides (shared/sync.ts): this prediction is shown until a pull acknowledges the
 * mutation, then the server's row replaces it. It is used both when a change is made and when
 * the pending outbox is re-applied on top of freshly pulled rows (rebase), so it reads only the
 * rows the mutation names and never the clock.
 */
import type { z } from 'zod/mini';
import { followUpRecord } from '../../shared/schemas';
import type { JobRecord, mutationArgs, MutationName } from '../../shared/sync';
import type { LocalDatabase, OutboxEntry } from './db';

type ParsedArgs<N extends MutationName> = z.output<(typeof mutationArgs)[N]>;

/** The synced rows one mutation writes: what a rebase must reset before re-applying. */
interface TouchedRows {
	jobs: string[];
	jobParts: string[];
	followUps: string[];
}

export function rowsTouchedBy(entry: Pick<OutboxEntry, 'name' | 'args'>): TouchedRows {
	const args = entry.args as { id?: string; jobId?: string };
	switch (entry.name) {
		case 'job.create':
			return { jobs: [String(args.id)], jobParts: [], followUps: [] };
		case 'part.add':
		case 'part.remove':
			return { jobs: [], jobParts: [String(args.id)], followUps: [] };
		case 'followUp.add':
			return { jobs: [], jobParts: [], followUps: [String(args.id)] };
		default:
			return { jobs: [String(args.jobId)], jobParts: [], followUps: [] };
	}
}

/**
 * The job a mutation concerns. A removed part line names only itself, so its job is looked up
 * (a Dexie read, fine inside a transaction); everything else names it directly.
 */
export function jobIdOf(
	db: LocalDatabase,
	entry: Pick<OutboxEntry, 'name' | 'args'>
): string | Promise<string> {
	const args = entry.args as { id?: string; jobId?: string };
	if (entry.name === 'job.create') return String(args.id);
	if (entry.name === 'part.remove') {
		return db.jobParts.get(String(args.id)).then((line) => line?.jobId ?? '');
	}
	return String(args.jobId);
}

/** Applies one mutation to the view tables, inside the caller's read-write transaction. */
export async function applyToView(
	db: LocalDatabase,
	entry: Pick<OutboxEntry, 'name' | 'args' | 'madeAt'>
): Promise<void> {
	const madeAt = entry.madeAt;
	switch (entry.name) {
		case 'job.create': {
			const args = entry.args as ParsedArgs<'job.create'>;
			// A pending job.create never meets its own row from the server: a pull showing the row
			// also acknowledges the mutation. `put` rather than `add` keeps a rebase from aborting.
			await db.jobs.put({
				id: args.id,
				jobNo: args.jobNo,
				technicianId: db.ownerId,
				customerName: args.customerName,
				customerPhone: args.customerPhone,
				customerAddress: args.customerAddress,
				productModel: args.productModel,
				deviceSerial: args.deviceSerial,
				faultCategoryId: args.faultCategoryId ?? null,
				faultDescription: args.faultDescription,
				reportedAt: args.reportedAt,
				arrivedAt: null,
				startedAt: null,
				completedAt: null,
				status: 'open',
				outcome: null,
				previousJobId: args.previousJobId ?? null,
				notes: args.notes,
				verifiedAt: null,
				updatedAt: madeAt,
				origin: 'technician',
				urgency: 'normal',
				// The server stamps it when it saves the job.
				assignedAt: null,
				dispatched: false
			});
			return;
		}
		case 'job.update': {
			const args = entry.args as ParsedArgs<'job.update'>;
			const fields = Object.fromEntries(
				Object.entries(args.fields).filter(([, value]) => value !== undefined)
			);
			await db.jobs.update(args.jobId, { ...fields, updatedAt: madeAt });
			return;
		}
		case 'job.arrive': {
			const args = entry.args as ParsedArgs<'job.arrive'>;
			await db.jobs.update(args.jobId, { arrivedAt: args.at, updatedAt: madeAt });
			return;
		}
		case 'job.start': {
			const args = entry.args as ParsedArgs<'job.start'>;
			const job = await db.jobs.get(args.jobId);
			if (!job) return;
			await db.jobs.update(args.jobId, {
				startedAt: args.at,
				status: job.status === 'open' ? 'in_progress' : job.status,
				updatedAt: madeAt
			});
			return;
		}
		case 'job.complete': {
			const args = entry.args as ParsedArgs<'job.complete'>;
			const job = await db.jobs.get(args.jobId);
			if (!job || job.status === 'cancelled') return;
			await db.jobs.update(args.jobId, {
				completedAt: args.at,
				outcome: args.outcome,
				status: 'completed',
				notes: args.notes ?? job.notes,
				updatedAt: madeAt
			});
			// Kept on the device for the receipt: a pull never brings signatures back.
			if (args.signature) await db.signatures.put({ ...args.signature, jobId: args.jobId });
			return;
		}
		case 'job.setTimes': {
			const args = entry.args as ParsedArgs<'job.setTimes'>;
			const changes: Partial<JobRecord> = {};
			if (args.reportedAt !== undefined) changes.reportedAt = args.reportedAt;
			if (args.arrivedAt !== undefined) changes.arrivedAt = args.arrivedAt;
			if (args.startedAt !== undefined) changes.startedAt = args.startedAt;
			if (args.completedAt !== undefined) changes.completedAt = args.completedAt;
			await db.jobs.update(args.jobId, { ...changes, updatedAt: madeAt });
			return;
		}
		case 'job.cancel': {
			const args = entry.args as ParsedArgs<'job.cancel'>;
			await db.jobs.update(args.jobId, { status: 'cancelled', outcome: null, updatedAt: madeAt });
			return;
		}
		case 'job.assign': {
			const args = entry.args as ParsedArgs<'job.assign'>;
			// Someone else's job is not on this device (the server sends it as a delete too).
			if (args.technicianId !== db.ownerId) await deleteJobFromView(db, args.jobId);
			else await db.jobs.update(args.jobId, { technicianId: args.technicianId, updatedAt: madeAt });
			return;
		}
		case 'job.verify': {
			const args = entry.args as ParsedArgs<'job.verify'>;
			await db.jobs.update(args.jobId, { verifiedAt: madeAt, updatedAt: madeAt });
			return;
		}
		case 'part.add': {
			const args = entry.args as ParsedArgs<'part.add'>;
			const [job, part] = await Promise.all([db.jobs.get(args.jobId), db.parts.get(args.partId)]);
			if (!job || !part) return;
			await db.jobParts.put({
				id: args.id,
				jobId: args.jobId,
				partId: args.partId,
				qty: args.qty,
				// The server snapshots the catalog cost when it applies the line; this is its best guess.
				unitCost: part.unitCost,
				createdAt: madeAt
			});
			return;
		}
		case 'part.remove': {
			const args = entry.args as ParsedArgs<'part.remove'>;
			await db.jobParts.delete(args.id);
			return;
		}
		case 'followUp.add': {
			const args = entry.args as ParsedArgs<'followUp.add'>;
			if (!(await db.jobs.get(args.jobId))) return;
			await db.followUps.put({ ...followUpRecord(args), userId: db.ownerId });
			return;
		}
		default: {
			const unknown: never = entry.name;
			throw new Error(`No local effect defined for mutation ${String(unknown)}`);
		}
	}
}

/** A job leaves the device with its part lines and follow-ups (they cascade on the server too). */
export async function deleteJobFromView(db: LocalDatabase, jobId: string): Promise<void> {
	await Promise.all([
		db.jobs.delete(jobId),
		db.jobParts.where('jobId').equals(jobId).delete(),
		db.followUps.where('jobId').equals(jobId).delete()
	]);
}
