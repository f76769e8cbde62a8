/**
 * The desk's intake (roles.md "Create a job" for the desk, "Link a job as rework"): a customer's
 * call becomes a job of the station, and the earlier jobs of the caller's phone or the device's
 * serial are found as they are typed. For the desk and supervisors (requireDesk).
 *
 * Unlike a job made on a device (jobs/service.ts createJob), everything that makes the job
 * trustworthy for the KPIs is the server's: the reported time is the database's clock when the
 * desk saves (never a time the form sends), the number is made here, and who took the call is
 * the signed-in user.
 */
import { and, asc, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Queryable, Transaction } from '../db';
import { inTransaction } from '../db/change-context';
import { translateDbError } from '../db/errors';
import { jobs, users, type Job } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { uuidV7Source } from '../interchange/uuid';
import { refusal } from '../refusal';
import { LOOKUP_MIN_CHARACTERS, type CallIntake } from '../../shared/call-schemas';
import { fromZonedInput, zonedDay } from '../../shared/time/local-time';
import { requireDesk } from './access';
import { activeTechnicianOf } from './service';

const newJobId = uuidV7Source();

/**
 * Desk job numbers: `D` + the station's date (YYMMDD) + `-` + that day's counter, e.g.
 * D261206-007. A phone's numbers start with a digit (client/local/job-number.ts) and the demo's
 * with DEMO-, so the two never collide; the unique (station, job_no) key settles a race
 * between two desks (the loser takes the next number).
 */
const DESK_PREFIX = 'D';
const NUMBERING_ATTEMPTS = 5;

export async function openJobFromCall(
	db: Queryable,
	user: SessionUser,
	input: CallIntake
): Promise<Job> {
	requireDesk(user);
	return inTransaction(db, user, async (tx) => {
		const technicianId = input.technicianId
			? await activeTechnicianOf(tx, user, input.technicianId)
			: null;
		if (input.previousJobId) await requireStationJob(tx, user, input.previousJobId);
		for (let attempt = 0; attempt < NUMBERING_ATTEMPTS; attempt++) {
			const created = await insertCall(tx, user, input, technicianId);
			if (created) return created;
		}
		// Five desks taking the same number five times in a row: a fault, not a race.
		throw new Error(`No free desk job number for station ${user.stationCode}`);
	});
}

/** Inserts the call's job under the next free number; undefined when that number was taken. */
async function insertCall(
	tx: Transaction,
	user: SessionUser,
	input: CallIntake,
	technicianId: string | null
): Promise<Job | undefined> {
	const now = new Date();
	const id = newJobId();
	const jobNo = await nextDeskJobNo(tx, user, now);
	try {
		const [created] = await tx
			.insert(jobs)
			.values({
				stationId: user.stationId,
				id,
				jobNo,
				technicianId,
				origin: 'desk',
				reportedBy: user.id,
				urgency: input.urgency,
				assignedAt: technicianId ? sql`now()` : null,
				customerName: input.customerName,
				customerPhone: input.customerPhone,
				customerAddress: input.customerAddress,
				productModel: input.productModel,
				deviceSerial: input.deviceSerial,
				faultCategoryId: input.faultCategoryId ?? null,
				faultDescription: input.faultDescription,
				previousJobId: input.previousJobId ?? null,
				reportedAt: sql`now()`,
				status: 'open'
			})
			.onConflictDoNothing({ target: [jobs.stationId, jobs.jobNo] })
			.returning();
		return created;
	} catch (error) {
		translateDbError(error);
	}
}

/**
 * The next desk number of the station's day. Desk ids are UUIDv7 made here, so the jobs made
 * since the station's midnight are a range of the primary key: only today's jobs are read, not
 * the station's whole history (job_no's unique index cannot serve a prefix under most
 * collations).
 */
