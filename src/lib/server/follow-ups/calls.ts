/**
 * The desk's worklist of follow-up calls (回访): the station's completed jobs that nobody has
 * followed up yet and nobody closed for follow-up, the calls made on each (follow_up_calls), and
 * closing a job for follow-up with a reason (follow_up_closures).
 *
 * Rules decided here (docs: ARCHITECTURE.md, the desk's worklists):
 * - A job is due from its completion. Only a reached call writes a follow-up (follow_ups, through
 *   addFollowUp), and only a follow-up takes a job off the list: the KPIs read follow_ups alone.
 * - A call that did not reach the customer keeps the job on the list, due again after
 *   RETRY_AFTER_HOURS: 2 hours after no answer (the customer was busy or away), 24 hours after a
 *   refusal (calling back the same day would pester) and after a wrong number (the number must
 *   first be corrected on the job, or the job closed for follow-up with that reason).
 * - A job is overdue when it was completed more than OVERDUE_AFTER_DAYS (3) days ago: common
 *   after-sales practice calls back within 72 hours, while the customer still remembers the visit.
 * - The list is ordered by when the next call is due, oldest first.
 */
import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db';
import { inTransaction } from '../db/change-context';
import { queryRows } from '../db/rows';
import { followUpCalls, followUpClosures } from '../db/schema';
import { refusal } from '../refusal';
import type { SessionUser } from '../auth/session-user';
import { jobVisibleTo, requireDesk } from '../jobs/access';
import { isoUtc } from '../review/sql';
import { addFollowUp } from './service';
import { FOLLOW_UP_CALL_OUTCOMES, type FollowUpCallOutcome } from '../../shared/desk-domain';
import { kpiPeriodSchema } from '../../shared/kpi';

type UnreachedOutcome = Exclude<FollowUpCallOutcome, 'reached'>;

/** How long after an unreached call the job is due again (see the rules above). */
export const RETRY_AFTER_HOURS: Record<UnreachedOutcome, number> = {
	no_answer: 2,
	refused: 24,
	wrong_number: 24
};

/** A job not followed up this many days after its completion is overdue. */
export const OVERDUE_AFTER_DAYS = 3;

/** How many jobs one page of the worklist shows. */
const MAX_PAGE_SIZE = 100;

/** Filters of the worklist; `lastOutcome: 'none'` = never called. */
export const followUpCallListInputSchema = z.object({
	state: z.enum(['due', 'closed']).default('due'),
	technicianId: z.uuid().optional(),
	/** Completion in [from, to) of the station's local dates. */
	period: z.optional(kpiPeriodSchema),
	lastOutcome: z.enum(['none', ...FOLLOW_UP_CALL_OUTCOMES]).optional(),
	overdueOnly: z.boolean().default(false),
	page: z.number().int().min(1).default(1),
	pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(20)
});
export type FollowUpCallListInput = z.input<typeof followUpCallListInputSchema>;

const instant = z.iso.datetime();

export const dueCallSchema = z.object({
	jobId: z.string(),
	jobNo: z.string(),
	customerName: z.string(),
	customerPhone: z.string(),
	productModel: z.string(),
	faultCategoryName: z.string().nullable(),
	faultDescription: z.string(),
	outcome: z.enum(['fixed', 'not_fixed']),
	technicianId: z.string(),
	technicianName: z.string(),
	completedAt: instant,
	/** Calls made so far (follow_up_calls). */
	attempts: z.number().int().min(0),
	lastCall: z
		.object({
			outcome: z.enum(FOLLOW_UP_CALL_OUTCOMES),
			calledAt: instant,
			comment: z.string(),
			callerName: z.string()
		})
		.nullable(),
	/** When the next call is due: the completion, or the last unreached call + its retry delay. */
	nextCallAt: instant,
	/** nextCallAt is still ahead (a retry waits). */
	waiting: z.boolean(),
	overdue: z.boolean(),
	closure: z.object({ reason: z.string(), closedAt: instant, closedByName: z.string() }).nullable()
});
export type DueCall = z.infer<typeof dueCallSchema>;

export const followUpCallListSchema = z.object({
	/** Jobs matching the filters, on every page. */
	total: z.number().int().min(0),
	page: z.number().int().min(1),
	pageSize: z.number().int().min(1),
	jobs: z.array(dueCallSchema),
	/** The station's technicians, for the filter. */
	technicians: z.array(z.object({ id: z.string(), name: z.string() }))
});
export type FollowUpCallList = z.infer<typeof followUpCallListSchema>;

