/**
 * The reworks worklist (返修): the station's jobs completed in a period that kpi.md counts as
 * reworked, each beside every job that reworks it. The rule is the KPI engine's own: the pairs
 * come from the materialised facts' `reworked_by` (kpi/job-facts.ts), so this list and the
 * repair success rate can never disagree about which job failed because of a rework.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import { jobFactsCtes } from '../kpi/job-facts';
import { parseStationPeriod } from '../kpi/period';
import { isoUtc } from './sql';
import { JOB_STATUSES } from '../../shared/domain';
import { requireDesk } from '../jobs/access';
import { kpiPeriodSchema, type KpiPeriod } from '../../shared/kpi';

export const reworkListInputSchema = z.object({
	period: kpiPeriodSchema,
	technicianId: z.uuid().optional()
});

const instant = z.iso.datetime();

const pairJobSchema = z.object({
	jobId: z.string(),
	jobNo: z.string(),
	status: z.enum(JOB_STATUSES),
	outcome: z.enum(['fixed', 'not_fixed']).nullable(),
	technicianName: z.string().nullable(),
	reportedAt: instant,
	completedAt: instant.nullable(),
	deviceSerial: z.string(),
	faultCategoryName: z.string().nullable(),
	faultDescription: z.string()
});

export const reworkPairSchema = z.object({
	original: pairJobSchema,
	rework: pairJobSchema,
	/** How the rework is linked: `previous_job` set by whoever opened it, or the same serial. */
	linkedBy: z.enum(['previous_job', 'serial'])
});
export type ReworkPair = z.infer<typeof reworkPairSchema>;

export const reworkListSchema = z.object({
	period: z.object({ from: z.string(), to: z.string() }),
	/** Reworked jobs of the period (originals), each counted once however many reworks it has. */
	reworkedJobs: z.number().int().min(0),
	/** Original's completion first, then the rework's job number. */
	pairs: z.array(reworkPairSchema)
});
export type ReworkList = z.infer<typeof reworkListSchema>;

const jobColumns = (alias: string) => {
	const t = sql.raw(alias);
	return sql`json_build_object(
		'jobId', ${t}.id::text,
		'jobNo', ${t}.job_no,
		'status', ${t}.status::text,
		'outcome', ${t}.outcome::text,
		'technicianName', (SELECT u.name FROM users u WHERE u.station_id = ${t}.station_id AND u.id = ${t}.technician_id),
		'reportedAt', ${isoUtc(sql`${t}.reported_at`)},
		'completedAt', CASE WHEN ${t}.completed_at IS NOT NULL THEN ${isoUtc(sql`${t}.completed_at`)} END,
		'deviceSerial', ${t}.device_serial,
		'faultCategoryName', (SELECT fc.name FROM fault_categories fc WHERE fc.station_id = ${t}.station_id AND fc.id = ${t}.fault_category_id),
		'faultDescription', ${t}.fault_description
	)`;
};

/** The reworked jobs completed in the period (optionally one technician's), with their reworks. */
export async function reworkList(
	db: Queryable,
	user: SessionUser,
	input: z.input<typeof reworkListInputSchema>
): Promise<ReworkList> {
	requireDesk(user);
	const { period, technicianId } = reworkListInputSchema.parse(input);
	const scope = parseStationPeriod({ stationId: user.stationId, ...period });
	const station = sql`${scope.stationId}::uuid`;
	const rows = await queryRows<{ pair: string; reworked: number }>(
		db,
		sql`
WITH ${jobFactsCtes({ ...scope, technicianId })}
SELECT json_build_object(
	'original', ${jobColumns('o')},
	'rework', ${jobColumns('r')},
	'linkedBy', CASE WHEN r.previous_job_id = o.id THEN 'previous_job' ELSE 'serial' END
)::text AS pair,
	(SELECT count(*) FROM job_facts x WHERE cardinality(x.reworked_by) > 0)::int AS reworked
FROM job_facts jf
CROSS JOIN LATERAL unnest(jf.reworked_by) AS rw(job_no)
JOIN jobs o ON o.station_id = ${station} AND o.id = jf.id
JOIN jobs r ON r.station_id = ${station} AND r.job_no = rw.job_no
ORDER BY jf.completed_at, jf.job_no COLLATE "C", r.job_no COLLATE "C"`
	);
	return reworkListSchema.parse({
		period: { from: scope.from, to: scope.to },
		reworkedJobs: rows[0]?.reworked ?? 0,
		pairs: rows.map((row) => JSON.parse(row.pair))
	});
}

/** For the station home: how many jobs completed in the period were reworked (as the KPIs count). */
export async function countReworks(
	db: Queryable,
	user: SessionUser,
	period: KpiPeriod
): Promise<number> {
	requireDesk(user);
	const scope = parseStationPeriod({ stationId: user.stationId, ...period });
	const [row] = await queryRows<{ count: number }>(
		db,
		sql`WITH ${jobFactsCtes(scope)}
			SELECT count(*)::int AS count FROM job_facts jf WHERE cardinality(jf.reworked_by) > 0`
	);
	return row.count;
}
