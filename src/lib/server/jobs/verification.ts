/**
 * The supervisor's worklist of completed jobs nobody has verified yet, and verifying several at
 * once: one transaction in which each job goes through verifyJob (jobs/service.ts), so the bulk
 * path has no rule of its own, and a job that cannot be verified leaves all of them unverified.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db';
import { inTransaction } from '../db/change-context';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import { isoUtc } from '../review/sql';
import { requireSupervisor } from './access';
import { verifyJob } from './service';
import { kpiPeriodSchema } from '../../shared/kpi';

/** Most jobs one bulk verification takes (and one page shows, so "all shown" always fits). */
export const VERIFY_BATCH_MAX = 100;

export const unverifiedListInputSchema = z.object({
	technicianId: z.uuid().optional(),
	/** Completion in [from, to) of the station's local dates. */
	period: z.optional(kpiPeriodSchema),
	page: z.number().int().min(1).default(1),
	pageSize: z.number().int().min(1).max(VERIFY_BATCH_MAX).default(50)
});

const instant = z.iso.datetime();

export const unverifiedJobSchema = z.object({
	jobId: z.string(),
	jobNo: z.string(),
	technicianName: z.string(),
	customerName: z.string(),
	completedAt: instant,
	outcome: z.enum(['fixed', 'not_fixed']),
	faultCategoryName: z.string().nullable(),
	faultDescription: z.string()
});

export const unverifiedListSchema = z.object({
	total: z.number().int().min(0),
	page: z.number().int().min(1),
	pageSize: z.number().int().min(1),
	/** Oldest completion first. */
	jobs: z.array(unverifiedJobSchema),
	technicians: z.array(z.object({ id: z.string(), name: z.string() }))
});
export type UnverifiedList = z.infer<typeof unverifiedListSchema>;

export const verifyJobsSchema = z.object({
	jobIds: z
		.array(z.uuid())
		.min(1, 'choose at least one job')
		.max(VERIFY_BATCH_MAX, `at most ${VERIFY_BATCH_MAX} jobs at once`)
		.refine((ids) => new Set(ids).size === ids.length, 'a job is named twice')
});

function unverifiedCondition(
	stationId: string,
	filters: z.output<typeof unverifiedListInputSchema>
): SQL {
	const conditions: SQL[] = [
		sql`j.station_id = ${stationId}::uuid`,
		sql`j.status = 'completed'`,
		sql`j.verified_at IS NULL`
	];
	if (filters.technicianId) conditions.push(sql`j.technician_id = ${filters.technicianId}::uuid`);
	if (filters.period) {
		conditions.push(sql`j.completed_at >= (${filters.period.from}::date::timestamp AT TIME ZONE s.time_zone)
			AND j.completed_at < (${filters.period.to}::date::timestamp AT TIME ZONE s.time_zone)`);
	}
	return sql.join(conditions, sql` AND `);
}

/** One page of the station's completed, unverified jobs, oldest completion first. */
export async function unverifiedJobs(
	db: Queryable,
	user: SessionUser,
	input: z.input<typeof unverifiedListInputSchema> = {}
): Promise<UnverifiedList> {
	requireSupervisor(user, 'verify jobs');
	const filters = unverifiedListInputSchema.parse(input);
	const station = sql`${user.stationId}::uuid`;
	const rows = await queryRows<Record<string, unknown> & { total: number }>(
		db,
		sql`
SELECT
	count(*) OVER ()::int AS total,
	j.id::text AS "jobId",
	j.job_no AS "jobNo",
	u.name AS "technicianName",
	j.customer_name AS "customerName",
	${isoUtc(sql`j.completed_at`)} AS "completedAt",
	j.outcome::text AS outcome,
	fc.name AS "faultCategoryName",
	j.fault_description AS "faultDescription"
FROM stations s
JOIN jobs j ON j.station_id = s.id
JOIN users u ON u.station_id = j.station_id AND u.id = j.technician_id
LEFT JOIN fault_categories fc ON fc.station_id = j.station_id AND fc.id = j.fault_category_id
WHERE s.id = ${station} AND ${unverifiedCondition(user.stationId, filters)}
ORDER BY j.completed_at, j.job_no COLLATE "C"
LIMIT ${filters.pageSize} OFFSET ${(filters.page - 1) * filters.pageSize}`
	);
	const technicians = await queryRows<{ id: string; name: string }>(
		db,
		sql`SELECT u.id::text AS id, u.name FROM users u
			WHERE u.station_id = ${station} AND u.role = 'technician'
			ORDER BY u.active DESC, u.name, u.login`
	);
	return unverifiedListSchema.parse({
		total: rows[0]?.total ?? 0,
		page: filters.page,
		pageSize: filters.pageSize,
		jobs: rows.map(({ total: _total, ...job }) => job),
		technicians
	});
}

/** For the station home: the station's completed jobs not verified yet. */
export async function countUnverifiedJobs(db: Queryable, user: SessionUser): Promise<number> {
	requireSupervisor(user, 'verify jobs');
	const [row] = await queryRows<{ count: number }>(
		db,
		sql`SELECT count(*)::int AS count FROM stations s JOIN jobs j ON j.station_id = s.id
			WHERE s.id = ${user.stationId}::uuid
				AND ${unverifiedCondition(user.stationId, unverifiedListInputSchema.parse({}))}`
	);
	return row.count;
}

/**
 * Verifies the named jobs in one transaction, each through verifyJob (another station's or an
 * unknown id is NOT_FOUND, an unfinished job BAD_REQUEST: then none is verified). All carry the
 * same instant. Returns the job numbers verified by this call (already verified ones keep their
 * first verification and are not counted).
 */
export async function verifyJobs(
	db: Queryable,
	user: SessionUser,
	input: z.input<typeof verifyJobsSchema>
): Promise<{ verified: string[] }> {
	requireSupervisor(user, 'verify jobs');
	const { jobIds } = verifyJobsSchema.parse(input);
	const at = new Date();
	return inTransaction(db, user, async (tx) => {
		const verified: string[] = [];
		// One at a time, in a fixed order: the same rows are locked in the same order by two
		// supervisors verifying overlapping selections, so they wait instead of deadlocking.
		for (const jobId of [...jobIds].sort()) {
			const job = await verifyJob(tx, user, { jobId, at });
			if (job.verifiedAt?.getTime() === at.getTime() && job.verifiedBy === user.id) {
				verified.push(job.jobNo);
			}
		}
		return { verified };
	});
}
