/**
 * Password sign-in, throttled per source address and per account.
 *
 * Both throttles live in the database (sign_in_addresses; failed_logins and
 * last_failed_login_at on the users row), so every server instance sees the same counts. Each
 * attempt first claims itself as a failure with one conditional write that only succeeds while
 * the address (then the account) is not locked; a correct password then takes the claim back.
 * Claiming before checking the password makes the locks atomic: a burst of parallel guesses
 * cannot all slip through between a read and a write.
 *
 * The two locks do different jobs. The address lock is the strong one: one address spraying
 * guesses over many accounts (or logins that do not exist) is stopped after
 * ADDRESS_LOCK_AFTER_FAILURES, for up to an hour. The account lock only slows guesses at one
 * account that come from many addresses; it is short (at most MAX_LOCK_SECONDS), so a
 * stranger cannot keep a technician out for long, and a stranger who keeps trying runs into
 * the address lock first.
 */
import { randomUUID } from 'node:crypto';
import { isIP, isIPv6 } from 'node:net';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db';
import { queryRows } from '../db/rows';
import { stations, users } from '../db/schema';
import { signInSchema, type SignInInput } from '../../shared/schemas';
import { hashPassword, verifyPassword } from './password';
import { createSession } from './sessions';
import type { SessionUser } from './session-user';

/** Consecutive failures after which the account is locked. */
const LOCK_AFTER_FAILURES = 5;
/** The first lock; each further failure doubles it, up to the maximum. */
const FIRST_LOCK_SECONDS = 30;
export const MAX_LOCK_SECONDS = 5 * 60;

/** Failed attempts from one address (any account, known or not) before it is locked. */
export const ADDRESS_LOCK_AFTER_FAILURES = 20;
const ADDRESS_FIRST_LOCK_SECONDS = 60;
export const ADDRESS_MAX_LOCK_SECONDS = 60 * 60;
/**
 * An address's count starts over after this long without a failure. Longer than its longest
 * lock, so a locked address that tries once per lock stays locked instead of starting over.
 */
export const ADDRESS_FORGET_AFTER_SECONDS = 2 * ADDRESS_MAX_LOCK_SECONDS;

type SignInFailure = 'invalid_credentials' | 'throttled' | 'ambiguous_login';

type SignInResult =
	| { ok: true; token: string; endsAt: Date; user: SessionUser }
	| { ok: false; reason: SignInFailure; retryAfterSeconds?: number };

interface SignInMeta {
	userAgent?: string;
	/**
	 * Where the attempt comes from (event.getClientAddress()). Absent only for callers that
	 * are not network requests (tests of the account throttle).
	 */
	address?: string;
	/** The clock, for tests; defaults to the current time. */
	now?: Date;
}

export async function signIn(
	db: Database,
	input: SignInInput,
	meta: SignInMeta = {}
): Promise<SignInResult> {
	const { station, login, password } = signInSchema.parse(input);
	const now = meta.now ?? new Date();
	const address = meta.address === undefined ? null : throttleKey(meta.address);
	if (address !== null) {
		const addressLock = await claimAddressAttempt(db, address, now);
		if (addressLock !== null) {
			return { ok: false, reason: 'throttled', retryAfterSeconds: addressLock };
		}
	}

	const candidates = await db
		.select({
			id: users.id,
			stationId: users.stationId,
			stationCode: stations.code,
			stationName: stations.name,
			timeZone: stations.timeZone,
			recordPositions: stations.recordPositions,
			completionRequiresSignature: stations.completionRequiresSignature,
			reworkWindowDays: stations.reworkWindowDays,
			login: users.login,
			name: users.name,
			role: users.role,
			active: users.active,
			passwordHash: users.passwordHash
		})
		.from(users)
		.innerJoin(stations, eq(stations.id, users.stationId))
		.where(and(eq(users.login, login), station ? eq(stations.code, station) : undefined))
		.limit(2);

	if (candidates.length > 1) return { ok: false, reason: 'ambiguous_login' };
	const [candidate] = candidates;
	if (!candidate || !candidate.active || !candidate.passwordHash) {
		// Spend the time a real check takes, so response times do not reveal which logins exist.
		await verifyPassword(await dummyHash(), password);
		return { ok: false, reason: 'invalid_credentials' };
	}

	const account = and(eq(users.stationId, candidate.stationId), eq(users.id, candidate.id));
	const lockedUntil = lockedUntilSql();
	const claimed = await db
		.update(users)
		.set({ failedLogins: sql`${users.failedLogins} + 1`, lastFailedLoginAt: now })
		.where(and(account, sql`(${lockedUntil} IS NULL OR ${lockedUntil} <= ${timestamp(now)})`))
		.returning({ failedLogins: users.failedLogins });
	if (claimed.length === 0) {
		const [lock] = await db
			.select({
				seconds: sql<number>`ceil(extract(epoch from (${lockedUntil} - ${timestamp(now)})))::int`
			})
			.from(users)
			.where(account);
		return { ok: false, reason: 'throttled', retryAfterSeconds: Math.max(1, lock?.seconds ?? 1) };
	}

	if (!(await verifyPassword(candidate.passwordHash, password))) {
		return { ok: false, reason: 'invalid_credentials' };
	}

	await db.update(users).set({ failedLogins: 0, lastFailedLoginAt: null }).where(account);
	if (address !== null) await releaseAddressClaim(db, address);
	const { active: _active, passwordHash: _passwordHash, ...user } = candidate;
	const session = await createSession(db, user, meta.userAgent, now);
	return { ok: true, token: session.token, endsAt: session.endsAt, user };
}

