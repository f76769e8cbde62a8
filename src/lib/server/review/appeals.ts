/**
 * Appeals (docs/kpi-rules.md "Appeals and exclusions", roles.md "Appeal a rework or a flag on
 * own job"): the technician of a completed job appeals a rework that counts it as failed, or a
 * flag that makes it not clean, with a reason and optional evidence; a supervisor of the station
 * accepts or rejects it with a reason. Accepting takes the job out of the KPI the subject
 * lowers (job_kpi_exclusions, in the same transaction), which the KPI facts honour. The appeal
 * row keeps who filed and who decided, when and why: it is the audit.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db';
import { inTransaction } from '../db/change-context';
import { queryRows } from '../db/rows';
import { jobAppeals, jobKpiExclusions, jobs, users } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { refusal } from '../refusal';
import { jobVisibleTo, requireSupervisor, technicianScope } from '../jobs/access';
import { refreshJob } from '../kpi/fact-refresh';
import type { AppealSubject, ExcludableKpi } from '../../shared/honesty-domain';
import type {
	Appeal,
	DecideAppealInput,
	FileAppealInput,
	JobAppeals,
	KpiExclusion
} from '../../shared/appeal-schemas';

/** The KPI an accepted appeal of this subject takes the job out of. */
export const EXCLUDED_BY: Record<AppealSubject, ExcludableKpi> = {
	rework: 'repair_success_rate',
	flag: 'record_accuracy'
};

const decider = alias(users, 'decider');

/** Appeals with their job, technician and decider; callers add the station's condition. */
function appealRows(db: Queryable) {
	return db
		.select({
			id: jobAppeals.id,
			jobId: jobAppeals.jobId,
			jobNo: jobs.jobNo,
			technicianName: users.name,
			subject: jobAppeals.subject,
			flag: jobAppeals.flag,
			reason: jobAppeals.reason,
			evidence: jobAppeals.evidence,
			status: jobAppeals.status,
			createdAt: jobAppeals.createdAt,
			decidedByName: decider.name,
			decidedAt: jobAppeals.decidedAt,
			decisionReason: jobAppeals.decisionReason
		})
		.from(jobAppeals)
		.innerJoin(jobs, and(eq(jobs.stationId, jobAppeals.stationId), eq(jobs.id, jobAppeals.jobId)))
		.innerJoin(
			users,
			and(eq(users.stationId, jobAppeals.stationId), eq(users.id, jobAppeals.technicianId))
		)
		.leftJoin(
			decider,
			and(eq(decider.stationId, jobAppeals.stationId), eq(decider.id, jobAppeals.decidedBy))
		)
		.$dynamic();
}

type AppealRow = Awaited<ReturnType<ReturnType<typeof appealRows>['execute']>>[number];

function appealOf(row: AppealRow): Appeal {
	return {
		...row,
		createdAt: row.createdAt.toISOString(),
		decidedAt: row.decidedAt?.toISOString() ?? null
	};
}

/** The reworks and unaccepted flags the KPI facts hold for a job, as refreshed so far. */
async function appealableOf(
	db: Queryable,
	stationId: string,
	jobId: string
): Promise<{ reworkedBy: string[]; flags: string[]; excluded: string[] }> {
	const [facts] = await queryRows<{ reworkedBy: string[]; flags: string[]; excluded: string[] }>(
		db,
		sql`SELECT reworked_by::text[] AS "reworkedBy", flags::text[] AS flags,
				excluded_kpis::text[] AS excluded
			FROM job_kpi_facts WHERE station_id = ${stationId}::uuid AND job_id = ${jobId}::uuid`
	);
	return facts ?? { reworkedBy: [], flags: [], excluded: [] };
}

async function exclusionsOf(db: Queryable, stationId: string, jobId: string) {
	const rows = await db
		.select({ kpi: jobKpiExclusions.kpi, reason: jobKpiExclusions.reason })
		.from(jobKpiExclusions)
		.where(and(eq(jobKpiExclusions.stationId, stationId), eq(jobKpiExclusions.jobId, jobId)))
		.orderBy(jobKpiExclusions.kpi);
	return rows satisfies KpiExclusion[];
}

/** roles.md: only the job's technician appeals; the desk and supervisors never do. */
function requireAppellant(user: SessionUser): string {
	const technicianId = technicianScope(user);
	if (technicianId !== null) return technicianId;
	throw refusal(
		'FORBIDDEN',
		"Only the job's technician appeals a rework or a flag; a supervisor decides appeals.",
		'appeal_technician_only'
	);
}

/**
 * A technician's appeal of a rework or a flag on their own completed job. Another's job is
 * NOT_FOUND; a job with nothing of that kind to appeal, a KPI already excluded, or a pending
 * appeal of the same subject (and flag) is refused with its reason.
 */
