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
import { and, asc, desc, eq, ne, SQL, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { Queryable, Transaction } from '../db';
import { inTransaction, setChangeReason } from '../db/change-context';
import { translateDbError } from '../db/errors';
import { faultCategories, followUps, jobParts, jobs, parts, users, type Job } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { isSupervisor } from '../../shared/roles';
import { missingEssentials } from '../../shared/job-completeness';
import type { completeJobSchema, jobFieldsSchema, newJobSchema } from '../../shared/schemas';
import type { SignedCompletion } from '../../shared/signature';
import type { StepPosition } from '../../shared/step-position';
import {
	editableJobCondition,
	jobCorrectableBy,
	jobEditableBy,
	jobVisibleTo,
	recordsVisits,
	requireDesk,
	requireDeviceJobCreator,
	requireLinkable,
	requireLinkableOwner,
	requireSupervisor,
	requireVisitRecorder,
	technicianScope
} from './access';
import { jobForVisitFact } from './offline-work';
import { keepSignature, requireSignatureWhereDue } from './signatures';
import {
	forgetStepEntries,
	recordStepEntries,
	refuseStepTimes,
	stepsOf,
	stepTimesAllowed,
	timeKeysOf
} from './step-times';

export async function listJobs(
	db: Queryable,
	user: SessionUser,
	options: { technicianId?: string; limit: number }
) {
	const technicianId = technicianScope(user) ?? options.technicianId;
	return (
		db
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
			// Left: a job the desk has not dispatched yet has no technician.
			.leftJoin(users, and(eq(users.stationId, jobs.stationId), eq(users.id, jobs.technicianId)))
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
			.limit(options.limit)
	);
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

export type NewJobInput = z.infer<typeof newJobSchema> & { technicianId?: string };

/**
 * A new job made on a device (walk-in, found on site); its id, number and reported time are
 * the device's. An id already taken is a CONFLICT. The desk opens jobs from calls instead
 * (jobs/intake.ts).
 */
export async function createJob(
	db: Queryable,
	user: SessionUser,
	input: NewJobInput
): Promise<Job> {
	requireDeviceJobCreator(user);
	const row = newJobRow(user, input);
	return inTransaction(db, user, async (tx) => {
		if (row.previousJobId) await requireLinkableOwner(tx, user, row.previousJobId);
		let created: Job | undefined;
		try {
			[created] = await tx
				.insert(jobs)
				.values(row)
				.onConflictDoNothing({ target: [jobs.stationId, jobs.id] })
				.returning();
		} catch (error) {
			translateDbError(error);
		}
		if (!created) {
			throw refusal('CONFLICT', `A job with id ${input.id} already exists.`, 'job_id_taken');
		}
		if (created.previousJobId) await requireLinkable(tx, user, created.id);
		return created;
	});
}

/**
 * The row of a job made on a device, refusing a technician who names another technician: marked
 * technician-made (roles.md), with who saved it. The tRPC create and the push's fast path
 * (sync/bulk/jobs.ts) both build it here.
 */
export function newJobRow(user: SessionUser, input: NewJobInput) {
	const ownJobsOnly = technicianScope(user);
	if (ownJobsOnly !== null && input.technicianId && input.technicianId !== ownJobsOnly) {
		throw refusal('FORBIDDEN', 'Technicians can only create jobs for themselves.', 'own_jobs_only');
	}
	const [missing] = ownJobsOnly === null ? [] : missingEssentials(input);
	if (missing) {
		throw refusal(
			'BAD_REQUEST',
			`A technician's job must name the customer, the device and the fault; the ${missing} is missing.`,
			`job_needs_${missing}`
		);
	}
	refuseStepTimes(user, { jobNo: input.jobNo, ...NO_TIMES }, { reportedAt: input.reportedAt });
	return {
		stationId: user.stationId,
		id: input.id,
		jobNo: input.jobNo,
		technicianId: input.technicianId ?? user.id,
		// Made through the phone's sync (or its tRPC twin): on site, by whoever saved it.
		origin: 'technician' as Job['origin'],
		reportedBy: user.id,
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

/** A job before any of its times is known: every time a new job has is a change. */
const NO_TIMES = { reportedAt: null, arrivedAt: null, startedAt: null, completedAt: null };

/** Starting makes an open job in progress; any other status stays. */
export const STARTED_STATUS = sql`CASE WHEN ${jobs.status} = 'open' THEN 'in_progress'::job_status ELSE ${jobs.status} END`;

export function startedStatus(status: Job['status']): Job['status'] {
	return status === 'open' ? 'in_progress' : status;
}

type JobFieldEdits = Partial<z.output<typeof jobFieldsSchema>>;

/**
 * The steps of a visit, each a change of the job row and what the row must allow: run by
 * the functions below, or tried on many jobs in one statement by a sync push (tryJobSteps).
 */
export const jobSteps = {
	/**
	 * Customer, device and fault facts; fields left out (undefined) stay as they are. Notes are
	 * the technician's until verification; changing the other facts is a correction.
	 */
	update: (input: { jobId: string; fields: JobFieldEdits }): JobStep => ({
		jobId: input.jobId,
		changes: definedEntries(input.fields),
		rule: correctsJob(input.fields) ? CORRECTION : ANY_STATE
	}),
	/** "Arrived at the customer", with the device's clock, and where when the phone said. */
	arrive: (input: ArrivalInput): JobStep => ({
		jobId: input.jobId,
		changes: { arrivedAt: input.at },
		rule: notCancelled('record an arrival'),
		position: input.position
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
		rule: notCancelled('complete it'),
		position: input.position
	})
};

interface ArrivalInput {
	jobId: string;
	at: Date;
	position?: StepPosition;
}

/**
 * Customer, device and fault facts, and notes. Whoever records visits edits them as a step of
 * the visit; the desk corrects the facts of a job not yet completed (roles.md "Correct or
 * cancel"), never its notes, which are the technician's record of the visit.
 */
export function updateJobFields(
	db: Queryable,
	user: SessionUser,
	input: { jobId: string; fields: JobFieldEdits }
): Promise<Job> {
	return inTransaction(db, user, async (tx) => {
		if (recordsVisits(user)) return runJobStep(tx, user, jobSteps.update(input));
		if (input.fields.notes !== undefined) requireVisitRecorder(user);
		const job = await jobCorrectableBy(tx, user, input.jobId, { lock: true });
		const changes = definedEntries(input.fields);
		return Object.keys(changes).length === 0 ? job : writeJob(tx, job, changes);
	});
}

export function recordArrival(db: Queryable, user: SessionUser, input: ArrivalInput): Promise<Job> {
	return inTransaction(db, user, (tx) => runJobStep(tx, user, jobSteps.arrive(input)));
}

export function recordStart(
	db: Queryable,
	user: SessionUser,
	input: { jobId: string; at: Date }
): Promise<Job> {
	return inTransaction(db, user, (tx) => runJobStep(tx, user, jobSteps.start(input)));
}

/** A completion, with the customer's signature when given (jobs/signatures.ts). */
export function completeJob(
	db: Queryable,
	user: SessionUser,
	input: SignedCompletion
): Promise<Job> {
	return inTransaction(db, user, async (tx) => {
		await requireSignatureWhereDue(tx, user, input.jobId, input.signature !== undefined);
		const completed = await runJobStep(tx, user, jobSteps.complete(input));
		if (input.signature) await keepSignature(tx, user, completed.id, input.signature);
		return completed;
	});
}

interface JobTimeCorrection {
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
		const job = await jobForVisitFact(tx, user, input.jobId);
		if (input.completedAt !== undefined && job.status !== 'completed') {
			throw refusal(
				'BAD_REQUEST',
				`Job ${job.jobNo} is not completed, so it has no completion time to correct.`,
				'job_not_completed',
				{ jobNo: job.jobNo }
			);
		}
		refuseDeskTimeChange(user, job, input.reportedAt);
		const { reportedAt, arrivedAt, startedAt, completedAt } = input;
		const changes = definedEntries({ reportedAt, arrivedAt, startedAt, completedAt });
		refuseStepTimes(user, job, changes);
		await setChangeReason(tx, input.reason);
		const updated = await writeJob(tx, job, changes);
		// Typed by hand: only the times this correction actually moved.
		const moved = timeKeysOf(changes).filter(
			(key) => job[key]?.getTime() !== updated[key]?.getTime()
		);
		await Promise.all([
			recordStepEntries(tx, user, job.id, stepsOf(moved.filter((key) => updated[key])), 'typed'),
			forgetStepEntries(tx, user, job.id, stepsOf(moved.filter((key) => !updated[key])))
		]);
		return updated;
	});
}

/**
 * The reported time of a job the desk opened is the desk's server clock when it saved the call,
 * and response time is measured from it (kpi.md): a technician may not move it. Supervisors may
 * still correct it, with a reason, like any time.
 */
function refuseDeskTimeChange(user: SessionUser, job: Job, reportedAt: Date | undefined): void {
	if (reportedAt === undefined || technicianScope(user) === null || job.origin !== 'desk') return;
	if (reportedAt.getTime() === job.reportedAt.getTime()) return;
	throw refusal(
		'FORBIDDEN',
		`Job ${job.jobNo} was opened by the desk, which owns its reported time.`,
		'reported_time_desk_owned',
		{ jobNo: job.jobNo }
	);
}

/**
 * Cancels a job with a reason. Only a supervisor can cancel a completed job (the desk is
 * refused by jobCorrectableBy, a technician here).
 */
export function cancelJob(
	db: Queryable,
	user: SessionUser,
	input: { jobId: string; reason: string }
): Promise<Job> {
	return inTransaction(db, user, async (tx) => {
		const job = await jobCorrectableBy(tx, user, input.jobId, { lock: true });
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

/**
 * Gives the job to an active technician of the station (the desk and supervisors, roles.md).
 * The first assignment of an undispatched job needs no reason; taking it from a technician
 * does, kept in the job's history. A cancelled job keeps its technician, and so does a
 * completed one, but for a supervisor's correction of who did the work (roles.md: the desk
 * corrects before completion, a supervisor with a reason). assigned_at is the server's clock,
 * as the board measures from it.
 */
export async function assignJob(
	db: Queryable,
	user: SessionUser,
	input: { jobId: string; technicianId: string; reason?: string }
): Promise<Job> {
	requireDesk(user);
	return inTransaction(db, user, async (tx) => {
		const job = await jobVisibleTo(tx, user, input.jobId, { lock: true });
		if (job.technicianId === input.technicianId) return job;
		if (job.status === 'cancelled' || (job.status === 'completed' && !isSupervisor(user))) {
			throw refusal(
				'BAD_REQUEST',
				`Job ${job.jobNo} is ${job.status}, so it can no longer be assigned.`,
				'job_closed_for_assignment',
				{ jobNo: job.jobNo }
			);
		}
		const technicianId = await activeTechnicianOf(tx, user, input.technicianId);
		const reason = input.reason?.trim() ?? '';
		if (job.technicianId !== null && reason === '') {
			throw refusal(
				'BAD_REQUEST',
				`Job ${job.jobNo} already has a technician; a reassignment needs a reason.`,
				'reassign_reason_required',
				{ jobNo: job.jobNo }
			);
		}
		if (reason !== '') await setChangeReason(tx, reason);
		return writeJob(tx, job, { technicianId, assignedAt: sql`now()` });
	});
}

/** The id of an active technician of the user's station, or the refusal saying it is not one. */
export async function activeTechnicianOf(
	db: Queryable,
	user: SessionUser,
	technicianId: string
): Promise<string> {
	const [technician] = await db
		.select({ id: users.id })
		.from(users)
		.where(
			and(
				eq(users.stationId, user.stationId),
				eq(users.id, technicianId),
				eq(users.role, 'technician'),
				eq(users.active, true)
			)
		)
		.limit(1);
	if (!technician) {
		throw refusal(
			'BAD_REQUEST',
			`User ${technicianId} is not an active technician of this station.`,
			'not_active_technician'
		);
	}
	return technician.id;
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

export type JobChanges = PgUpdateSetSource<typeof jobs>;

/** What an action requires of the job's row beyond the user's right to change it. */
interface JobRule {
	/** The requirement for this user as a condition on `jobs`. */
	allowed(user: SessionUser): SQL | undefined;
	/** The same requirement checked on a row: throws the reason when it does not hold. */
	refuse(job: Job, user: SessionUser): void;
}

export interface JobStep {
	jobId: string;
	changes: JobChanges;
	rule: JobRule;
	/** Where a tapped step happened, as the phone said (kept while the station records it). */
	position?: StepPosition;
}

const ANY_STATE: JobRule = { allowed: () => undefined, refuse: () => {} };

/** Whether a job.update changes more than the notes: a correction (CORRECTION). */
export function correctsJob(fields: JobFieldEdits): boolean {
	return Object.entries(fields).some(([key, value]) => key !== 'notes' && value !== undefined);
}

/** roles.md: technicians correct their own jobs before completion; supervisors at any time. */
const CORRECTION: JobRule = {
	allowed: (user) => (technicianScope(user) === null ? undefined : ne(jobs.status, 'completed')),
	refuse(job, user) {
		if (job.status === 'completed' && technicianScope(user) !== null) {
			throw refusal(
				'FORBIDDEN',
				`Job ${job.jobNo} is completed; only a supervisor can correct it.`,
				'job_completed_correct',
				{ jobNo: job.jobNo }
			);
		}
	}
};

function notCancelled(action: string): JobRule {
	return {
		allowed: () => ne(jobs.status, 'cancelled'),
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
export function stepAllowed(user: SessionUser, rule: JobRule): SQL | undefined {
	return and(eq(jobs.stationId, user.stationId), editableJobCondition(user), rule.allowed(user));
}

/**
 * Runs a step: one UPDATE when the user may change the job and the rule allows it (the
 * usual case). When nothing changed, it finds out why under a row lock and throws that
 * reason; if nothing refuses it any more, the row changed in between, and the change is made
 * under the lock.
 */
async function runJobStep(tx: Transaction, user: SessionUser, step: JobStep): Promise<Job> {
	if (Object.keys(step.changes).length === 0) return jobEditableBy(tx, user, step.jobId);
	const times = timeKeysOf(step.changes);
	const changes = step.changes as Record<string, unknown>;
	let [changed] = await updateJobs(
		tx,
		and(
			eq(jobs.id, step.jobId),
			stepAllowed(user, step.rule),
			stepTimesAllowed(
				user,
				times,
				(key) => sql`${(changes[key] as Date).toISOString()}::timestamptz`
			)
		),
		step.changes
	);
	if (!changed) {
		const job = await jobForVisitFact(tx, user, step.jobId);
		step.rule.refuse(job, user);
		refuseStepTimes(user, job, changes);
		changed = await writeJob(tx, job, step.changes);
	}
	// A visit step is a one-tap stamp with the device's clock.
	await recordStepEntries(tx, user, step.jobId, stepsOf(times), 'tap', step.position);
	return changed;
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
