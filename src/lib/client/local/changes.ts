/**
 * Every change a technician makes on the device: validated with the shared mutation schemas,
 * then the view change and its outbox row are written in ONE read-write transaction that awaits
 * nothing but Dexie (any other await would let IndexedDB commit the transaction half-way).
 *
 * Outbox rows are only ever added here and removed when a pull acknowledges them; an undo is a
 * new mutation (e.g. `part.remove` after `part.add`).
 */
import { z } from 'zod/mini';
import { mutationArgs, type MutationArgs, type MutationName } from '../../shared/sync';
import { newJobSchema } from '../../shared/schemas';
import { applyToView, jobIdOf } from './apply';
import type { LocalDatabase, OutboxEntry } from './db';
import { uuidv7 } from './ids';
import { formatJobNumber } from './job-number';

/**
 * Each local save is a User Timing measure (`repairscore:save:<mutation>`), from validation to
 * the committed transaction: visible in the browser's performance panel, and what
 * scripts/bench/client.ts reports.
 */
const SAVE_MEASURE_PREFIX = 'repairscore:save:';

function measureSave(name: MutationName, startedAt: number): void {
	if (typeof performance === 'undefined' || !performance.measure) return;
	performance.measure(`${SAVE_MEASURE_PREFIX}${name}`, {
		start: startedAt,
		end: performance.now()
	});
}

export type ChangeResult<T> = { ok: true; value: T } | { ok: false; issues: z.core.$ZodIssue[] };

/** A new job's fields as the form gives them; id and job number are made on the device. */
type NewJobFields = Omit<z.input<typeof newJobSchema>, 'id' | 'jobNo'>;
export const newJobFieldsSchema = z.omit(newJobSchema, { id: true, jobNo: true });

export class LocalChanges {
	constructor(
		private readonly db: LocalDatabase,
		/** Told after each committed change, e.g. to schedule a sync. */
		private readonly afterWrite: () => void = () => {},
		private readonly clock: () => Date = () => new Date()
	) {}

	/** Records a job made on this device and returns its id and job number. */
	async createJob(fields: NewJobFields): Promise<ChangeResult<{ id: string; jobNo: string }>> {
		const startedAt = performance.now();
		const checked = newJobFieldsSchema.safeParse(fields);
		if (!checked.success) return { ok: false, issues: checked.error.issues };
		const madeAt = this.clock();
		const id = uuidv7(madeAt.getTime());
		const db = this.db;
		const jobNo = await db.transaction('rw', this.writeTables('job.create'), async () => {
			const counter = (await db.getMeta('jobCounter')) + 1;
			const jobNo = formatJobNumber(db.clientId, counter, madeAt);
			// The complete mutation is parsed again with its id and number: synchronous, no await.
			const args = mutationArgs['job.create'].parse({ ...checked.data, id, jobNo });
			await Promise.all([
				db.setMeta('jobCounter', counter),
				this.addToOutbox('job.create', args, madeAt)
			]);
			return jobNo;
		});
		measureSave('job.create', startedAt);
		this.afterWrite();
		return { ok: true, value: { id, jobNo } };
	}

	/** Records any other mutation; returns its mutation id (its place in the outbox). */
	async record<N extends Exclude<MutationName, 'job.create'>>(
		name: N,
		input: MutationArgs<N>
	): Promise<ChangeResult<number>> {
		const startedAt = performance.now();
		const checked = mutationArgs[name].safeParse(input);
		if (!checked.success) return { ok: false, issues: checked.error.issues };
		const madeAt = this.clock();
		const mutationId = await this.db.transaction('rw', this.writeTables(name), () =>
			this.addToOutbox(name, checked.data as Record<string, unknown>, madeAt)
		);
		measureSave(name, startedAt);
		this.afterWrite();
		return { ok: true, value: mutationId };
	}

	/** A fresh UUIDv7 for a row the next mutation creates (part line, follow-up). */
	newRowId(): string {
		return uuidv7(this.clock().getTime());
	}

	/**
	 * The stores a mutation's transaction needs, and no more: a read-write transaction waits for
	 * every open transaction on the stores it names (the list's live queries, another tab).
	 */
	private writeTables(name: MutationName) {
		const { jobs, jobParts, followUps, parts, meta, outbox } = this.db;
		switch (name) {
			case 'job.create':
				return [jobs, meta, outbox];
			case 'part.add':
				return [jobs, jobParts, parts, outbox];
			case 'part.remove':
				return [jobParts, outbox];
			case 'followUp.add':
				return [jobs, followUps, outbox];
			case 'job.assign':
				return [jobs, jobParts, followUps, outbox];
			case 'job.complete':
				return [jobs, this.db.signatures, outbox];
			default:
				return [jobs, outbox];
		}
	}

	/** Adds the outbox row and applies the change to the view, issued together (one round trip). */
	private async addToOutbox(
		name: MutationName,
		args: Record<string, unknown>,
		madeAt: Date
	): Promise<number> {
		// Only Dexie operations are awaited here: awaiting anything else (even an already settled
		// native promise) can let IndexedDB commit the transaction before the outbox row is added.
		const jobId = jobIdOf(this.db, { name, args });
		const entry: Omit<OutboxEntry, 'id'> = {
			name,
			args,
			madeAt,
			jobId: typeof jobId === 'string' ? jobId : await jobId
		};
		const [id] = await Promise.all([
			this.db.outbox.add(entry as OutboxEntry),
			applyToView(this.db, entry)
		]);
		return id;
	}
}
