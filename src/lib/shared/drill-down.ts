import type { JobFact } from './kpi';

/**
 * The lists of jobs behind a scorecard's numbers, by the id of their section: on a
 * technician's page every list of their period, on the station's page the same lists across
 * the station (kpi/station-drill-down.ts). `jobs` is every job of the period.
 */
export const DRILL_DOWNS = [
	'jobs',
	'failed',
	'slow-repairs',
	'slow-responses',
	'costly',
	'low-satisfaction',
	'flagged',
	'excluded',
	'no-follow-up'
] as const;
export type DrillDown = (typeof DRILL_DOWNS)[number];

/** The lists proper: every section but `jobs`. */
export type DrillList = Exclude<DrillDown, 'jobs'>;
export const DRILL_LISTS = DRILL_DOWNS.filter((list): list is DrillList => list !== 'jobs');

/**
 * The lists of the largest (slowest, costliest) stop at DRILL_TOP jobs, largest first by this
 * fact of the job, on the technician's page and in the station's SQL alike; the others list all.
 */
export const LARGEST_FIRST = {
	'slow-repairs': 'repair_minutes',
	'slow-responses': 'response_hours',
	costly: 'parts_cost'
} as const satisfies Partial<Record<DrillList, keyof JobFact>>;
export type LargestFirstList = keyof typeof LARGEST_FIRST;
export const DRILL_TOP = 10;

export function isLargestFirst(list: DrillDown): list is LargestFirstList {
	return Object.hasOwn(LARGEST_FIRST, list);
}

/**
 * A station's page lists at most this many jobs of each list, with the count of all: a large
 * station's month holds thousands of jobs, and the technician pages list each one's.
 */
export const STATION_DRILL_LIMIT = 100;
