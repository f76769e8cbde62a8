/**
 * The phone's warning that a new job's device was just repaired for the same customer: a likely
 * rework (issue 14). The server decides reworks from the serial alone (kpi.md); the phone warns
 * before the job is saved, from the jobs it holds (all of the technician's, however old), so the
 * technician can link the earlier job instead of leaving the rework to be found afterwards.
 */
import type { JobRecord } from '../../shared/sync';
import type { LocalDatabase } from '../local/db';
import type { TechnicianIdentity } from '../local/identity';
import { serialKey } from '../../shared/serial';

/** kpi.md's default rework window. */
const DEFAULT_REWORK_WINDOW_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ReworkCandidate = Pick<
	JobRecord,
	'deviceSerial' | 'customerName' | 'customerPhone' | 'reportedAt'
>;

/**
 * The station's rework window, which the phone learns with the session (auth/session-user.ts)
 * and remembers for offline starts; kpi.md's default for an identity remembered before then.
 */
export function reworkWindowDaysOf(user: Pick<TechnicianIdentity, 'reworkWindowDays'>): number {
	return user.reworkWindowDays ?? DEFAULT_REWORK_WINDOW_DAYS;
}

/**
 * The customer as a technician's rework link compares it (jobs/access.ts linkRelatedCondition):
 * the phone number when both jobs have one, else the trimmed name in any case.
 */
function sameCustomer(a: ReworkCandidate, b: ReworkCandidate): boolean {
	const phoneA = a.customerPhone.trim();
	const phoneB = b.customerPhone.trim();
	if (phoneA && phoneB) return phoneA === phoneB;
	const name = a.customerName.trim().toLowerCase();
	return name !== '' && name === b.customerName.trim().toLowerCase();
}

/**
 * The newest of `held` that `candidate` likely reworks: not cancelled, the same serial (kpi.md:
 * trimmed, any case) and customer, and done (completed, else reported) no more than
 * `windowDays` before the candidate was reported, and never after it: a technician may link only
 * an earlier job (docs/kpi-rules.md).
 */
export function likelyReworkOf(
	candidate: ReworkCandidate,
	held: readonly JobRecord[],
	windowDays: number
): JobRecord | null {
	const serial = serialKey(candidate.deviceSerial);
	const reportedAt = candidate.reportedAt.getTime();
	if (serial === '' || Number.isNaN(reportedAt)) return null;
	const matches = held.filter((job) => {
		const doneAt = (job.completedAt ?? job.reportedAt).getTime();
		return (
			job.status !== 'cancelled' &&
			serialKey(job.deviceSerial) === serial &&
			sameCustomer(job, candidate) &&
			job.reportedAt.getTime() <= reportedAt &&
			doneAt <= reportedAt &&
			reportedAt - doneAt <= windowDays * DAY_MS
		);
	});
	matches.sort((a, b) => b.reportedAt.getTime() - a.reportedAt.getTime());
	return matches[0] ?? null;
}

/** The jobs on the device whose serial is `serial` in any case (the serial index, db.ts). */
export async function jobsOfSerial(db: LocalDatabase, serial: string): Promise<JobRecord[]> {
	const wanted = serial.trim();
	return wanted === '' ? [] : db.jobs.where('deviceSerial').equalsIgnoreCase(wanted).toArray();
}
