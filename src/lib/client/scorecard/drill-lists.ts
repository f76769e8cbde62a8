/**
 * The lists of a technician's page, made from every job of their period (the station's page
 * gets the same lists cut by the server: kpi/station-drill-down.ts, whose test holds the two to
 * the same rules).
 */
import {
	DRILL_LISTS,
	DRILL_TOP,
	LARGEST_FIRST,
	isLargestFirst,
	type DrillList
} from '$lib/shared/drill-down';
import type { DrillDownJobView } from '$lib/shared/snapshots';

export interface DrillListJobs {
	list: DrillList;
	/** Every job the list holds; `jobs` may show fewer (the largest DRILL_TOP, or a page's cut). */
	count: number;
	jobs: DrillDownJobView[];
}

const HOLDS: Record<DrillList, (job: DrillDownJobView) => boolean> = {
	failed: (job) => !job.success,
	'slow-repairs': (job) => job.repair_minutes !== null,
	'slow-responses': (job) => job.response_hours !== null,
	costly: (job) => job.parts_cost > 0,
	'low-satisfaction': (job) => job.latest_satisfaction !== null && job.latest_satisfaction < 4,
	flagged: (job) => job.flags.length > 0,
	excluded: (job) => job.excluded_kpis.length > 0,
	'no-follow-up': (job) => !job.has_follow_up
};

/** Each list in DRILL_LISTS order; `jobs` in the period's order, the largest first. */
export function drillLists(jobs: DrillDownJobView[]): DrillListJobs[] {
	return DRILL_LISTS.map((list) => {
		const held = jobs.filter(HOLDS[list]);
		if (!isLargestFirst(list)) return { list, count: held.length, jobs: held };
		// Never null in the jobs the list holds.
		const value = (job: DrillDownJobView) => job[LARGEST_FIRST[list]] ?? 0;
		const largest = [...held].sort((a, b) => value(b) - value(a)).slice(0, DRILL_TOP);
		return { list, count: held.length, jobs: largest };
	});
}