async function nextDeskJobNo(tx: Transaction, user: SessionUser, now: Date): Promise<string> {
	const day = zonedDay(now, user.timeZone);
	const prefix = `${DESK_PREFIX}${day.slice(2).replaceAll('-', '')}-`;
	const midnight = fromZonedInput(`${day}T00:00`, user.timeZone) ?? now;
	const [{ last }] = await tx
		.select({
			last: sql<number>`coalesce(max(substr(${jobs.jobNo}, ${prefix.length + 1})::int), 0)::int`
		})
		.from(jobs)
		.where(
			and(
				eq(jobs.stationId, user.stationId),
				sql`${jobs.id} >= ${uuidV7Floor(midnight)}::uuid`,
				sql`${jobs.jobNo} LIKE ${escapeLike(prefix) + '%'}`,
				sql`substr(${jobs.jobNo}, ${prefix.length + 1}) ~ '^[0-9]{1,9}$'`
			)
		);
	return `${prefix}${String(last + 1).padStart(3, '0')}`;
}

/** The smallest UUIDv7 of the given instant: every id made from then on sorts after it. */
function uuidV7Floor(at: Date): string {
	const hex = at.getTime().toString(16).padStart(12, '0');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

/** A job of the user's station named as the one a call revisits; anything else is unknown. */
async function requireStationJob(tx: Transaction, user: SessionUser, jobId: string) {
	const [found] = await tx
		.select({ id: jobs.id })
		.from(jobs)
		.where(and(eq(jobs.stationId, user.stationId), eq(jobs.id, jobId)))
		.limit(1);
	if (!found) {
		throw refusal(
			'BAD_REQUEST',
			`Job ${jobId} is not a job of this station.`,
			'previous_job_unknown'
		);
	}
}

/** A LIKE pattern matching `text` literally (backslash is the default escape character). */
export function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

const LOOKUP_LIMIT = 20;

export interface EarlierJob {
	id: string;
	jobNo: string;
	reportedAt: Date;
	customerName: string;
	customerPhone: string;
	productModel: string;
	deviceSerial: string;
	status: Job['status'];
	outcome: Job['outcome'];
	technicianName: string | null;
}

/**
 * The station's earlier jobs whose phone number or device serial starts with what the desk has
 * typed (at least LOOKUP_MIN_CHARACTERS of it), newest first. Each prefix is a range of its own
 * index (migration 0016: text_pattern_ops on customer_phone and device_serial_key; the serial
 * compared as its key is kept: trimmed, lower case).
 */
export async function lookupEarlierJobs(
	db: Queryable,
	user: SessionUser,
	input: { phone?: string; serial?: string }
): Promise<EarlierJob[]> {
	requireDesk(user);
	const phone = input.phone?.trim() ?? '';
	const serial = input.serial?.trim().toLowerCase() ?? '';
	const matches: SQL[] = [];
	if (phone.length >= LOOKUP_MIN_CHARACTERS) {
		matches.push(
			and(
				sql`${jobs.customerPhone} <> ''`,
				sql`${jobs.customerPhone} LIKE ${escapeLike(phone) + '%'}`
			) as SQL
		);
	}
	if (serial.length >= LOOKUP_MIN_CHARACTERS) {
		matches.push(
			and(
				sql`${jobs.deviceSerialKey} <> ''`,
				sql`${jobs.deviceSerialKey} LIKE ${escapeLike(serial) + '%'}`
			) as SQL
		);
	}
	if (matches.length === 0) return [];
	return db
		.select({
			id: jobs.id,
			jobNo: jobs.jobNo,
			reportedAt: jobs.reportedAt,
			customerName: jobs.customerName,
			customerPhone: jobs.customerPhone,
			productModel: jobs.productModel,
			deviceSerial: jobs.deviceSerial,
			status: jobs.status,
			outcome: jobs.outcome,
			technicianName: users.name
		})
		.from(jobs)
		.leftJoin(users, and(eq(users.stationId, jobs.stationId), eq(users.id, jobs.technicianId)))
		.where(and(eq(jobs.stationId, user.stationId), or(...matches)))
		.orderBy(desc(jobs.reportedAt), desc(jobs.jobNo))
		.limit(LOOKUP_LIMIT);
}

/** The station's active technicians, by name: whom the desk can dispatch a job to. */
export async function dispatchTechnicians(db: Queryable, user: SessionUser) {
	requireDesk(user);
	return db
		.select({ id: users.id, name: users.name, login: users.login })
		.from(users)
		.where(
			and(eq(users.stationId, user.stationId), eq(users.role, 'technician'), eq(users.active, true))
		)
		.orderBy(asc(users.name), asc(users.login));
}
