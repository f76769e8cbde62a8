/**
 * The follow-up queue (回访队列): the station's completed jobs nobody has followed up yet, oldest
 * completion first, and recording the call that takes a job off the queue.
 */
import { Refusal } from '../refusal';
import { sql } from 'drizzle-orm';
import type { Database, Queryable } from '../db';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import { addFollowUp } from '../follow-ups/service';
import { requireFollowUpCaller } from '../jobs/access';
import { isoUtc } from './sql';
import {
	followUpQueueInputSchema,
	queuedJobSchema,
	type FollowUpQueueInput,
	type FollowUpQueuePage,
	type QueuedJob,
	type RecordFollowUpInput
} from './schemas';

type Nullable<T> = { [K in keyof T]: T[K] | null };

/**
 * One page of the queue with the queue's total, in one statement: the total is computed even
 * when the page lies past the end (then `jobs` is empty).
 */
export async function followUpQueue(
	db: Queryable,
	stationId: string,
	input: FollowUpQueueInput = {}
): Promise<FollowUpQueuePage> {
	const { page, pageSize } = followUpQueueInputSchema.parse(input);
	const station = sql`${stationId}::uuid`;
	const rows = await queryRows<{ total: number; position: number | null } & Nullable<QueuedJob>>(
		db,
		sql`
WITH queue AS (
	SELECT j.*
	FROM jobs j
	WHERE j.station_id = ${station}
		AND j.status = 'completed'
		AND NOT EXISTS (
			SELECT 1 FROM follow_ups f WHERE f.station_id = j.station_id AND f.job_id = j.id
		)
),
queue_size AS (SELECT count(*)::int AS total FROM queue)
SELECT qs.total, p.*
FROM queue_size qs
LEFT JOIN LATERAL (
	SELECT
		row_number() OVER (ORDER BY q.completed_at, q.job_no COLLATE "C")::int AS position,
		q.id::text AS "jobId",
		q.job_no AS "jobNo",
		${isoUtc(sql`q.completed_at`)} AS "completedAt",
		q.outcome::text AS outcome,
		q.customer_name AS "customerName",
		q.customer_phone AS "customerPhone",
		q.product_model AS "productModel",
		fc.name AS "faultCategoryName",
		q.fault_description AS "faultDescription",
		u.id::text AS "technicianId",
		u.login AS "technicianLogin",
		u.name AS "technicianName"
	FROM queue q
	JOIN users u ON u.station_id = q.station_id AND u.id = q.technician_id
	LEFT JOIN fault_categories fc ON fc.station_id = q.station_id AND fc.id = q.fault_category_id
	ORDER BY q.completed_at, q.job_no COLLATE "C"
	LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}
) p ON true
ORDER BY p.position`
	);
	const total = rows[0]?.total ?? 0;
	const jobs = rows
		.filter((row) => row.jobId !== null)
		.map(({ total: _total, position: _position, ...job }) => queuedJobSchema.parse(job));
	return { total, page, pageSize, jobs };
}

/** Why a call could not be recorded, for the page to say in the supervisor's language. */
export type RecordFollowUpProblem =
	| 'job_not_found'
	| 'job_not_completed'
	| 'already_recorded'
	| 'visited_in_future'
	| 'visited_before_completion';

/** A refusal (refusal.ts) whose reason is the problem, so an HTTP answer words it too. */
export class RecordFollowUpError extends Refusal {
	constructor(
		readonly problem: RecordFollowUpProblem,
		message: string,
		params: Record<string, string> = {}
	) {
		super(problem === 'job_not_found' ? 'NOT_FOUND' : 'BAD_REQUEST', message, {
			key: problem,
			params
		});
	}
}

/** A completion time as the station's wall clock reads it, the same in every language. */
function stationTime(utc: string, timeZone: string): string {
	return new Intl.DateTimeFormat('sv-SE', {
		timeZone,
		dateStyle: 'short',
		timeStyle: 'short'
	}).format(new Date(utc));
}

/**
 * Records a call from the queue with addFollowUp (which checks who may see the job), after
 * checking the time: the local time is read in the station's zone by Postgres, must not lie in
 * the future, nor before the job was completed (to the minute, as the form has no seconds).
 */
export async function recordQueuedFollowUp(
	db: Database,
	user: SessionUser,
	input: RecordFollowUpInput
) {
	requireFollowUpCaller(user);
	const [check] = await queryRows<{
		jobNo: string | null;
		status: string | null;
		completedAt: string | null;
		visitedAt: string;
		inFuture: boolean;
		beforeCompletion: boolean | null;
		alreadyRecorded: boolean;
	}>(
		db,
		sql`
WITH call AS (
	SELECT s.id AS station_id, (${input.visitedAt}::timestamp AT TIME ZONE s.time_zone) AS visited_at
	FROM stations s
	WHERE s.id = ${user.stationId}::uuid
)
SELECT
	j.job_no AS "jobNo",
	j.status::text AS status,
	${isoUtc(sql`j.completed_at`)} AS "completedAt",
	${isoUtc(sql`c.visited_at`)} AS "visitedAt",
	-- A clock a few minutes fast on the device that filled in the form is not a future call.
	c.visited_at > now() + interval '5 minutes' AS "inFuture",
	c.visited_at < date_trunc('minute', j.completed_at) AS "beforeCompletion",
	EXISTS (
		SELECT 1 FROM follow_ups f WHERE f.station_id = c.station_id AND f.id = ${input.id}::uuid
	) AS "alreadyRecorded"
FROM call c
LEFT JOIN jobs j ON j.station_id = c.station_id AND j.id = ${input.jobId}::uuid`
	);
	if (!check || check.jobNo === null) {
		throw new RecordFollowUpError('job_not_found', `Job ${input.jobId} was not found.`);
	}
	if (check.alreadyRecorded) {
		throw new RecordFollowUpError(
			'already_recorded',
			`This call on job ${check.jobNo} has already been recorded.`,
			{ jobNo: check.jobNo }
		);
	}
	if (check.status !== 'completed') {
		throw new RecordFollowUpError(
			'job_not_completed',
			`Job ${check.jobNo} is not completed: follow-ups come after the repair.`,
			{ jobNo: check.jobNo }
		);
	}
	if (check.inFuture) {
		throw new RecordFollowUpError(
			'visited_in_future',
			`visitedAt: ${input.visitedAt} (${user.timeZone}) is in the future.`
		);
	}
	// beforeCompletion is only true for a completed job, whose completion time is known.
	if (check.beforeCompletion && check.completedAt) {
		throw new RecordFollowUpError(
			'visited_before_completion',
			`visitedAt: the call cannot be before job ${check.jobNo} was completed (${check.completedAt}).`,
			{ jobNo: check.jobNo, completed: stationTime(check.completedAt, user.timeZone) }
		);
	}
	return addFollowUp(db, user, { ...input, visitedAt: new Date(check.visitedAt) });
}
