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
import {
	linkableCondition,
	linkOwnCondition,
	recordsVisits,
	technicianScope
} from '../../jobs/access';
import {
	keptPosition,
	ON_CONFLICT_UPDATE,
	POSITION_COLUMNS,
	refuseStepTimes,
	stepsOf,
	stepTimesAllowed,
	timeKeysOf
} from '../../jobs/step-times';
import type { JobStep as StepName } from '../../../shared/honesty-domain';
import type { StepPosition } from '../../../shared/step-position';
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
	if (!recordsVisits(user)) return false;
	const history: FoldedChange[] = [];
	// The last entry of each folded step, as the steps applied one by one would leave it.
	const entries = new Map<string, TappedStep>();
	const rows = inputs.map((input) => {
		const row = newJobRow(user, input);
		for (const { step, mutationId, deviceTime } of input.steps ?? []) {
			// A refusal here makes the push apply the batch one by one, where the step says why.
			refuseStepTimes(user, row, step.changes);
			for (const change of foldStep(row, step)) {
				history.push({ ...change, jobId: input.id, mutationId, deviceTime });
			}
			for (const name of stepsOf(timeKeysOf(step.changes))) {
				entries.set(`${input.id} ${name}`, {
					jobId: input.id,
					step: name,
					notedAt: deviceTime,
					...step.position
				});
			}
		}
		return row;
	});
	const linked = rows.filter((row) => row.previousJobId !== null);
	if (!(await linksAllowed(tx, user, linked, 'before'))) return false;
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
			recordFoldedHistory(tx, user, context, history),
			entries.size > 0 && tx.execute(sql`${tappedEntries(user, [...entries.values()], sql`true`)}`)
		]);
		if (inserted.length !== inputs.length) return false;
	} catch (error) {
		translateDbError(error);
	}
	return linksAllowed(tx, user, linked, 'after');
}

/**
 * Whether every new job's link to an earlier job is one this user may make (jobs/access.ts
 * linkableCondition): `before` the insert, that each named job is theirs to link (so a
 * colleague's job and a missing one look alike, as in createJob); `after` it, the rest of the
 * rule on the written rows. False sends the batch to the services, which say why.
 */
async function linksAllowed(
	tx: Transaction,
	user: SessionUser,
	linked: readonly NewJobRow[],
	when: 'before' | 'after'
): Promise<boolean> {
	if (linked.length === 0 || technicianScope(user) === null) return true;
	const n = sql`n`;
	const p = sql`p`;
	const list = (ids: (string | null)[]) =>
		sql.join(
			ids.map((id) => sql`(${id}::uuid)`),
			sql`, `
		);
	const [{ refused }] = await queryRows<{ refused: number }>(
		tx,
		when === 'before'
			? sql`SELECT count(*)::int AS refused
				FROM (VALUES ${list(linked.map((row) => row.previousJobId))}) AS named(id)
				WHERE NOT EXISTS (SELECT 1 FROM ${jobs} p WHERE p.station_id = ${user.stationId}::uuid
					AND p.id = named.id AND ${linkOwnCondition(user, p)})`
			: sql`SELECT count(*)::int AS refused
				FROM ${jobs} n JOIN ${jobs} p ON p.station_id = n.station_id AND p.id = n.previous_job_id
				WHERE n.station_id = ${user.stationId}::uuid AND n.id IN (SELECT id FROM (VALUES ${list(linked.map((row) => row.id))}) AS new_job(id))
					AND NOT ${linkableCondition(user, n, p)}`
	);
	return refused === 0;
}

/**
 * A visit step stamped with one tap (a sync mutation), with the device's clock then, and where
 * it happened when the phone said (shared/step-position.ts).
 */
interface TappedStep extends Partial<StepPosition> {
	jobId: string;
	step: StepName;
	notedAt: Date;
}

/**
 * The INSERT recording how tapped steps were entered (job_step_entries), for the jobs `where`
 * (a condition on the recordset's "jobId") admits; the statement's now() is the receipt time.
 */
function tappedEntries(user: SessionUser, steps: readonly TappedStep[], where: SQL): SQL {
	return sql`INSERT INTO job_step_entries (station_id, job_id, step, entry, noted_at, received_at,
			recorded_by, ${POSITION_COLUMNS})
		SELECT st.id, e."jobId", e.step, 'tap', e."notedAt", now(), ${user.id}::uuid,
			${keptPosition({
				state: sql`e.state`,
				latitude: sql`e.latitude`,
				longitude: sql`e.longitude`,
				accuracyM: sql`e."accuracyM"`
			})}
		FROM jsonb_to_recordset(${JSON.stringify(steps)}::text::jsonb)
			AS e("jobId" uuid, step text, "notedAt" timestamptz, state text, latitude float8,
				longitude float8, "accuracyM" float8)
		JOIN stations st ON st.id = ${user.stationId}::uuid
		WHERE ${where}
		${ON_CONFLICT_UPDATE}`;
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
	const times = timeKeysOf(first.changes);
	// Visit steps are one-tap stamps: how each was entered, with its mutation's device clock.
	const tapped = stepsOf(times).flatMap((step) =>
		steps.map((one) => ({
			jobId: one.jobId,
			step,
			notedAt: context.perJob?.get(one.jobId)?.deviceTime ?? new Date(),
			...one.position
		}))
	);
	const entries =
		tapped.length > 0
			? sql`, entries AS (${tappedEntries(user, tapped, sql`e."jobId" IN (SELECT id FROM changed)`)})`
			: sql``;
	try {
		const changed = await queryRows<{ id: string }>(
			tx,
			sql`WITH changed AS (
				UPDATE ${jobs} SET ${sql.join(assignments, sql`, `)}, "updated_at" = now()
				FROM ${input.source}
				WHERE ${and(
					eq(jobs.id, sql`r."id"`),
					inArray(jobs.id, jobIdsOf(steps)),
					stepAllowed(user, first.rule),
					stepTimesAllowed(user, times, (key) => sql`r.${sql.identifier(key)}`),
					carryingChangeContext(context)
				)}
				RETURNING ${jobs.id} AS id
			)${entries}
			SELECT id::text AS id FROM changed`
		);
		return changed.length === steps.length;
	} catch (error) {
		translateDbError(error);
	}
}