export async function fileAppeal(
	db: Queryable,
	user: SessionUser,
	input: FileAppealInput
): Promise<Appeal> {
	const technicianId = requireAppellant(user);
	const flag = input.subject === 'flag' ? (input.flag ?? '') : null;
	return inTransaction(db, user, async (tx) => {
		// Locked: two appeals of one job are checked one after the other.
		const job = await jobVisibleTo(tx, user, input.jobId, { lock: true });
		if (job.status !== 'completed') {
			throw refusal(
				'BAD_REQUEST',
				`Job ${job.jobNo} is not completed, so it has nothing to appeal yet.`,
				'appeal_job_not_completed',
				{ jobNo: job.jobNo }
			);
		}
		// A decision on the job's facts: they are brought up to date first (a write may write).
		await refreshJob(tx, user.stationId, job.id);
		const facts = await appealableOf(tx, user.stationId, job.id);
		const appealable =
			input.subject === 'rework' ? facts.reworkedBy.length > 0 : facts.flags.includes(flag ?? '');
		if (!appealable) {
			throw refusal(
				'BAD_REQUEST',
				`Job ${job.jobNo} has no ${input.subject === 'rework' ? 'rework' : `flag ${flag}`} to appeal.`,
				input.subject === 'rework' ? 'appeal_no_rework' : 'appeal_no_flag',
				{ jobNo: job.jobNo }
			);
		}
		if (facts.excluded.includes(EXCLUDED_BY[input.subject])) {
			throw refusal(
				'CONFLICT',
				`Job ${job.jobNo} is already excluded from that KPI by an accepted appeal.`,
				'appeal_already_excluded',
				{ jobNo: job.jobNo }
			);
		}
		const [pending] = await tx
			.select({ id: jobAppeals.id })
			.from(jobAppeals)
			.where(
				and(
					eq(jobAppeals.stationId, user.stationId),
					eq(jobAppeals.jobId, job.id),
					eq(jobAppeals.subject, input.subject),
					sql`coalesce(${jobAppeals.flag}, '') = ${flag ?? ''}`,
					eq(jobAppeals.status, 'pending')
				)
			)
			.limit(1);
		if (pending) {
			throw refusal(
				'CONFLICT',
				`Job ${job.jobNo} already has a pending appeal of this ${input.subject}.`,
				'appeal_pending',
				{ jobNo: job.jobNo }
			);
		}
		const [created] = await tx
			.insert(jobAppeals)
			.values({
				stationId: user.stationId,
				jobId: job.id,
				technicianId,
				subject: input.subject,
				flag,
				reason: input.reason,
				evidence: input.evidence
			})
			.returning({ id: jobAppeals.id });
		const [row] = await appealRows(tx).where(
			and(eq(jobAppeals.stationId, user.stationId), eq(jobAppeals.id, created.id))
		);
		return appealOf(row);
	});
}

/**
 * A supervisor's decision on a pending appeal, with a reason kept on the appeal. Accepting
 * excludes the job from the subject's KPI (job_kpi_exclusions) in the same transaction; the
 * staleness triggers then refresh the job's facts. An appeal of another station is NOT_FOUND,
 * one already decided a CONFLICT.
 */
export async function decideAppeal(
	db: Queryable,
	user: SessionUser,
	input: DecideAppealInput
): Promise<Appeal> {
	requireSupervisor(user, 'decide appeals');
	return inTransaction(db, user, async (tx) => {
		const key = and(eq(jobAppeals.stationId, user.stationId), eq(jobAppeals.id, input.appealId));
		const [appeal] = await tx.select().from(jobAppeals).where(key).for('update');
		if (!appeal) {
			throw refusal('NOT_FOUND', `Appeal ${input.appealId} was not found.`, 'appeal_not_found');
		}
		if (appeal.status !== 'pending') {
			throw refusal('CONFLICT', `This appeal was already ${appeal.status}.`, 'appeal_decided');
		}
		await tx
			.update(jobAppeals)
			.set({
				status: input.accept ? 'accepted' : 'rejected',
				decidedBy: user.id,
				decidedAt: sql`now()`,
				decisionReason: input.reason
			})
			.where(key);
		if (input.accept) {
			await tx
				.insert(jobKpiExclusions)
				.values({
					stationId: user.stationId,
					jobId: appeal.jobId,
					kpi: EXCLUDED_BY[appeal.subject],
					reason: input.reason,
					appealId: appeal.id,
					decidedBy: user.id
				})
				// Two appeals of one KPI (two flags) accepted: the first exclusion stands.
				.onConflictDoNothing();
		}
		const [row] = await appealRows(tx).where(key);
		return appealOf(row);
	});
}

/** The station's appeals for a supervisor: pending first (oldest first), then the decided. */
export async function listAppeals(
	db: Queryable,
	user: SessionUser,
	options: { status?: Appeal['status'] } = {}
): Promise<Appeal[]> {
	requireSupervisor(user, 'review appeals');
	const rows = await appealRows(db)
		.where(
			and(
				eq(jobAppeals.stationId, user.stationId),
				options.status ? eq(jobAppeals.status, options.status) : undefined
			)
		)
		.orderBy(
			sql`${jobAppeals.status} <> 'pending'`,
			sql`CASE WHEN ${jobAppeals.status} = 'pending' THEN ${jobAppeals.createdAt} END`,
			desc(jobAppeals.decidedAt)
		)
		.limit(500);
	return rows.map(appealOf);
}

/** Pending appeals of the station: the station home's worklist count. */
export async function countPendingAppeals(db: Queryable, user: SessionUser): Promise<number> {
	requireSupervisor(user, 'review appeals');
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(jobAppeals)
		.where(and(eq(jobAppeals.stationId, user.stationId), eq(jobAppeals.status, 'pending')));
	return row.n;
}

/**
 * A job's appeals as its technician (or a supervisor) reads them: what the facts say may be
 * appealed, the exclusions granted with their reasons, and every appeal with its status.
 */
export async function appealsOfJob(
	db: Queryable,
	user: SessionUser,
	jobId: string
): Promise<JobAppeals> {
	const job = await jobVisibleTo(db, user, jobId);
	const facts = await appealableOf(db, user.stationId, job.id);
	const [exclusions, appeals] = await Promise.all([
		exclusionsOf(db, user.stationId, job.id),
		appealRows(db)
			.where(and(eq(jobAppeals.stationId, user.stationId), eq(jobAppeals.jobId, job.id)))
			.orderBy(desc(jobAppeals.createdAt))
	]);
	return {
		jobNo: job.jobNo,
		reworkedBy: facts.reworkedBy,
		flags: facts.flags,
		exclusions,
		appeals: appeals.map(appealOf)
	};
}
