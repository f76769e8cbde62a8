/**
 * What a supervisor reads about one job: its facts with the names behind its ids, and the
 * values that were overwritten (job_history, filled by the `job_history_record` trigger).
 * Visibility is jobVisibleTo's: the station's supervisors and admins, and the job's own
 * technician; anyone else gets NOT_FOUND.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db';
import { faultCategories, jobHistory, jobs, users } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { jobVisibleTo } from './access';
import { getJob } from './service';

/** How a history value is shown: times in the station's zone, ids as the names they point to. */
const HISTORY_VALUE_KINDS = [
	'text',
	'time',
	'status',
	'outcome',
	'person',
	'category',
	'job'
] as const;
type HistoryValueKind = (typeof HISTORY_VALUE_KINDS)[number];

/** Columns of `jobs` (as the trigger names them) whose values need more than printing. */
const FIELD_KINDS: Partial<Record<string, HistoryValueKind>> = {
	reported_at: 'time',
	arrived_at: 'time',
	started_at: 'time',
	completed_at: 'time',
	verified_at: 'time',
	assigned_at: 'time',
	status: 'status',
	outcome: 'outcome',
	technician_id: 'person',
	verified_by: 'person',
	reported_by: 'person',
	fault_category_id: 'category',
	previous_job_id: 'job'
};

export const jobHistoryEntrySchema = z.object({
	id: z.number().int(),
	/** When the server recorded the change. */
	changedAt: z.date(),
	/** Who made it; null for writers that set no actor (imports, maintenance). */
	changedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
	/** The `jobs` column, snake_case as in the database (`customer_phone`). */
	field: z.string(),
	kind: z.enum(HISTORY_VALUE_KINDS),
	/**
	 * The values as text: times as ISO instants, people, categories and jobs as their names
	 * (job numbers), or the id when it no longer resolves; null for an empty (SQL NULL) value.
	 */
	oldValue: z.string().nullable(),
	newValue: z.string().nullable(),
	/** The device's clock when the change was made offline and synced. */
	deviceTime: z.date().nullable(),
	/** Whether the change arrived through a sync push. */
	viaSync: z.boolean(),
	reason: z.string().nullable()
});
type JobHistoryEntry = z.infer<typeof jobHistoryEntrySchema>;

/** The job's overwritten values, newest first. */
export async function listJobHistory(
	db: Queryable,
	user: SessionUser,
	jobId: string
): Promise<JobHistoryEntry[]> {
	const job = await jobVisibleTo(db, user, jobId);
	const rows = await db
		.select({
			id: jobHistory.id,
			changedAt: jobHistory.changedAt,
			changedById: jobHistory.changedBy,
			changedByName: users.name,
			field: jobHistory.field,
			oldValue: jobHistory.oldValue,
			newValue: jobHistory.newValue,
			deviceTime: jobHistory.deviceTime,
			clientId: jobHistory.clientId,
			reason: jobHistory.reason
		})
		.from(jobHistory)
		.leftJoin(
			users,
			and(eq(users.stationId, jobHistory.stationId), eq(users.id, jobHistory.changedBy))
		)
		.where(and(eq(jobHistory.stationId, job.stationId), eq(jobHistory.jobId, job.id)))
		.orderBy(desc(jobHistory.changedAt), desc(jobHistory.id));

	const ids = { person: new Set<string>(), category: new Set<string>(), job: new Set<string>() };
	for (const row of rows) {
		const kind = FIELD_KINDS[row.field];
		if (kind !== 'person' && kind !== 'category' && kind !== 'job') continue;
		for (const value of [row.oldValue, row.newValue]) {
			if (typeof value === 'string') ids[kind].add(value);
		}
	}
	const names = await namesOf(db, job.stationId, ids);

	return rows.map((row) => {
		const kind = FIELD_KINDS[row.field] ?? 'text';
		const shown = (value: unknown) => showValue(kind, value, names);
		return {
			id: row.id,
			changedAt: row.changedAt,
			changedBy:
				row.changedById === null
					? null
					: { id: row.changedById, name: row.changedByName ?? row.changedById },
			field: row.field,
			kind,
			oldValue: shown(row.oldValue),
			newValue: shown(row.newValue),
			deviceTime: row.deviceTime,
			viaSync: row.clientId !== null,
			reason: row.reason
		};
	});
}

