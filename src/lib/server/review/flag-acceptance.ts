/**
 * A supervisor accepts a flag on a job with a reason (docs/kpi-rules.md, "Flags that lower record
 * accuracy"): the flag stays visible, but no longer makes the job not clean. Each acceptance is
 * kept in job_flag_acceptances with who, when and why; the KPI facts subtract it
 * (kpi/job-facts.ts), marked stale by the table's trigger. Technicians and the desk cannot
 * accept (roles.md): a flag on one's own job is appealed instead.
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { inTransaction } from '../db/change-context';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import { jobVisibleTo, requireSupervisor } from '../jobs/access';
import { refreshJob } from '../kpi/fact-refresh';
import { refusal } from '../refusal';
import type { JobFlag } from '../../shared/kpi';

export interface AcceptedFlag {
	flag: JobFlag;
	reason: string;
	acceptedBy: string;
	acceptedByName: string;
	/** ISO 8601, UTC. */
	acceptedAt: string;
}

/**
 * Accepts `flag` on a completed job of the supervisor's station that carries it now. Accepting
 * a flag already accepted keeps the first acceptance (its reason and who gave it).
 */
export async function acceptJobFlag(
	db: Queryable,
	user: SessionUser,
	input: { jobId: string; flag: JobFlag; reason: string }
): Promise<AcceptedFlag> {
	requireSupervisor(user, 'accept a flag');
	return inTransaction(db, user, async (tx) => {
		const job = await jobVisibleTo(tx, user, input.jobId, { lock: true });
		// The job's flags as the KPIs see them now.
		await refreshJob(tx, user.stationId, job.id);
		const [facts] = await queryRows<{ flags: string[]; accepted: string[] }>(
			tx,
			sql`SELECT flags::text[] AS flags, accepted_flags::text[] AS accepted
				FROM job_kpi_facts
				WHERE station_id = ${user.stationId}::uuid AND job_id = ${job.id}::uuid`
		);
		const raised = facts && [...facts.flags, ...facts.accepted].includes(input.flag);
		if (!raised) {
			throw refusal(
				'BAD_REQUEST',
				`Job ${job.jobNo} does not carry the flag ${input.flag}.`,
				'flag_not_raised',
				{ jobNo: job.jobNo, flag: input.flag }
			);
		}
		await tx.execute(sql`
			INSERT INTO job_flag_acceptances (station_id, job_id, flag, reason, accepted_by)
			VALUES (${user.stationId}::uuid, ${job.id}::uuid, ${input.flag}, ${input.reason}, ${user.id}::uuid)
			ON CONFLICT (station_id, job_id, flag) DO NOTHING`);
		const [accepted] = await acceptedFlags(tx, user.stationId, job.id, input.flag);
		return accepted;
	});
}

/** The accepted flags of a job this user may read (jobVisibleTo), oldest first. */
export async function acceptedFlagsOfJob(
	db: Queryable,
	user: SessionUser,
	jobId: string
): Promise<AcceptedFlag[]> {
	const job = await jobVisibleTo(db, user, jobId);
	return acceptedFlags(db, user.stationId, job.id);
}

/** The accepted flags of a job (or one of them), oldest first, with who accepted each. */
export function acceptedFlags(
	db: Queryable,
	stationId: string,
	jobId: string,
	flag?: JobFlag
): Promise<AcceptedFlag[]> {
	return queryRows<AcceptedFlag>(
		db,
		sql`SELECT a.flag, a.reason, a.accepted_by::text AS "acceptedBy", u.name AS "acceptedByName",
				to_char(a.accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "acceptedAt"
			FROM job_flag_acceptances a
			JOIN users u ON u.station_id = a.station_id AND u.id = a.accepted_by
			WHERE a.station_id = ${stationId}::uuid AND a.job_id = ${jobId}::uuid
				${flag ? sql`AND a.flag = ${flag}` : sql``}
			ORDER BY a.accepted_at, a.flag`
	);
}