/**
 * When the account's lock ends, or NULL while it has fewer than LOCK_AFTER_FAILURES
 * failures: FIRST_LOCK_SECONDS after the last failure, doubling per further failure.
 */
function lockedUntilSql(): SQL {
	const extraFailures = sql`least(${users.failedLogins} - ${LOCK_AFTER_FAILURES}::int, 30)`;
	const lockSeconds = sql`least(${FIRST_LOCK_SECONDS}::float8 * power(2, ${extraFailures}), ${MAX_LOCK_SECONDS}::float8)`;
	return sql`(CASE WHEN ${users.failedLogins} >= ${LOCK_AFTER_FAILURES}::int
		THEN ${users.lastFailedLoginAt} + make_interval(secs => ${lockSeconds}) END)`;
}

/**
 * Claims one failure for the address unless it is locked. Returns null when claimed, else the
 * seconds until the lock ends. Addresses quiet for ADDRESS_FORGET_AFTER_SECONDS are
 * forgotten here too, so the table holds only recent offenders.
 */
async function claimAddressAttempt(
	db: Database,
	address: string,
	now: Date
): Promise<number | null> {
	const nowSql = timestamp(now);
	const forgetBefore = sql`${nowSql} - make_interval(secs => ${ADDRESS_FORGET_AFTER_SECONDS}::float8)`;
	await db.execute(sql`DELETE FROM sign_in_addresses WHERE last_failure_at < ${forgetBefore}`);
	const lockedUntil = addressLockedUntilSql();
	const claimed = await queryRows<{ failures: number }>(
		db,
		sql`INSERT INTO sign_in_addresses AS a (address, failures, last_failure_at)
			VALUES (${address}, 1, ${nowSql})
			ON CONFLICT (address) DO UPDATE SET
				failures = CASE WHEN a.last_failure_at < ${forgetBefore} THEN 1 ELSE a.failures + 1 END,
				last_failure_at = ${nowSql}
			WHERE ${lockedUntil} IS NULL OR ${lockedUntil} <= ${nowSql}
			RETURNING a.failures::int AS failures`
	);
	if (claimed.length > 0) return null;
	const [lock] = await queryRows<{ seconds: number }>(
		db,
		sql`SELECT ceil(extract(epoch from (${lockedUntil} - ${nowSql})))::int AS seconds
			FROM sign_in_addresses a WHERE a.address = ${address}`
	);
	return Math.max(1, lock?.seconds ?? 1);
}

/** A correct password was no failure: its claim is taken back. */
async function releaseAddressClaim(db: Database, address: string): Promise<void> {
	await db.execute(
		sql`UPDATE sign_in_addresses SET failures = greatest(failures - 1, 0) WHERE address = ${address}`
	);
}

/** When the address's lock (table alias `a`) ends, or NULL while it is not locked. */
function addressLockedUntilSql(): SQL {
	const extraFailures = sql`least(a.failures - ${ADDRESS_LOCK_AFTER_FAILURES}::int, 30)`;
	const lockSeconds = sql`least(${ADDRESS_FIRST_LOCK_SECONDS}::float8 * power(2, ${extraFailures}), ${ADDRESS_MAX_LOCK_SECONDS}::float8)`;
	return sql`(CASE WHEN a.failures >= ${ADDRESS_LOCK_AFTER_FAILURES}::int
		THEN a.last_failure_at + make_interval(secs => ${lockSeconds}) END)`;
}

/**
 * The key an address is throttled by: IPv4 as is (also when written IPv4-mapped), IPv6 cut
 * to its /64, because one client (one home, one phone operator's customer) usually holds a
 * whole /64 and could otherwise change address at every attempt.
 */
export function throttleKey(address: string): string {
	const plain = address.trim().toLowerCase().replace(/%.*$/, '');
	// Not an address at all (a misconfigured ADDRESS_HEADER passing a client's header through):
	// still a key, but never longer than an index entry may be.
	if (isIP(plain) === 0) return plain.slice(0, 64);
	const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(plain);
	if (mapped) return mapped[1];
	if (!isIPv6(plain)) return plain;
	const [head, tail] = plain.split('::');
	const headGroups = head ? head.split(':') : [];
	const tailGroups = tail === undefined ? [] : tail ? tail.split(':') : [];
	const groups =
		tail === undefined
			? headGroups
			: [
					...headGroups,
					...Array(8 - headGroups.length - tailGroups.length).fill('0'),
					...tailGroups
				];
	return `${groups
		.slice(0, 4)
		.map((group) => group.replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}

function timestamp(date: Date): SQL {
	return sql`${date.toISOString()}::timestamptz`;
}

let dummyHashPromise: Promise<string> | null = null;

/** A real argon2id hash of nothing anyone knows, made with the current parameters. */
function dummyHash(): Promise<string> {
	dummyHashPromise ??= hashPassword(randomUUID());
	return dummyHashPromise;
}
