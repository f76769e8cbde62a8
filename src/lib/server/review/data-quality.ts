/**
 * The data-quality listing: the period's completed jobs carrying kpi.md's flags
 * (missing_arrival, missing_start, out_of_order, long_repair) and the time flags of
 * docs/kpi-rules.md, grouped by technician with counts per flag; a flag a supervisor accepted is
 * listed as accepted, with who accepted it and why, and counts no more. The flags come from the KPI engine's own job_facts CTE, so this page lists exactly
 * the jobs that lower a technician's record accuracy on the scorecard.
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { jobFactsCtes } from '../kpi/job-facts';
import { parseStationPeriod, type StationPeriod } from '../kpi/period';
import { JOB_FLAGS, type JobFlag } from '../../shared/kpi';
import type { AcceptedFlag } from './flag-acceptance';
import { dataQualityReportSchema, type DataQualityReport, type QualityGroup } from './schemas';
import { isoUtc } from './sql';

type FlaggedJobRow = {
	technicianId: string;
	login: string;
	name: string;
	jobsCompleted: number;
	flaggedJobs: number;
	jobId: string;
	jobNo: string;
	reportedAt: string;
	arrivedAt: string | null;
	startedAt: string | null;
	completedAt: string;
	repairMinutes: number | null;
	flags: JobFlag[];
	accepted: AcceptedFlag[];
} & Record<`count_${JobFlag}`, number>;

/** One count column per flag, e.g. `count_missing_arrival`. */
function flagCountColumns() {
	return sql.join(
		JOB_FLAGS.map(
			(flag) =>
				sql`count(*) FILTER (WHERE ${flag}::text = ANY(flags))::int AS ${sql.raw(`count_${flag}`)}`
		),
		sql`,\n\t\t`
	);
}

export async function dataQuality(db: Queryable, input: StationPeriod): Promise<DataQualityReport> {
	const period = parseStationPeriod(input);
	const rows = await queryRows<FlaggedJobRow>(
		db,
		sql`
WITH ${jobFactsCtes(period)},
technician_counts AS (
	SELECT
		technician_id,
		count(*)::int AS jobs_completed,
		count(*) FILTER (WHERE cardinality(flags) > 0)::int AS flagged_jobs,
		${flagCountColumns()}
	FROM job_facts
	GROUP BY technician_id
	HAVING count(*) FILTER (WHERE cardinality(flags) > 0 OR cardinality(accepted_flags) > 0) > 0
)
SELECT
	u.id::text AS "technicianId",
	u.login,
	u.name,
	tc.jobs_completed AS "jobsCompleted",
	tc.flagged_jobs AS "flaggedJobs",
	${sql.join(
		JOB_FLAGS.map((flag) => sql.raw(`tc.count_${flag}`)),
		sql`, `
	)},
	jf.id::text AS "jobId",
	jf.job_no AS "jobNo",
	${isoUtc(sql`j.reported_at`)} AS "reportedAt",
	${isoUtc(sql`j.arrived_at`)} AS "arrivedAt",
	${isoUtc(sql`j.started_at`)} AS "startedAt",
	${isoUtc(sql`j.completed_at`)} AS "completedAt",
	(jf.repair_seconds / 60)::float8 AS "repairMinutes",
	jf.flags::text[] AS flags,
	coalesce(acc.accepted, '[]'::jsonb) AS accepted
FROM technician_counts tc
JOIN users u ON u.station_id = ${period.stationId}::uuid AND u.id = tc.technician_id
JOIN job_facts jf ON jf.technician_id = tc.technician_id
	AND (cardinality(jf.flags) > 0 OR cardinality(jf.accepted_flags) > 0)
JOIN jobs j ON j.station_id = ${period.stationId}::uuid AND j.id = jf.id
LEFT JOIN LATERAL (
	SELECT jsonb_agg(jsonb_build_object(
		'flag', a.flag, 'reason', a.reason, 'acceptedBy', a.accepted_by::text,
		'acceptedByName', au.name, 'acceptedAt', ${isoUtc(sql`a.accepted_at`)}
	) ORDER BY a.accepted_at, a.flag) AS accepted
	FROM job_flag_acceptances a
	JOIN users au ON au.station_id = a.station_id AND au.id = a.accepted_by
	WHERE a.station_id = ${period.stationId}::uuid AND a.job_id = jf.id
		AND a.flag = ANY(jf.accepted_flags)
) acc ON true
ORDER BY tc.flagged_jobs DESC, u.login COLLATE "C", jf.completed_at, jf.job_no COLLATE "C"`
	);

	// The rows arrive sorted by technician; nest each technician's jobs under one group.
	const groups: QualityGroup[] = [];
	for (const row of rows) {
		let group = groups.at(-1);
		if (group?.technicianId !== row.technicianId) {
			group = {
				technicianId: row.technicianId,
				login: row.login,
				name: row.name,
				jobsCompleted: row.jobsCompleted,
				flaggedJobs: row.flaggedJobs,
				flagCounts: Object.fromEntries(
					JOB_FLAGS.map((flag) => [flag, row[`count_${flag}`]])
				) as QualityGroup['flagCounts'],
				jobs: []
			};
			groups.push(group);
		}
		group.jobs.push({
			jobId: row.jobId,
			jobNo: row.jobNo,
			reportedAt: row.reportedAt,
			arrivedAt: row.arrivedAt,
			startedAt: row.startedAt,
			completedAt: row.completedAt,
			repairMinutes: row.repairMinutes,
			flags: row.flags,
			accepted: row.accepted
		});
	}
	return dataQualityReportSchema.parse({
		period: { from: period.from, to: period.to },
		groups
	});
}
