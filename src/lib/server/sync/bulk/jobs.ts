/**
 * The push's set-based statements on job rows (rounds.ts plans them): new jobs as one INSERT,
 * one kind of step on many jobs as one UPDATE. Each says only whether every mutation took
 * effect; the rules come from the domain service (jobs/service.ts, jobs/access.ts), which
 * also says why when one did not.
 */
import { and, eq, inArray, is, SQL, sql } from 'drizzle-orm';
import type { Transaction } from '../../db';
import { recordset, type BulkRow } from '../../db/bulk';
import { carryingChangeContext, type ChangeContext } from '../../db/change-context';
import { translateDbError } from '../../db/errors';
import { queryRows } from '../../db/rows';
import { jobHistory, jobs } from '../../db/schema';
import type { SessionUser } from '../../auth/session-user';
import { mayChangeJobs } from '../../jobs/access';
import {
	newJobRow,
	startedStatus,
	STARTED_STATUS,
	stepAllowed,
	type JobChanges,
	type JobStep,
	type NewJobInput
} from '../../jobs/service';

/**
 * The job ids of bulk inputs, to repeat as a list beside a join on a recordset: the planner
 * then fetches just these jobs by key rather than hashing all of a technician's jobs (it
 * cannot count a recordset's rows).
 */
export function jobIdsOf(inputs: readonly { jobId: string }[]): string[] {
	return inputs.map((input) => input.jobId);
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
 * inserted as the steps leave it, and each step's values before and after go to
 * recordFoldedHistory, which lets Postgres write the history the `job_history_record` trigger
 * would have written for the step's UPDATE, with the step's own mutation and device time. A new
 * job of this user passes every step's rule (it is open, unverified and theirs), so no rule is
 * checked.
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
	const folded: FoldedValues[] = [];
	const rows = inputs.map((input) => {
		const row = newJobRow(user, input);
		for (const { step, mutationId, deviceTime } of input.steps ?? []) {
			const values = foldStep(row, step);
			folded.push({ ...values, order: folded.length, jobId: input.id, mutationId, deviceTime });
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
			recordFoldedHistory(tx, user, context, folded)
		]);
		return inserted.length === inputs.length;
	} catch (error) {
		translateDbError(error);
	}
}

/** A job row as newJobRow builds it, keyed by drizzle property. */
type NewJobRow = ReturnType<typeof newJobRow>;

/** The columns one folded step set, by column name: their values before it and after it. */
interface StepValues {
	before: Record<string, unknown>;
	after: Record<string, unknown>;
}

interface FoldedValues extends StepValues {
	/** The step's place in the batch: history rows are numbered in this order. */
	order: number;
	jobId: string;
	mutationId: number;
	deviceTime: Date;
}

/** Applies `step` to a row being created; returns the values of the columns it set. */
function foldStep(row: NewJobRow, step: JobStep): StepValues {
	const values = row as Record<string, unknown>;
	const before: Record<string, unknown> = {};
	const after: Record<string, unknown> = {};
	for (const [key, change] of Object.entries(step.changes)) {
		const next = change === STARTED_STATUS ? startedStatus(row.status) : change;
		if (is(next, SQL) || !(key in jobs)) throw new Error(`A ${key} change cannot be folded`);
		const column = jobs[key as keyof typeof jobs.$inferInsert].name;
		before[column] = values[key] ?? null;
		values[key] = next ?? null;
		after[column] = values[key];
	}
	return { before, after };
}

/**
 * The history rows of folded steps, computed by Postgres as the trigger computes them: each
 * step's values before and after become job rows (jsonb_populate_record), rendered by
 * to_jsonb as the trigger renders OLD and NEW, and every value that differs is a row, in the
 * order jsonb keeps the keys. Columns a step did not set are empty on both sides, so only its
 * own changes count.
 */
async function recordFoldedHistory(
	tx: Transaction,
	user: SessionUser,
	context: ChangeContext,
	steps: readonly FoldedValues[]
): Promise<void> {
	if (steps.length === 0) return;
	await tx.execute(sql`
		INSERT INTO ${jobHistory} (station_id, job_id, field, old_value, new_value,
			changed_by, device_time, client_id, mutation_id)
		SELECT ${user.stationId}::uuid, s."jobId", n.key, old.row -> n.key, n.value,
			${context.changedBy}::uuid, s."deviceTime", ${context.clientId ?? null}::uuid, s."mutationId"
		FROM jsonb_to_recordset(${JSON.stringify(steps)}::text::jsonb) AS s(
			"order" int, "jobId" uuid, before jsonb, after jsonb, "mutationId" bigint,
			"deviceTime" timestamptz
		)
		CROSS JOIN LATERAL (
			SELECT to_jsonb(jsonb_populate_record(NULL::${jobs}, s.before)) AS row
		) old
		CROSS JOIN LATERAL jsonb_each(to_jsonb(jsonb_populate_record(NULL::${jobs}, s.after)))
			WITH ORDINALITY AS n(key, value, position)
		WHERE n.value IS DISTINCT FROM old.row -> n.key
		ORDER BY s."order", n.position`);
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