export const recordCallSchema = z
	.object({
		/** Chosen by the form, so the same form sent twice records one call. */
		id: z.uuid(),
		jobId: z.uuid(),
		outcome: z.enum(FOLLOW_UP_CALL_OUTCOMES),
		comment: z.string().trim().max(2000).default(''),
		satisfaction: z.number().int().min(1).max(5).nullable().default(null),
		issueResolved: z.boolean().nullable().default(null)
	})
	.refine(
		(call) =>
			call.outcome === 'reached' || (call.satisfaction === null && call.issueResolved === null),
		{ message: 'only a reached call carries satisfaction and resolution', path: ['satisfaction'] }
	);
export type RecordCallInput = z.input<typeof recordCallSchema>;

export const closeForFollowUpSchema = z.object({
	jobId: z.uuid(),
	reason: z.string().trim().min(1, 'a reason is required').max(500)
});

export const reopenForFollowUpSchema = z.object({ jobId: z.uuid() });

const retryDelay = (outcome: SQL) => sql`CASE ${outcome}
	${sql.join(
		Object.entries(RETRY_AFTER_HOURS).map(
			([name, hours]) => sql`WHEN ${name} THEN make_interval(hours => ${hours}::int)`
		),
		sql` `
	)}
	ELSE interval '0'
END`;

/**
 * The completed jobs of the station without a follow-up, closed or not (`state`), with their
 * calls, as the CTE `awaiting` (without the leading WITH), filtered.
 */
function awaitingCte(
	stationId: string,
	filters: z.output<typeof followUpCallListInputSchema>
): SQL {
	const station = sql`${stationId}::uuid`;
	const conditions: SQL[] = [
		filters.state === 'due' ? sql`cl.job_id IS NULL` : sql`cl.job_id IS NOT NULL`
	];
	if (filters.technicianId) conditions.push(sql`j.technician_id = ${filters.technicianId}::uuid`);
	if (filters.period) {
		conditions.push(sql`j.completed_at >= (${filters.period.from}::date::timestamp AT TIME ZONE s.time_zone)
			AND j.completed_at < (${filters.period.to}::date::timestamp AT TIME ZONE s.time_zone)`);
	}
	if (filters.lastOutcome === 'none') conditions.push(sql`calls.attempts = 0`);
	else if (filters.lastOutcome) conditions.push(sql`calls.last_outcome = ${filters.lastOutcome}`);
	if (filters.overdueOnly) {
		conditions.push(
			sql`j.completed_at < now() - make_interval(days => ${OVERDUE_AFTER_DAYS}::int)`
		);
	}
	return sql`
awaiting AS (
	SELECT
		j.id, j.job_no, j.customer_name, j.customer_phone, j.product_model, j.fault_category_id,
		j.fault_description, j.outcome, j.technician_id, j.completed_at,
		calls.attempts, calls.last_outcome, calls.last_called_at, calls.last_comment,
		calls.last_caller,
		CASE WHEN calls.attempts = 0 THEN j.completed_at
			ELSE calls.last_called_at + ${retryDelay(sql`calls.last_outcome`)}
		END AS next_call_at,
		cl.reason AS closed_reason, cl.closed_at, cl.closed_by
	FROM stations s
	JOIN jobs j ON j.station_id = s.id AND j.status = 'completed'
	LEFT JOIN follow_up_closures cl ON cl.station_id = j.station_id AND cl.job_id = j.id
	CROSS JOIN LATERAL (
		SELECT
			count(*)::int AS attempts,
			(array_agg(c.outcome::text ORDER BY c.called_at DESC, c.id DESC))[1] AS last_outcome,
			max(c.called_at) AS last_called_at,
			(array_agg(c.comment ORDER BY c.called_at DESC, c.id DESC))[1] AS last_comment,
			(array_agg(c.user_id ORDER BY c.called_at DESC, c.id DESC))[1] AS last_caller
		FROM follow_up_calls c
		WHERE c.station_id = j.station_id AND c.job_id = j.id
	) calls
	WHERE s.id = ${station}
		AND NOT EXISTS (
			-- A technician's own note is never scored (docs/kpi-rules.md): the customer still
			-- awaits a call, or a note would shield the job from being rated.
			SELECT 1 FROM follow_ups f
			WHERE f.station_id = j.station_id AND f.job_id = j.id AND f.source <> 'technician'
		)
		AND ${sql.join(conditions, sql` AND `)}
)`;
}

