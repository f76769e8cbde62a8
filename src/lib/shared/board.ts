/**
 * The open-jobs board (the desk's start page, /desk): its filters, as the page's URL and the
 * tRPC input carry them, and the shape the server answers with (plain JSON, dates as ISO text).
 * The board itself is computed in SQL (lib/server/jobs/board.ts).
 */
import { z } from 'zod/mini';
import type { JobOutcome } from './domain';
import type { JobOrigin, JobUrgency } from './desk-domain';

/** The statuses of a job not yet done: the board's jobs. */
export const BOARD_STATUSES = ['open', 'in_progress'] as const;
type BoardStatus = (typeof BOARD_STATUSES)[number];

/**
 * How long a job has waited since it was reported, against the station's response-time
 * thresholds (avg_response_hours): past `excellent` it is late, past `pass` overdue. Null when
 * the station does not score response time (no thresholds to measure against).
 */
export type BoardTiming = 'on_time' | 'late' | 'overdue';

/** The age filter: late or worse (past excellent), overdue only (past pass). */
const BOARD_AGE_FILTERS = ['late', 'overdue'] as const;

export const UNASSIGNED = 'unassigned';
/** A board filter by age in hours goes up to 90 days, far beyond any threshold. */
export const MAX_OLDER_THAN_HOURS = 90 * 24;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const boardFiltersSchema = z.strictObject({
	/**
	 * A technician's id, or `unassigned` for the jobs nobody was dispatched to yet. Checked with
	 * a refinement, not z.union: the browser loads the board's schema, and zod's union and
	 * literal would land in the code every page loads, the phone's included (size-budget.mjs).
	 */
	technician: z.optional(
		z
			.string()
			.check(z.refine((value) => value === UNASSIGNED || UUID.test(value), 'invalid technician'))
	),
	status: z.optional(z.enum(BOARD_STATUSES)),
	categoryId: z.optional(z.uuid()),
	age: z.optional(z.enum(BOARD_AGE_FILTERS)),
	/** Only jobs reported more than this many hours ago. */
	olderThanHours: z.optional(z.number().check(z.int(), z.positive(), z.lte(MAX_OLDER_THAN_HOURS)))
});
export type BoardFilters = z.infer<typeof boardFiltersSchema>;

/** The query parameters of the board's URL, one per filter. */
const PARAMS = {
	technician: 'technician',
	status: 'status',
	categoryId: 'category',
	age: 'age',
	olderThanHours: 'hours'
} as const satisfies Record<keyof BoardFilters, string>;

/**
 * The filters a URL names. A value the schema refuses (a hand-edited link, a category since
 * removed from the form) is dropped rather than failing the page: the board then shows more,
 * never less, and the form shows which filters are in effect.
 */
export function boardFiltersFromSearch(params: URLSearchParams): BoardFilters {
	const filters: BoardFilters = {};
	for (const [key, param] of Object.entries(PARAMS) as [keyof BoardFilters, string][]) {
		const raw = params.get(param);
		if (raw === null || raw === '') continue;
		const value = key === 'olderThanHours' ? Number(raw) : raw;
		const parsed = boardFiltersSchema.safeParse({ [key]: value });
		if (parsed.success) Object.assign(filters, parsed.data);
	}
	return filters;
}

/** The URL query of some filters (stable order, so the offline copy's key is stable too). */
export function boardSearch(filters: BoardFilters): string {
	const params = new URLSearchParams();
	for (const [key, param] of Object.entries(PARAMS) as [keyof BoardFilters, string][]) {
		const value = filters[key];
		if (value !== undefined) params.set(param, String(value));
	}
	return params.toString();
}

export interface BoardJob {
	id: string;
	jobNo: string;
	status: BoardStatus;
	/** Null: not dispatched yet. */
	technicianId: string | null;
	technicianName: string | null;
	categoryName: string | null;
	urgency: JobUrgency;
	origin: JobOrigin;
	customerName: string;
	customerAddress: string;
	productModel: string;
	faultDescription: string;
	reportedAt: string;
	/** When the job was (last) given to its technician; null if unassigned or not recorded. */
	assignedAt: string | null;
	/** Whole minutes from reported to the board's `now`. */
	waitingMinutes: number;
	timing: BoardTiming | null;
}

/** One line of the counts per technician; `technicianId` null is the unassigned jobs. */
export interface BoardTechnicianCount {
	technicianId: string | null;
	technicianName: string | null;
	open: number;
	inProgress: number;
	late: number;
	overdue: number;
}

/** A job done today (the station's day), so the desk sees the day's work come in. */
export interface BoardCompletedJob {
	id: string;
	jobNo: string;
	technicianName: string | null;
	customerName: string;
	completedAt: string;
	outcome: JobOutcome;
}

/** The most completed jobs of today the board lists (the rest are counted). */
export const COMPLETED_TODAY_LISTED = 50;

export interface OpenJobsBoard {
	/** The moment the waiting times were measured at (ISO). */
	now: string;
	/** The station's response-time thresholds in hours; null when response time is not scored. */
	thresholds: { pass: number; excellent: number } | null;
	filters: BoardFilters;
	/** Unassigned first, then the longest waiting first. */
	jobs: BoardJob[];
	/**
	 * Every active technician of the station (and any inactive one still holding a job) with
	 * their not-done jobs, the unassigned ones first; counted over the whole board, not the
	 * filtered jobs, so the dispatcher sees who is free whatever the filter.
	 */
	technicians: BoardTechnicianCount[];
	/** The station's active fault categories, for the category filter. */
	categories: { id: string; name: string }[];
	/** Jobs completed since the station's midnight, latest first (at most COMPLETED_TODAY_LISTED). */
	completedToday: BoardCompletedJob[];
	completedTodayCount: number;
}

/**
 * Where a job of the board opens: the one place to change when the desk gets its own job page.
 */
export function boardJobPath(jobId: string): string {
	return `/supervisor/jobs/${encodeURIComponent(jobId)}`;
}
