/**
 * Password sign-in with per-account throttling.
 *
 * The throttle lives in the users row (failed_logins, last_failed_login_at), so every server
 * instance sees the same count. Each attempt first claims itself as a failure with one
 * conditional UPDATE that only succeeds while the account is not locked; a correct password
 * then resets the count. Claiming before checking the password makes the lock atomic: a burst
 * of parallel guesses cannot all slip through between a read and a write.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db';
import { stations, users } from '../db/schema';
import { signInSchema, type SignInInput } from '../../shared/schemas';
import { hashPassword, verifyPassword } from './password';
import { createSession } from './sessions';
import type { SessionUser } from './session-user';

/** Consecutive failures after which the account is locked. */
export const LOCK_AFTER_FAILURES = 5;
/** The first lock; each further failure doubles it, up to the maximum. */
export const FIRST_LOCK_SECONDS = 30;
export const MAX_LOCK_SECONDS = 15 * 60;

export type SignInFailure = 'invalid_credentials' | 'throttled' | 'ambiguous_login';

export type SignInResult =
	| { ok: true; token: string; expiresAt: Date; user: SessionUser }
	| { ok: false; reason: SignInFailure; retryAfterSeconds?: number };

export interface SignInMeta {
	userAgent?: string;
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

	const candidates = await db
		.select({
			id: users.id,
			stationId: users.stationId,
			stationCode: stations.code,
			stationName: stations.name,
			timeZone: stations.timeZone,
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
	const { active: _active, passwordHash: _passwordHash, ...user } = candidate;
	const session = await createSession(db, user, meta.userAgent, now);
	return { ok: true, token: session.token, expiresAt: session.expiresAt, user };
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

function timestamp(date: Date): SQL {
	return sql`${date.toISOString()}::timestamptz`;
}

let dummyHashPromise: Promise<string> | null = null;

/** A real argon2id hash of nothing anyone knows, made with the current parameters. */
function dummyHash(): Promise<string> {
	dummyHashPromise ??= hashPassword(randomUUID());
	return dummyHashPromise;
}
