/**
 * The jobs behind the station's own figures (its KPI tiles): the lists of a technician's page
 * across every technician of the station, each cut in SQL to what a page can show (the
 * slowest and costliest DRILL_TOP, the others their newest STATION_DRILL_LIMIT) with the count
 * of all, so a large station's month never travels whole.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { jobFactSchema } from '../../shared/kpi';
import {
	DRILL_LISTS,
	DRILL_TOP,
	LARGEST_FIRST,
	STATION_DRILL_LIMIT,
	isLargestFirst,
	type DrillList
} from '../../shared/drill-down';
import { drillDownJobSchema, identifiedJobs } from './drill-down';
import { jobFactRows, jobFactsCtes } from './job-facts';
import { parseStationPeriod, type StationPeriod } from './period';

export const stationDrillDownSchema = z.object({
	/** The completed jobs of the period. */
	jobsCompleted: z.number().int(),
	lists: z.array(
		z.object({
			list: z.enum(DRILL_LISTS),
			/** Every job of the period the list holds; `jobs` are the first of them. */
			count: z.number().int(),
			jobs: z.array(drillDownJobSchema)
		})
	)
});
export type StationDrillDown = z.infer<typeof stationDrillDownSchema>;

/** Which jobs each list holds. */
const LIST_CONDITIONS: Record<DrillList, string> = {
	failed: 'NOT f.success',
	'slow-repairs': 'f.repair_minutes IS NOT NULL',
	'slow-responses': 'f.response_hours IS NOT NULL',
	costly: 'f.parts_cost > 0',
	'low-satisfaction': 'f.latest_satisfaction < 4',
	flagged: 'cardinality(f.flags) > 0',
	excluded: 'cardinality(f.excluded_kpis) > 0',
	'no-follow-up': 'NOT f.has_follow_up'
};

const listedRowSchema = z.object({
	jobs_completed: z.coerce.number().int(),
	list: z.enum(DRILL_LISTS).nullable(),
	list_count: z.coerce.number().int().nullable()
});

export async function stationDrillDown(
	db: Queryable,
	scope: StationPeriod
): Promise<StationDrillDown> {
	const period = parseStationPeriod(scope);
	const listed = sql.join(
		DRILL_LISTS.map((list) => {
			// The largest first where the list keeps only those; ties, and every other list, newest first.
			const largest = isLargestFirst(list)
				? sql`f.${sql.identifier(LARGEST_FIRST[list])} DESC,`
				: sql``;
			const shown = isLargestFirst(list) ? DRILL_TOP : STATION_DRILL_LIMIT;
			return sql`(
	SELECT ${list}::text AS list, count(*) OVER () AS list_count,
		row_number() OVER (ORDER BY ${largest} f.completed_at DESC, f.job_no COLLATE "C" DESC)
			AS position,
		${shown}::int AS shown, f.*
	FROM facts f
	WHERE ${sql.raw(LIST_CONDITIONS[list])}
)`;
		}),
		sql`\nUNION ALL\n`
	);
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`
WITH ${jobFactsCtes(period)},
facts AS (${jobFactRows(period.stationId)}),
listed AS (${listed})
SELECT (SELECT count(*) FROM facts) AS jobs_completed, l.*
FROM (SELECT 1) one
LEFT JOIN listed l ON l.position <= l.shown
ORDER BY l.list, l.position`
	);
	const facts = rows.filter((row) => row.list !== null).map((row) => jobFactSchema.parse(row));
	const jobs = new Map(
		(await identifiedJobs(db, period.stationId, facts)).map((job) => [job.job_id, job])
	);
	const lists = new Map<DrillList, StationDrillDown['lists'][number]>(
		DRILL_LISTS.map((list) => [list, { list, count: 0, jobs: [] }])
	);
	let jobsCompleted = 0;
	for (const row of rows) {
		const { jobs_completed, list, list_count } = listedRowSchema.parse(row);
		jobsCompleted = jobs_completed;
		if (list === null || list_count === null) continue;
		const entry = lists.get(list)!;
		entry.count = list_count;
		entry.jobs.push(jobs.get(String(row.job_id))!);
	}
	return { jobsCompleted, lists: [...lists.values()] };
}
