/**
 * Times that can be trusted (docs/kpi-rules.md): the order a job's times keep, refused when a
 * change breaks it, and how each step time was entered (job_step_entries), which the KPI facts
 * read to flag typed and late times.
 *
 * The rule is shared/step-times.ts; here it is a refusal for the services (checked on the
 * locked row) and the same rule as a condition for the push's set-based UPDATEs, which then
 * leave the job unchanged so the push falls back to the service that says why.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { jobs } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { refusal } from '../refusal';
import {
	CLOCK_SKEW_TOLERANCE_SECONDS,
	type JobStep,
	type StepEntry
} from '../../shared/honesty-domain';
import { stepTimeProblem, TIME_KEYS, type JobTimes, type TimeKey } from '../../shared/step-times';
import type { StepPosition } from '../../shared/step-position';
import { technicianScope } from './access';

/** The step a time column belongs to (job_step_entries.step); the reported time has none. */
const STEP_OF: Partial<Record<TimeKey, JobStep>> = {
	arrivedAt: 'arrived',
	startedAt: 'started',
	completedAt: 'completed'
};

const MESSAGES: Record<string, (jobNo: string, field: TimeKey) => string> = {
	step_in_future: (jobNo, field) =>
		`Job ${jobNo}: ${field} is in the future by more than ${CLOCK_SKEW_TOLERANCE_SECONDS} s.`,
	step_before_report: (jobNo, field) => `Job ${jobNo}: ${field} is before the job was reported.`,
	step_out_of_order: (jobNo, field) =>
		`Job ${jobNo}: ${field} breaks the order reported, arrived, started, completed.`,
	step_missing: (jobNo, field) =>
		`Job ${jobNo} cannot be completed by a technician without ${field} recorded.`
};

/** A technician completes only after arriving and starting; a supervisor may correct that. */
function visitRequired(user: SessionUser): boolean {
	return technicianScope(user) !== null;
}

/** The time columns `changes` sets. */
export function timeKeysOf(changes: object): TimeKey[] {
	return TIME_KEYS.filter(
		(key) => key in changes && (changes as Record<string, unknown>)[key] !== undefined
	);
}

function timesOf(job: JobTimes): JobTimes {
	return {
		reportedAt: job.reportedAt,
		arrivedAt: job.arrivedAt,
		startedAt: job.startedAt,
		completedAt: job.completedAt
	};
}

/**
 * Refuses `changes` to `job` (checked and locked by the caller) when its times would break the
 * order, lie in the future (the server's clock now) or come before the report.
 */
export function refuseStepTimes(
	user: SessionUser,
	job: JobTimes & { jobNo: string },
	changes: Partial<Record<TimeKey, unknown>>,
	now = new Date()
): void {
	const before = timesOf(job);
	const after = { ...before };
	for (const key of timeKeysOf(changes)) after[key] = changes[key] as Date | null;
	const problem = stepTimeProblem(before, after, now, visitRequired(user));
	if (!problem) return;
	throw refusal('BAD_REQUEST', MESSAGES[problem.key](job.jobNo, problem.field), problem.key, {
		jobNo: job.jobNo,
		field: problem.field
	});
}

/**
 * refuseStepTimes as a condition on `jobs` for an UPDATE that sets the `changed` time columns to
 * `valueOf(key)` (a parameter, or a recordset's column), with now() as the server's clock.
 */
export function stepTimesAllowed(
	user: SessionUser,
	changed: readonly TimeKey[],
	valueOf: (key: TimeKey) => SQL
): SQL | undefined {
	if (changed.length === 0) return undefined;
	const isChanged = (key: TimeKey) => changed.includes(key);
	const value = (key: TimeKey) => (isChanged(key) ? valueOf(key) : sql`${jobs[key]}`);
	const tolerance = sql.raw(`interval '${CLOCK_SKEW_TOLERANCE_SECONDS} seconds'`);
	// "(a > b) IS NOT TRUE": holds when either time is absent, as the shared rule does.
	const notAfter = (a: SQL, b: SQL) => sql`(${a} > ${b}) IS NOT TRUE`;
	const conditions = changed.map((key) => notAfter(value(key), sql`now() + ${tolerance}`));
	for (const key of TIME_KEYS.slice(1)) {
		if (isChanged(key) || isChanged('reportedAt')) {
			conditions.push(notAfter(value('reportedAt'), value(key)));
		}
	}
	for (const [earlier, later] of [
		['arrivedAt', 'startedAt'],
		['startedAt', 'completedAt'],
		['arrivedAt', 'completedAt']
	] as const) {
		if (isChanged(earlier) || isChanged(later)) {
			conditions.push(notAfter(value(earlier), value(later)));
		}
	}
	const visit = changed.some((key) => key !== 'reportedAt');
	if (visitRequired(user) && visit) {
		conditions.push(
			sql`(${value('completedAt')} IS NULL OR (${value('arrivedAt')} IS NOT NULL AND ${value('startedAt')} IS NOT NULL))`
		);
	}
	return sql.join(conditions, sql` AND `);
}