type Names = Record<'person' | 'category' | 'job', Map<string, string>>;

async function namesOf(
	db: Queryable,
	stationId: string,
	ids: Record<keyof Names, Set<string>>
): Promise<Names> {
	const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
	const list = (set: Set<string>) => [...set].filter((id) => uuid.test(id));
	const [people, categories, jobNos] = await Promise.all([
		list(ids.person).length === 0
			? []
			: db
					.select({ id: users.id, name: users.name })
					.from(users)
					.where(and(eq(users.stationId, stationId), inArray(users.id, list(ids.person)))),
		list(ids.category).length === 0
			? []
			: db
					.select({ id: faultCategories.id, name: faultCategories.name })
					.from(faultCategories)
					.where(
						and(
							eq(faultCategories.stationId, stationId),
							inArray(faultCategories.id, list(ids.category))
						)
					),
		list(ids.job).length === 0
			? []
			: db
					.select({ id: jobs.id, name: jobs.jobNo })
					.from(jobs)
					.where(and(eq(jobs.stationId, stationId), inArray(jobs.id, list(ids.job))))
	]);
	const byId = (rows: { id: string; name: string }[]) =>
		new Map(rows.map((row) => [row.id, row.name]));
	return { person: byId(people), category: byId(categories), job: byId(jobNos) };
}

function showValue(kind: HistoryValueKind, value: unknown, names: Names): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value !== 'string') return JSON.stringify(value);
	switch (kind) {
		case 'time': {
			const time = new Date(value);
			return Number.isNaN(time.getTime()) ? value : time.toISOString();
		}
		case 'person':
		case 'category':
		case 'job':
			return names[kind].get(value) ?? value;
		default:
			return value;
	}
}

/** A job with the names behind its ids, for the supervisor's job page. */
export async function getJobDetail(db: Queryable, user: SessionUser, jobId: string) {
	const { job, parts, followUps: contacts } = await getJob(db, user, jobId);
	const personIds = [
		...(job.technicianId ? [job.technicianId] : []),
		...(job.verifiedBy ? [job.verifiedBy] : []),
		...(job.reportedBy ? [job.reportedBy] : []),
		...contacts.flatMap((contact) => (contact.userId ? [contact.userId] : []))
	];
	const [people, category, previous] = await Promise.all([
		db
			.select({ id: users.id, name: users.name })
			.from(users)
			.where(and(eq(users.stationId, job.stationId), inArray(users.id, personIds))),
		job.faultCategoryId
			? db
					.select({ name: faultCategories.name })
					.from(faultCategories)
					.where(
						and(
							eq(faultCategories.stationId, job.stationId),
							eq(faultCategories.id, job.faultCategoryId)
						)
					)
			: [],
		job.previousJobId
			? db
					.select({ id: jobs.id, jobNo: jobs.jobNo })
					.from(jobs)
					.where(and(eq(jobs.stationId, job.stationId), eq(jobs.id, job.previousJobId)))
			: []
	]);
	const nameOf = (id: string | null) =>
		id === null ? null : (people.find((person) => person.id === id)?.name ?? id);
	return {
		job,
		technicianName: job.technicianId ? (nameOf(job.technicianId) ?? job.technicianId) : null,
		verifiedByName: nameOf(job.verifiedBy),
		reportedByName: nameOf(job.reportedBy),
		categoryName: category[0]?.name ?? null,
		previousJob: previous[0] ?? null,
		parts,
		followUps: contacts.map((contact) => ({ ...contact, userName: nameOf(contact.userId) }))
	};
}