/** One page of the worklist, next call due first, with the total of the filtered list. */
export async function followUpCallList(
	db: Queryable,
	user: SessionUser,
	input: FollowUpCallListInput = {}
): Promise<FollowUpCallList> {
	requireDesk(user);
	const filters = followUpCallListInputSchema.parse(input);
	const station = sql`${user.stationId}::uuid`;
	const rows = await queryRows<Record<string, unknown> & { total: number }>(
		db,
		sql`
WITH ${awaitingCte(user.stationId, filters)}
SELECT
	count(*) OVER ()::int AS total,
	a.id::text AS "jobId",
	a.job_no AS "jobNo",
	a.customer_name AS "customerName",
	a.customer_phone AS "customerPhone",
	a.product_model AS "productModel",
	fc.name AS "faultCategoryName",
	a.fault_description AS "faultDescription",
	a.outcome::text AS outcome,
	a.technician_id::text AS "technicianId",
	tech.name AS "technicianName",
	${isoUtc(sql`a.completed_at`)} AS "completedAt",
	a.attempts,
	CASE WHEN a.attempts > 0 THEN json_build_object(
		'outcome', a.last_outcome,
		'calledAt', ${isoUtc(sql`a.last_called_at`)},
		'comment', a.last_comment,
		'callerName', caller.name
	)::text END AS "lastCall",
	${isoUtc(sql`a.next_call_at`)} AS "nextCallAt",
	a.next_call_at > now() AS waiting,
	a.completed_at < now() - make_interval(days => ${OVERDUE_AFTER_DAYS}::int) AS overdue,
	CASE WHEN a.closed_at IS NOT NULL THEN json_build_object(
		'reason', a.closed_reason,
		'closedAt', ${isoUtc(sql`a.closed_at`)},
		'closedByName', closer.name
	)::text END AS closure
FROM awaiting a
JOIN users tech ON tech.station_id = ${station} AND tech.id = a.technician_id
LEFT JOIN users caller ON caller.station_id = ${station} AND caller.id = a.last_caller
LEFT JOIN users closer ON closer.station_id = ${station} AND closer.id = a.closed_by
LEFT JOIN fault_categories fc ON fc.station_id = ${station} AND fc.id = a.fault_category_id
ORDER BY ${filters.state === 'due' ? sql`a.next_call_at` : sql`a.closed_at DESC`}, a.job_no COLLATE "C"
LIMIT ${filters.pageSize} OFFSET ${(filters.page - 1) * filters.pageSize}`
	);
	const technicians = await queryRows<{ id: string; name: string }>(
		db,
		sql`SELECT u.id::text AS id, u.name FROM users u
			WHERE u.station_id = ${station} AND u.role = 'technician'
			ORDER BY u.active DESC, u.name, u.login`
	);
	return followUpCallListSchema.parse({
		total: rows[0]?.total ?? 0,
		page: filters.page,
		pageSize: filters.pageSize,
		jobs: rows.map(({ total: _total, lastCall, closure, ...job }) => ({
			...job,
			lastCall: typeof lastCall === 'string' ? JSON.parse(lastCall) : null,
			closure: typeof closure === 'string' ? JSON.parse(closure) : null
		})),
		technicians
	});
}

/**
 * For the station home: how many jobs are waiting for a follow-up call (the worklist's total
 * without filters, retries that still wait included: they are all the desk's to clear).
 */
export async function countDueFollowUpCalls(db: Queryable, user: SessionUser): Promise<number> {
	requireDesk(user);
	const filters = followUpCallListInputSchema.parse({});
	const [row] = await queryRows<{ count: number }>(
		db,
		sql`WITH ${awaitingCte(user.stationId, filters)} SELECT count(*)::int AS count FROM awaiting`
	);
	return row.count;
}

/**
 * The job of a call or a closure: the station's (another station's id is NOT_FOUND), completed,
 * not followed up yet. Locks the job so two people saving at once are ordered.
 */