/** The steps among time columns (the reported time is not a step). */
export function stepsOf(keys: readonly TimeKey[]): JobStep[] {
	return keys.flatMap((key) => STEP_OF[key] ?? []);
}

/**
 * Records how `steps` of a job were just entered: noted_at is the device's clock when the change
 * was made (the change context's device time, which a sync push sets from the mutation's
 * madeAt), or the server's clock for a change made online; received_at is the server's. A tap
 * may say where it happened (`position`), kept only while the station records positions.
 */
export async function recordStepEntries(
	db: Queryable,
	user: SessionUser,
	jobId: string,
	steps: readonly JobStep[],
	entry: StepEntry,
	position?: StepPosition
): Promise<void> {
	if (steps.length === 0) return;
	await db.execute(sql`
		INSERT INTO job_step_entries (station_id, job_id, step, entry, noted_at, received_at,
			recorded_by, ${POSITION_COLUMNS})
		SELECT st.id, ${jobId}::uuid, s.step, ${entry},
			coalesce(nullif(current_setting('repairscore.device_time', true), '')::timestamptz, now()),
			now(), ${user.id}::uuid,
			${keptPosition({
				state: sql`${position?.state ?? null}::text`,
				latitude: sql`${position?.latitude ?? null}::float8`,
				longitude: sql`${position?.longitude ?? null}::float8`,
				accuracyM: sql`${position?.accuracyM ?? null}::float8`
			})}
		FROM (VALUES ${sql.join(
			steps.map((step) => sql`(${step}::text)`),
			sql`, `
		)}) AS s(step)
		JOIN stations st ON st.id = ${user.stationId}::uuid
		${ON_CONFLICT_UPDATE}`);
}

/** The position columns of job_step_entries, in the order keptPosition gives their values. */
export const POSITION_COLUMNS = sql`position, latitude, longitude, position_accuracy_m`;

/**
 * A step's position values as stored: the phone's, while the station (`st`, joined by the
 * statement) records positions, else none. A phone with a stale setting is not refused: what it
 * sent is simply not kept.
 */
export function keptPosition(values: Record<keyof StepPosition, SQL>): SQL {
	return sql.join(
		[values.state, values.latitude, values.longitude, values.accuracyM].map(
			(value) => sql`CASE WHEN st.record_positions THEN ${value} END`
		),
		sql`, `
	);
}

/**
 * A step entered again replaces how it was entered before, and where: a time typed over a tap
 * no longer has the tap's position.
 */
export const ON_CONFLICT_UPDATE = sql`ON CONFLICT (station_id, job_id, step) DO UPDATE SET
	entry = excluded.entry, noted_at = excluded.noted_at, received_at = excluded.received_at,
	recorded_by = excluded.recorded_by, position = excluded.position,
	latitude = excluded.latitude, longitude = excluded.longitude,
	position_accuracy_m = excluded.position_accuracy_m`;

/** A step time cleared: nothing is left of how it was entered. */
export async function forgetStepEntries(
	db: Queryable,
	user: SessionUser,
	jobId: string,
	steps: readonly JobStep[]
): Promise<void> {
	if (steps.length === 0) return;
	await db.execute(sql`
		DELETE FROM job_step_entries
		WHERE station_id = ${user.stationId}::uuid AND job_id = ${jobId}::uuid
			AND step IN (${sql.join(
				steps.map((step) => sql`${step}`),
				sql`, `
			)})`);
}
