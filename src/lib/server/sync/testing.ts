/**
 * Test helpers for the sync engine: the sync API as a signed-in user calls it (through tRPC,
 * so the contract's input and output schemas are checked too), a minimal device that keeps
 * what it pulls, and what the database holds for a user, read independently of pull.ts.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../db';
import { faultCategories, followUps, jobParts, jobs, parts } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { createCallerFactory, router } from '../trpc/core';
import { syncRouter } from '../trpc/routers/sync';
import type { MutationArgs, MutationEnvelope, MutationName, PullOutput } from '../../shared/sync';

const createCaller = createCallerFactory(router({ sync: syncRouter }));

export function syncApi(db: Database, user: SessionUser) {
	return createCaller({ db, user }).sync;
}

type Changes = PullOutput['changes'];
type Rows = { [K in keyof Changes]: Map<string, Changes[K][number]> };

/**
 * A new job as a technician's phone makes it: naming a customer, a device and a fault, which
 * the server requires of a technician's job (shared/job-completeness.ts). Tests that leave them
 * out are about something else; rework-gaming.test.ts pushes empty jobs past this on purpose.
 */
function withEssentials<N extends MutationName>(name: N, args: MutationArgs<N>): MutationArgs<N> {
	if (name !== 'job.create') return args;
	const job = args as MutationArgs<'job.create'>;
	return {
		...job,
		customerPhone: job.customerPhone || (job.customerName ? '' : '10000'),
		productModel: job.productModel || (job.deviceSerial ? '' : 'Model'),
		faultDescription: job.faultDescription || (job.faultCategoryId ? '' : 'Fault')
	} as MutationArgs<N>;
}

/** A device of one user: an outbox with increasing ids, a cursor, and the rows it pulled. */
export class TestDevice {
	readonly clientId: string;
	cursor: string | null = null;
	lastMutationId = 0;
	readonly outbox: MutationEnvelope[] = [];
	readonly rows: Rows = emptyRows();
	readonly pulls: PullOutput[] = [];
	private nextId = 1;
	private pulling: Promise<unknown> = Promise.resolve();

	constructor(
		readonly db: Database,
		readonly user: SessionUser,
		clientId: string = randomUUID()
	) {
		this.clientId = clientId;
	}

	/** Queues a mutation (as the outbox would) and returns its envelope. */
	record<N extends MutationName>(
		name: N,
		args: MutationArgs<N>,
		madeAt = new Date()
	): MutationEnvelope {
		const envelope = { id: this.nextId++, name, args: withEssentials(name, args), madeAt };
		this.outbox.push(envelope);
		return envelope;
	}

	/** Pushes the given envelopes (default: the whole outbox) and returns the answer. */
	push(envelopes: MutationEnvelope[] = this.outbox) {
		return syncApi(this.db, this.user).push({ clientId: this.clientId, mutations: envelopes });
	}

	/** Records one mutation, pushes it alone, and returns its result. */
	async send<N extends MutationName>(name: N, args: MutationArgs<N>, madeAt = new Date()) {
		const answer = await this.push([this.record(name, args, madeAt)]);
		return answer.results[answer.results.length - 1];
	}

	/** One pull at a time, as on a real device: an older answer must never land after a newer. */
	pull(): Promise<PullOutput> {
		const next = this.pulling.then(() => this.pullNow());
		this.pulling = next.catch(() => undefined);
		return next;
	}

	private async pullNow(): Promise<PullOutput> {
		const answer = await syncApi(this.db, this.user).pull({
			clientId: this.clientId,
			cursor: this.cursor
		});
		this.pulls.push(answer);
		if (answer.reset) Object.assign(this.rows, emptyRows());
		for (const key of Object.keys(this.rows) as (keyof Rows)[]) {
			const table = this.rows[key] as Map<string, { id: string }>;
			for (const row of answer.changes[key]) table.set(row.id, row);
		}
		for (const key of Object.keys(this.rows) as (keyof Rows)[]) {
			for (const id of answer.deletes[key]) this.rows[key].delete(id);
		}
		// As on the device (client/sync/apply-pull.ts), a job that leaves takes its children along.
		const jobsGone = new Set(answer.deletes.jobs);
		for (const children of [this.rows.jobParts, this.rows.followUps]) {
			for (const [id, child] of children) if (jobsGone.has(child.jobId)) children.delete(id);
		}
		this.cursor = answer.cursor;
		this.lastMutationId = answer.lastMutationId;
		return answer;
	}

