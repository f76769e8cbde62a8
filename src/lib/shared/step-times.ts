/**
 * The order a job's times must keep (docs/kpi-rules.md, "Flags that lower record accuracy"):
 * reported ≤ arrived ≤ started ≤ completed among those present, none in the future beyond
 * the clock-skew tolerance, and, for a technician, no completion without arrival and start
 * (it would hide the response and repair times). The server refuses a change that breaks it
 * (jobs/step-times.ts, which states the same rule in SQL for the push's bulk statements) and
 * the phone checks it before sending, so the technician sees why. Pure and small: it rides in
 * the phone's first load.
 */
import { CLOCK_SKEW_TOLERANCE_SECONDS } from './honesty-domain';

export const TIME_KEYS = ['reportedAt', 'arrivedAt', 'startedAt', 'completedAt'] as const;
export type TimeKey = (typeof TIME_KEYS)[number];
export type JobTimes = Record<TimeKey, Date | null>;

/** Why a change of times is refused; the keys are refusal reasons (refusal-text.ts). */
export type StepTimeProblem = {
	key: 'step_in_future' | 'step_before_report' | 'step_out_of_order' | 'step_missing';
	/** The time at fault. */
	field: TimeKey;
};

/** The latest time the server accepts at `now`, its own clock at receipt. */
export function latestAcceptedTime(now: Date): Date {
	return new Date(now.getTime() + CLOCK_SKEW_TOLERANCE_SECONDS * 1000);
}

/**
 * The first problem of changing a job's times from `before` to `after`, or null. Only rules
 * that involve a changed time are checked, so a job recorded before the rule existed can still
 * be changed elsewhere. `visitRequired`: the one changing is a technician, who completes a job
 * only after arriving and starting.
 */
export function stepTimeProblem(
	before: JobTimes,
	after: JobTimes,
	now: Date,
	visitRequired: boolean
): StepTimeProblem | null {
	const changed = (key: TimeKey) => before[key]?.getTime() !== after[key]?.getTime();
	const latest = latestAcceptedTime(now).getTime();
	for (const field of TIME_KEYS) {
		const time = after[field];
		if (changed(field) && time && time.getTime() > latest) return { key: 'step_in_future', field };
	}
	const reported = after.reportedAt;
	for (const field of TIME_KEYS.slice(1)) {
		const time = after[field];
		if (!time || !reported || !(changed(field) || changed('reportedAt'))) continue;
		if (time.getTime() < reported.getTime()) return { key: 'step_before_report', field };
	}
	for (const [earlier, later] of [
		['arrivedAt', 'startedAt'],
		['startedAt', 'completedAt'],
		['arrivedAt', 'completedAt']
	] as const) {
		const first = after[earlier];
		const second = after[later];
		if (!first || !second || !(changed(earlier) || changed(later))) continue;
		if (first.getTime() > second.getTime()) {
			return { key: 'step_out_of_order', field: changed(later) ? later : earlier };
		}
	}
	const visitChanged = changed('arrivedAt') || changed('startedAt') || changed('completedAt');
	if (visitRequired && after.completedAt && visitChanged) {
		if (!after.arrivedAt) return { key: 'step_missing', field: 'arrivedAt' };
		if (!after.startedAt) return { key: 'step_missing', field: 'startedAt' };
	}
	return null;
}