async function awaitingJob(tx: Queryable, user: SessionUser, jobId: string) {
	const job = await jobVisibleTo(tx, user, jobId, { lock: true });
	if (job.status !== 'completed') {
		throw refusal(
			'BAD_REQUEST',
			`Job ${job.jobNo} is not completed: follow-ups come after the repair.`,
			'job_not_completed',
			{ jobNo: job.jobNo }
		);
	}
	const [state] = await queryRows<{ followedUp: boolean; closed: boolean }>(
		tx,
		sql`SELECT
			EXISTS (SELECT 1 FROM follow_ups f WHERE f.station_id = ${user.stationId}::uuid AND f.job_id = ${job.id}::uuid AND f.source <> 'technician') AS "followedUp",
			EXISTS (SELECT 1 FROM follow_up_closures c WHERE c.station_id = ${user.stationId}::uuid AND c.job_id = ${job.id}::uuid) AS closed`
	);
	if (state.followedUp) {
		throw refusal(
			'CONFLICT',
			`Job ${job.jobNo} has already been followed up.`,
			'already_followed_up',
			{ jobNo: job.jobNo }
		);
	}
	return { job, closed: state.closed };
}

/**
 * Records a call. A reached call writes the follow-up (channel phone, at the server's clock, by
 * the caller) through addFollowUp in the same transaction, and the call row links to it.
 */
export async function recordFollowUpCall(db: Queryable, user: SessionUser, input: RecordCallInput) {
	requireDesk(user);
	const call = recordCallSchema.parse(input);
	return inTransaction(db, user, async (tx) => {
		const [taken] = await queryRows<{ taken: boolean }>(
			tx,
			sql`SELECT EXISTS (SELECT 1 FROM follow_up_calls c WHERE c.station_id = ${user.stationId}::uuid AND c.id = ${call.id}::uuid) AS taken`
		);
		if (taken.taken) {
			throw refusal('CONFLICT', 'This call has already been recorded.', 'already_recorded');
		}
		const { job, closed } = await awaitingJob(tx, user, call.jobId);
		if (closed) {
			throw refusal(
				'BAD_REQUEST',
				`Job ${job.jobNo} is closed for follow-up; reopen it first.`,
				'follow_up_closed',
				{ jobNo: job.jobNo }
			);
		}
		// The transaction's clock: the call and its follow-up carry the same instant.
		const [{ now }] = await queryRows<{ now: string }>(
			tx,
			sql`SELECT ${isoUtc(sql`now()`)} AS now`
		);
		const calledAt = new Date(now);
		const followUp =
			call.outcome === 'reached'
				? await addFollowUp(tx, user, {
						id: randomUUID(),
						jobId: job.id,
						visitedAt: calledAt,
						channel: 'phone',
						satisfaction: call.satisfaction,
						issueResolved: call.issueResolved,
						comment: call.comment
					})
				: null;
		const [row] = await tx
			.insert(followUpCalls)
			.values({
				stationId: user.stationId,
				id: call.id,
				jobId: job.id,
				userId: user.id,
				calledAt,
				outcome: call.outcome,
				comment: call.comment,
				followUpId: followUp?.id ?? null
			})
			.returning();
		return { call: row, followUp, jobNo: job.jobNo };
	});
}

/** Takes a job off the worklist with a reason (a customer who asked not to be called…). */
export async function closeForFollowUp(
	db: Queryable,
	user: SessionUser,
	input: z.input<typeof closeForFollowUpSchema>
) {
	requireDesk(user);
	const { jobId, reason } = closeForFollowUpSchema.parse(input);
	return inTransaction(db, user, async (tx) => {
		const { job } = await awaitingJob(tx, user, jobId);
		// Closing twice keeps the first closure (who and why), like verifying twice.
		await tx
			.insert(followUpClosures)
			.values({ stationId: user.stationId, jobId: job.id, closedBy: user.id, reason })
			.onConflictDoNothing();
		return { jobNo: job.jobNo };
	});
}

/** Puts a closed job back on the worklist; reopening an open one changes nothing. */
export async function reopenForFollowUp(
	db: Queryable,
	user: SessionUser,
	input: z.input<typeof reopenForFollowUpSchema>
) {
	requireDesk(user);
	const { jobId } = reopenForFollowUpSchema.parse(input);
	return inTransaction(db, user, async (tx) => {
		const job = await jobVisibleTo(tx, user, jobId, { lock: true });
		await tx
			.delete(followUpClosures)
			.where(
				sql`${followUpClosures.stationId} = ${user.stationId}::uuid AND ${followUpClosures.jobId} = ${job.id}::uuid`
			);
		return { jobNo: job.jobNo };
	});
}