	/** The device's copy, sorted, in the shape `serverCopy` gives. */
	copy() {
		return sortedCopy(this.rows);
	}
}

function emptyRows(): Rows {
	return {
		jobs: new Map(),
		jobParts: new Map(),
		followUps: new Map(),
		parts: new Map(),
		faultCategories: new Map()
	};
}

function sortedCopy(rows: Rows) {
	const sorted = <T extends { id: string }>(values: Iterable<T>) =>
		[...values].sort((a, b) => a.id.localeCompare(b.id));
	return {
		jobs: sorted(rows.jobs.values()),
		jobParts: sorted(rows.jobParts.values()),
		followUps: sorted(rows.followUps.values()),
		parts: sorted(rows.parts.values()),
		faultCategories: sorted(rows.faultCategories.values())
	};
}

/**
 * What the database holds for this user's devices, by plain queries: a technician's own jobs
 * with their lines and follow-ups, or the station's; and the station's catalog.
 */
export async function serverCopy(db: Database, user: SessionUser) {
	const ownJobs: SQL | undefined = and(
		eq(jobs.stationId, user.stationId),
		user.role === 'technician' ? eq(jobs.technicianId, user.id) : undefined
	);
	const [jobRows, lineRows, followUpRows, partRows, categoryRows] = await Promise.all([
		db.select().from(jobs).where(ownJobs),
		db
			.select({ line: jobParts })
			.from(jobParts)
			.innerJoin(jobs, and(eq(jobs.stationId, jobParts.stationId), eq(jobs.id, jobParts.jobId)))
			.where(ownJobs),
		db
			.select({ followUp: followUps })
			.from(followUps)
			.innerJoin(jobs, and(eq(jobs.stationId, followUps.stationId), eq(jobs.id, followUps.jobId)))
			.where(ownJobs),
		db.select().from(parts).where(eq(parts.stationId, user.stationId)),
		db.select().from(faultCategories).where(eq(faultCategories.stationId, user.stationId))
	]);
	const rows = emptyRows();
	for (const job of jobRows) {
		rows.jobs.set(job.id, {
			id: job.id,
			jobNo: job.jobNo,
			technicianId: job.technicianId,
			customerName: job.customerName,
			customerPhone: job.customerPhone,
			customerAddress: job.customerAddress,
			productModel: job.productModel,
			deviceSerial: job.deviceSerial,
			faultCategoryId: job.faultCategoryId,
			faultDescription: job.faultDescription,
			reportedAt: job.reportedAt,
			arrivedAt: job.arrivedAt,
			startedAt: job.startedAt,
			completedAt: job.completedAt,
			status: job.status,
			outcome: job.outcome,
			previousJobId: user.role === 'technician' ? null : job.previousJobId,
			notes: job.notes,
			verifiedAt: job.verifiedAt,
			updatedAt: job.updatedAt,
			origin: job.origin,
			urgency: job.urgency,
			assignedAt: job.assignedAt,
			dispatched:
				job.status === 'open' &&
				(job.origin === 'desk' ||
					(job.reportedBy !== null &&
						job.technicianId !== null &&
						job.reportedBy !== job.technicianId))
		});
	}
	for (const { line } of lineRows) {
		const { id, jobId, partId, qty, unitCost, createdAt } = line;
		rows.jobParts.set(id, { id, jobId, partId, qty, unitCost, createdAt });
	}
	for (const { followUp } of followUpRows) {
		const { id, jobId, userId, visitedAt, channel, satisfaction, issueResolved, comment } =
			followUp;
		rows.followUps.set(id, {
			id,
			jobId,
			userId,
			visitedAt,
			channel,
			satisfaction,
			issueResolved,
			comment
		});
	}
	for (const { id, sku, name, unitCost, unit, active } of partRows) {
		rows.parts.set(id, { id, sku, name, unitCost, unit, active });
	}
	for (const { id, code, name, standardMinutes, active } of categoryRows) {
		rows.faultCategories.set(id, { id, code, name, standardMinutes, active });
	}
	return sortedCopy(rows);
}
