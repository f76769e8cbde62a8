/**
 * How the technician's job list is divided. Each job appears in one section, the first that
 * fits:
 * - in progress: arrived or started, not yet completed or cancelled;
 * - today: still to do (open, not arrived), or reported or completed today;
 * - awaiting follow-up: completed in the last FOLLOW_UP_DAYS days with no follow-up yet;
 * - recent: anything else reported in the last RECENT_DAYS days (at most RECENT_LIMIT shown).
 * "Today" is the station's day, like every time shown.
 */
import type { JobRecord } from '../../shared/sync';
import { zonedDay } from '$lib/shared/time/local-time';

const FOLLOW_UP_DAYS = 30;
const RECENT_DAYS = 30;
export const RECENT_LIMIT = 50;
const DAY_MS = 86_400_000;

export interface JobSections {
	inProgress: JobRecord[];
	today: JobRecord[];
	awaitingFollowUp: JobRecord[];
	recent: JobRecord[];
	/** Recent jobs left out by RECENT_LIMIT. */
	recentLeftOut: number;
}

export function sectionJobs(
	jobs: readonly JobRecord[],
	followedUpJobIds: ReadonlySet<string>,
	now: Date,
	timeZone: string
): JobSections {
	const today = zonedDay(now, timeZone);
	const isToday = (date: Date | null) => date !== null && zonedDay(date, timeZone) === today;
	const since = (days: number) => now.getTime() - days * DAY_MS;
	const sections: JobSections = {
		inProgress: [],
		today: [],
		awaitingFollowUp: [],
		recent: [],
		recentLeftOut: 0
	};
	const newestFirst = [...jobs].sort(
		(a, b) => b.reportedAt.getTime() - a.reportedAt.getTime() || b.jobNo.localeCompare(a.jobNo)
	);
	for (const job of newestFirst) {
		const active = job.status === 'open' || job.status === 'in_progress';
		if (active && (job.arrivedAt || job.startedAt || job.status === 'in_progress')) {
			sections.inProgress.push(job);
		} else if (active || isToday(job.reportedAt) || isToday(job.completedAt)) {
			sections.today.push(job);
		} else if (
			job.status === 'completed' &&
			job.completedAt &&
			job.completedAt.getTime() >= since(FOLLOW_UP_DAYS) &&
			!followedUpJobIds.has(job.id)
		) {
			sections.awaitingFollowUp.push(job);
		} else if (job.reportedAt.getTime() >= since(RECENT_DAYS)) {
			if (sections.recent.length < RECENT_LIMIT) sections.recent.push(job);
			else sections.recentLeftOut += 1;
		}
	}
	return sections;
}
