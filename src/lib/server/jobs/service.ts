/**
 * Jobs: what a person may read and change. tRPC procedures and the sync engine call these
 * functions, so permissions and validation live in one place.
 *
 * Every write takes a Queryable: given the database it runs in a transaction of its own;
 * given a transaction (a sync push applies many mutations in one) it joins it. Each change
 * locks the job row first, so the checks made on it still hold when the change is written,
 * and the `job_history_record` trigger keeps every overwritten value.
 */
import { refusal } from '../refusal';
import { and, asc, desc, eq, inArray, is, ne, SQL, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { Queryable, Transaction } from '../db';
import { recordset, type BulkRow } from '../db/bulk';
import { translateDbError } from '../db/errors';
import { queryRows } from '../db/rows';
import {
	faultCategories,
	followUps,
	jobHistory,
	jobParts,
	jobs,
	parts,
	users,
	type Job
} from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import type { completeJobSchema, jobFieldsSchema, newJobSchema } from '../../shared/schemas';
import {
	carryingChangeContext,
	inTransaction,
	setChangeReason,
	type ChangeContext
} from '../sync/change-context';
import {
	editableJobCondition,
	jobEditableBy,
	jobIdsOf,
	jobVisibleTo,
	mayChangeJobs,
	requireJobWorker,
	requireSupervisor
} from './access';

export async function listJobs(
	db: Queryable,
	user: SessionUser,
	options: { technicianId?: string; limit: number }
) {
	const technicianId = user.role === 'technician' ? user.id : options.technicianId;
	return db
		.select({
			id: jobs.id,
			jobNo: jobs.jobNo,
			technicianId: jobs.technicianId,
			technicianName: users.name,
			customerName: jobs.customerName,
			productModel: jobs.productModel,
			faultCategoryName: faultCategories.name,
			status: jobs.status,
			outcome: jobs.outcome,
			reportedAt: jobs.reportedAt,
			completedAt: jobs.completedAt
		})
		.from(jobs)
		.innerJoin(users, and(eq(users.stationId, jobs.stationId), eq(users.id, jobs.technicianId)))
		.leftJoin(
			faultCategories,
			and(
				eq(faultCategories.stationId, jobs.stationId),
				eq(faultCategories.id, jobs.faultCategoryId)
			)
		)
		.where(
			and(
				eq(jobs.stationId, user.stationId),
				technicianId ? eq(jobs.technicianId, technicianId) : undefined
			)
		)
		.orderBy(desc(jobs.reportedAt), desc(jobs.jobNo))
		.limit(options.limit);
}

export async function getJob(db: Queryable, user: SessionUser, jobId: string) {
	const job = await jobVisibleTo(db, user, jobId);
	const [partLines, contacts] = await Promise.all([
		db
			.select({
				id: jobParts.id,
				partId: jobParts.partId,
				sku: parts.sku,
				name: parts.name,
				unit: parts.unit,
				qty: jobParts.qty,
				unitCost: jobParts.unitCost
			})
			.from(jobParts)
			.innerJoin(parts, and(eq(parts.stationId, jobParts.stationId), eq(parts.id, jobParts.partId)))
			.where(and(eq(jobParts.stationId, user.stationId), eq(jobParts.jobId, jobId)))
			.orderBy(asc(jobParts.createdAt)),
		db
			.select()
			.from(followUps)
			.where(and(eq(followUps.stationId, user.stationId), eq(followUps.jobId, jobId)))
			.orderBy(asc(followUps.visitedAt))
	]);
	return { job, parts: partLines, followUps: contacts };
}

type NewJobInput = z.infer<typeof newJobSchema> & { technicianId?: string };

/** A new job; its id is made by the client. An id already taken is a CONFLICT. */
export async function createJob(
	db: Queryable,
	user: SessionUser,
	input: NewJobInput
): Promise<Job> {
	requireJobWorker(user);
	let created: Job | undefined;
	try {
		[created] = await db
			.insert(jobs)
			.values(newJobRow(user, input))
			.onConflictDoNothing({ target: [jobs.stationId, jobs.id] })
			.returning();
	} catch (error) {
		translateDbError(error);
	}
	if (!created) {
		throw refusal('CONFLICT', `A job with id ${input.id} already exists.`, 'job_id_taken');
	}
	return created;
}

/** A step applied to a job as it is created (a sync push folds a new job's steps into it). */
export interface FoldedStep {
	step: JobStep;
	/** The mutation that made the step, and the device's clock then: kept in the history. */
	mutationId: number;
	deviceTime: Date;
}

export type NewJobWithSteps = NewJobInput & { steps?: readonly FoldedStep[] };

/**
 * New jobs as one INSERT; true when every one was created. False when an id is taken (createJob
 * says why) or this user may not create jobs. Other refusals throw, as in createJob.
 *
 * A job may come with steps to apply as it is created (rounds.ts decides which may): the row is
 * inserted as the steps leave it, and the history records each step's changes as the
 * `job_history_record` trigger would have recorded its UPDATE, with the step's own mutation and
 * device time. A new job of this user passes every step's rule (it is open, unverified and
 * theirs), so no rule is checked.
 */
export async function tryCreateJobs(
	tx: Transaction,
	user: SessionUser,
	inputs: readonly NewJobWithSteps[],
	context: ChangeContext
): Promise<boolean> {
	if (inputs.length === 0) return true;
	// Refused one by one, where createJob says why.
	if (!mayChangeJobs(user)) return false;
	const history: FoldedChange[] = [];
	const rows = inputs.map((input) => {
		const row = newJobRow(user, input);
		for (const { step, mutationId, deviceTime } of input.steps ?? []) {
			for (const change of foldStep(row, step)) {
				history.push({ ...change, jobId: input.id, mutationId, deviceTime });
			}
		}
		return row;
	});
	const created = recordset(jobs, rows);
	try {
		// Sent together: the history names no job by foreign key, and a failure of either
		// aborts the transaction, which the caller then rolls back.
		const [inserted] = await Promise.all([
			queryRows<{ id: string }>(
				tx,
				sql`INSERT INTO ${jobs} (${created.targets})
					SELECT ${created.values} FROM ${created.source}
					ON CONFLICT (station_id, id) DO NOTHING
					RETURNING id::text AS id`
			),
			recordFoldedHistory(tx, user, context, history)
		]);
		return inserted.length === inputs.length;
	} catch (error) {
		translateDbError(error);
	}
}

/** A job row as newJobRow builds it, keyed by drizzle property. */
type NewJobRow = ReturnType<typeof newJobRow>;

interface FoldedChange {
	jobId: string;
	/** The column, as the trigger names it (snake_case). */
	field: string;
	isTime: boolean;
	oldValue: unknown;
	newValue: unknown;
	mutationId: number;
	deviceTime: Date;
}

/** Applies `step` to a row being created; returns the values it changed, old and new. */
function foldStep(
	row: NewJobRow,
	step: JobStep
): Omit<FoldedChange, 'jobId' | 'mutationId' | 'deviceTime'>[] {
	const values = row as Record<string, unknown>;
	const changes = [];
	for (const [key, change] of Object.entries(step.changes)) {
		const next = change === STARTED_STATUS ? startedStatus(row.status) : change;
		if (is(next, SQL) || !(key in jobs)) throw new Error(`A ${key} change cannot be folded`);
		const previous = values[key] ?? null;
		if (!sameValue(previous, next ?? null)) {
			const column = jobs[key as keyof typeof jobs.$inferInsert];
			changes.push({
				field: column.name,
				isTime: column.getSQLType() === 'timestamp with time zone',
				oldValue: previous,
				newValue: next ?? null
			});
		}
		values[key] = next ?? null;
	}
	// In the order the trigger writes them: jsonb keeps keys sorted by length, then bytes.
	return changes.sort((a, b) => a.field.length - b.field.length || (a.field < b.field ? -1 : 1));
}

/** As IS NOT DISTINCT FROM compares the trigger's values. */
function sameValue(a: unknown, b: unknown): boolean {
	if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
	return a === b;
}

/**
 * The history rows of folded steps, their values as the trigger's to_jsonb(NEW) renders them:
 * text as it is, a time through timestamptz (so "2026-03-02T01:30:00+00:00" in the session's
 * zone), an empty value as JSON null.
 */
async function recordFoldedHistory(
	tx: Transaction,
	user: SessionUser,
	context: ChangeContext,
	changes: readonly FoldedChange[]
): Promise<void> {
	if (changes.length === 0) return;
	const rendered = (value: SQL) =>
		sql`coalesce(CASE WHEN h."isTime" THEN to_jsonb((${value} #>> '{}')::timestamptz) ELSE ${value} END, 'null'::jsonb)`;
	await tx.execute(sql`
		INSERT INTO ${jobHistory} (station_id, job_id, field, old_value, new_value,
			changed_by, device_time, client_id, mutation_id)
		SELECT ${user.stationId}::uuid, h."jobId", h.field, ${rendered(sql`h."oldValue"`)},
			${rendered(sql`h."newValue"`)}, ${context.changedBy}::uuid, h."deviceTime",
			${context.clientId ?? null}::uuid, h."mutationId"
		FROM jsonb_to_recordset(${JSON.stringify(changes)}::text::jsonb) AS h(
			"jobId" uuid, field text, "isTime" boolean, "oldValue" jsonb, "newValue" jsonb,
			"mutationId" bigint, "deviceTime" timestamptz
		)`);
}

function newJobRow(user: SessionUser, input: NewJobInput) {
	if (user.role === 'technician' && input.technicianId && input.technicianId !== user.id) {
		throw refusal('FORBIDDEN', 'Technicians can only create jobs for themselves.', 'own_jobs_only');
	}
	return {
		stationId: user.stationId,
		id: input.id,
		jobNo: input.jobNo,
		technicianId: input.technicianId ?? user.id,
		customerName: input.customerName,
		customerPhone: input.customerPhone,
		customerAddress: input.customerAddress,
		productModel: input.productModel,
		deviceSerial: input.deviceSerial,
		faultCategoryId: input.faultCategoryId ?? null,
		faultDescription: input.faultDescription,
		notes: input.notes,
		reportedAt: input.reportedAt,
		previousJobId: input.previousJobId ?? null,
		status: 'open' as Job['status'],
		arrivedAt: null as Date | null,
		startedAt: null as Date | null,
		completedAt: null as Date | null,
		outcome: null as Job['outcome']
	};
}

/** Starting makes an open job in progress; any other status stays. */
const STARTED_STATUS = sql`CASE WHEN ${jobs.status} = 'open' THEN 'in_progress'::job_status ELSE ${jobs.status} END`;

function startedStatus(status: Job['status']): Job['status'] {
	return status === 'open' ? 'in_progress' : status;
}

export type JobFieldEdits = Partial<z.output<typeof jobFieldsSchema>>;

/**
 * The steps of a visit, each a change of the job row and what the row must allow: run by
 * the functions below, or tried on many jobs in one statement by a sync push (tryJobSteps).
 */
export const jobSteps = {
	/** Customer, device and fault facts; fields left out (undefined) stay as they are. */
	update: (input: { jobId: string; fields: JobFieldEdits }): JobStep => ({
		jobId: input.jobId,
		changes: definedEntries(input.fields),
		rule: ANY_STATE
	}),
	/** "Arrived at the customer", with the device's clock. */
	arrive: (input: { jobId: string; at: Date }): JobStep => ({
		jobId: input.jobId,
		changes: { arrivedAt: input.at },
		rule: notCancelled('record an arrival')
	}),
	/** "Started the repair", with the device's clock; an open job becomes in progress. */
	start: (input: { jobId: string; at: Date }): JobStep => ({
		jobId: input.jobId,
		changes: { startedAt: input.at, status: STARTED_STATUS },
		rule: notCancelled('start the repair')
	}),
	complete: (input: z.infer<typeof completeJobSchema>): JobStep => ({
		jobId: input.jobId,
		changes: definedEntries({
			status: 'completed' as const,
			outcome: input.outcome,
			completedAt: input.completedAt,
			notes: input.notes
		}),
		rule: notCancelled('complete it')
	})
};

export function updateJobFields(
	db: Queryable,
	user: SessionUser,
	input: { jobId: string; fields: JobFieldEdits }
): Promise<Job> {
	return inTransaction(db, user, (tx) => runJobStep(tx, user, jobSteps.update(input)));
}

export function recordArrival(
	db: Queryable,
	user: SessionUser,
	input: { jobId: string; at: Date }
): Promise<Job> {
	return inTransaction(db, user, (tx) => runJobStep(tx, user, jobSteps.arrive(input)));
}

export function recordStart(
	db: Queryable,
	user: SessionUser,
	input: { jobId: string; at: Date }
): Promise<Job> {
	return inTransaction(db, user, (tx) => runJobStep(tx, user, jobSteps.start(input)));
}

export function completeJob(
	db: Queryable,
	user: SessionUser,
	input: z.infer<typeof completeJobSchema>
): Promise<Job> {
	return inTransaction(db, user, (tx) => runJobStep(tx, user, jobSteps.complete(input)));
}

export interface JobTimeCorrection {
	jobId: string;
	reportedAt?: Date;
	arrivedAt?: Date | null;
	startedAt?: Date | null;
	completedAt?: Date;
	/** Kept in the job's history with the old and new times. */
	reason: string;
}

/** Corrects recorded times afterwards; times left out (undefined) stay as they are. */
export function setJobTimes(
	db: Queryable,
	user: SessionUser,
	input: JobTimeCorrection
): Promise<Job> {
	return inTransaction(db, user, async (tx) => {
		const job = await jobEditableBy(tx, user, input.jobId, { lock: true });
		if (input.completedAt !== undefined && job.status !== 'completed') {
			throw refusal(
				'BAD_REQUEST',
				`Job ${job.jobNo} is not completed, so it has no completion time to correct.`,
				'job_not_completed',
				{ jobNo: job.jobNo }
			);
		}
		const { reportedAt, arrivedAt, startedAt, completedAt } = input;
		await setChangeReason(tx, input.reason);
		return writeJob(tx, job, definedEntries({ reportedAt, arrivedAt, startedAt, completedAt }));
	});
}

/** Cancels a job with a reason. Only a supervisor can cancel a completed job. */
export function cancelJob(
	db: Queryable,
	user: SessionUser,
	input: { jobId: string; reason: string }
): Promise<Job> {
	return inTransaction(db, user, async (tx) => {
		const job = await jobEditableBy(tx, user, input.jobId, { lock: true });
		if (job.status === 'cancelled') return job;
		if (job.status === 'completed' && user.role === 'technician') {
			throw refusal(
				'FORBIDDEN',
				`Job ${job.jobNo} is completed; only a supervisor can cancel it.`,
				'job_completed',
				{ jobNo: job.jobNo }
			);
		}
		await setChangeReason(tx, input.reason);
		return writeJob(tx, job, { status: 'cancelled', outcome: null });
	});
}

/** Gives the job to another technician of the station (supervisors only). */
export async function assignJob(
	db: Queryable,
	user: SessionUser,
	input: { jobId: string; technicianId: string }
): Promise<Job> {
	requireSupervisor(user, 'assign jobs');
	return inTransaction(db, user, async (tx) => {
		const job = await jobVisibleTo(tx, user, input.jobId, { lock: true });
		if (job.technicianId === input.technicianId) return job;
		const [technician] = await tx
			.select({ id: users.id })
			.from(users)
			.where(
				and(
					eq(users.stationId, user.stationId),
					eq(users.id, input.technicianId),
					eq(users.role, 'technician'),
					eq(users.active, true)
				)
			)
			.limit(1);
		if (!technician) {
			throw refusal(
				'BAD_REQUEST',
				`User ${input.technicianId} is not an active technician of this station.`,
				'not_active_technician'
			);
		}
		return writeJob(tx, job, { technicianId: technician.id });
	});
}

/**
 * Marks a completed job as checked (supervisors only); from then on its technician can no
 * longer change it. Verifying again keeps the first verification.
 */
export async function verifyJob(
	db: Queryable,
	user: SessionUser,
	input: { jobId: string; at: Date }
): Promise<Job> {
	requireSupervisor(user, 'verify jobs');
	return inTransaction(db, user, async (tx) => {
		const job = await jobVisibleTo(tx, user, input.jobId, { lock: true });
		if (job.status !== 'completed') {
			throw refusal(
				'BAD_REQUEST',
				`Job ${job.jobNo} is not completed; only completed jobs can be verified.`,
				'job_not_completed',
				{ jobNo: job.jobNo }
			);
		}
		if (job.verifiedAt) return job;
		return writeJob(tx, job, { verifiedAt: input.at, verifiedBy: user.id });
	});
}

type JobChanges = PgUpdateSetSource<typeof jobs>;

/** What an action requires of the job's row beyond the user's right to change it. */
interface JobRule {
	/** The requirement as a condition on `jobs`. */
	allowed: SQL | undefined;
	/** The same requirement checked on a row: throws the reason when it does not hold. */
	refuse(job: Job): void;
}

export interface JobStep {
	jobId: string;
	changes: JobChanges;
	rule: JobRule;
}

const ANY_STATE: JobRule = { allowed: undefined, refuse: () => {} };

function notCancelled(action: string): JobRule {
	return {
		allowed: ne(jobs.status, 'cancelled'),
		refuse(job) {
			if (job.status === 'cancelled') {
				throw refusal(
					'BAD_REQUEST',
					`Job ${job.jobNo} is cancelled, so you cannot ${action}.`,
					'job_cancelled',
					{ jobNo: job.jobNo }
				);
			}
		}
	};
}

/** The jobs of the station this user may change and the rule allows changing. */
function stepAllowed(user: SessionUser, rule: JobRule): SQL | undefined {
	return and(eq(jobs.stationId, user.stationId), editableJobCondition(user), rule.allowed);
}

/**
 * Runs a step: one UPDATE when the user may change the job and the rule allows it (the
 * usual case). When nothing changed, it finds out why under a row lock and throws that
 * reason; if nothing refuses it any more, the row changed in between, and the change is made
 * under the lock.
 */
async function runJobStep(tx: Transaction, user: SessionUser, step: JobStep): Promise<Job> {
	if (Object.keys(step.changes).length === 0) return jobEditableBy(tx, user, step.jobId);
	const [changed] = await updateJobs(
		tx,
		and(eq(jobs.id, step.jobId), stepAllowed(user, step.rule)),
		step.changes
	);
	if (changed) return changed;
	const job = await jobEditableBy(tx, user, step.jobId, { lock: true });
	step.rule.refuse(job);
	return writeJob(tx, job, step.changes);
}

/**
 * Steps of one kind, each on a different job, as one UPDATE that carries each job's history
 * context. True when every job changed; false when any job is missing, not this user's to
 * change or refused by the rule (runJobStep says which). Nothing is written then only if the
 * caller rolls back, which the sync push does. The steps must change the same columns, and a
 * value given as SQL must be the same for all of them.
 */
export async function tryJobSteps(
	tx: Transaction,
	user: SessionUser,
	steps: readonly JobStep[],
	context: ChangeContext
): Promise<boolean> {
	const [first] = steps;
	const columns = Object.keys(first?.changes ?? {}) as (keyof JobChanges & keyof typeof jobs)[];
	if (columns.length === 0) return false;
	// Plain values travel per job in the recordset; SQL values (a CASE on the row) apply as is.
	const perJob = columns.filter((key) => !is(first.changes[key], SQL));
	const rows = steps.map((step) => ({
		id: step.jobId,
		...Object.fromEntries(perJob.map((key) => [key, step.changes[key] ?? null]))
	})) as Partial<BulkRow<typeof jobs>>[];
	const input = recordset(jobs, rows);
	const assignments = columns.map((key) => {
		const value = first.changes[key];
		const target = sql.identifier(jobs[key].name);
		return is(value, SQL) ? sql`${target} = ${value}` : sql`${target} = r.${sql.identifier(key)}`;
	});
	try {
		const changed = await queryRows<{ id: string }>(
			tx,
			sql`UPDATE ${jobs} SET ${sql.join(assignments, sql`, `)}, "updated_at" = now()
				FROM ${input.source}
				WHERE ${and(
					eq(jobs.id, sql`r."id"`),
					inArray(jobs.id, jobIdsOf(steps)),
					stepAllowed(user, first.rule),
					carryingChangeContext(context)
				)}
				RETURNING ${jobs.id}::text AS id`
		);
		return changed.length === steps.length;
	} catch (error) {
		translateDbError(error);
	}
}

async function updateJobs(tx: Transaction, where: SQL | undefined, changes: JobChanges) {
	try {
		return await tx
			.update(jobs)
			.set({ ...changes, updatedAt: sql`now()` })
			.where(where)
			.returning();
	} catch (error) {
		translateDbError(error);
	}
}

/** Changes a job already checked (and locked) by the caller. */
async function writeJob(tx: Transaction, job: Job, changes: JobChanges): Promise<Job> {
	const key = and(eq(jobs.stationId, job.stationId), eq(jobs.id, job.id));
	const [updated] = await updateJobs(tx, key, changes);
	return updated;
}

function definedEntries<T extends object>(values: T): Partial<T> {
	return Object.fromEntries(
		Object.entries(values).filter(([, value]) => value !== undefined)
	) as Partial<T>;
}
