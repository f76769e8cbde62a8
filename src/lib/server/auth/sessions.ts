/**
 * Database sessions behind an opaque cookie. The cookie carries a random token; the
 * database keeps only its SHA-256, so a leaked sessions table cannot be replayed as cookies.
 * Sessions slide: any request in the second half of a session's life extends it, so people
 * who use the app weekly stay signed in, and a lost phone's session dies after 30 idle days.
 * However much it is used, a session ends SESSION_MAX_DAYS (default 60) after its sign-in:
 * a token copied off a phone or out of a browser is not good forever.
 *
 * The sliding happens in the database only. The cookie is written once, at sign-in, to last
 * until that absolute end, and no other answer writes or deletes it (but a sign-out's): the
 * browser applies a cookie from an answer to whatever it holds by then, so the late answer to
 * a request sent before someone else signed in on another tab would otherwise put back, or
 * delete, the cookie of the person who has just signed in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { and, eq, lte } from 'drizzle-orm';
import type { Queryable } from '../db';
import { sessions, stations, users } from '../db/schema';
import type { SessionUser } from './session-user';

export const SESSION_COOKIE = 'rs_session';
/**
 * Set by the page itself (not HttpOnly) when someone signs out on a device that may be offline:
 * the page cannot delete the HttpOnly session cookie, but the browser sends both with its next
 * request, and the server then ends that session before answering anything. Its value carries
 * nothing; the browser's own session cookie says which session to end. Same name in the
 * browser: src/lib/client/local/sign-out.ts.
 */
export const SIGNED_OUT_COOKIE = 'rs_signed_out';

const DAY_MS = 24 * 60 * 60 * 1000;
const SESSION_LIFETIME_MS = 30 * DAY_MS;
/** A session with less than this left is extended on its next use. */
const SESSION_RENEW_WITHIN_MS = 15 * DAY_MS;
/** The absolute lifetime from sign-in; SESSION_MAX_DAYS (a positive number of days) sets it. */
export const SESSION_MAX_AGE_MS = maxAgeFromEnvironment(process.env.SESSION_MAX_DAYS);

function maxAgeFromEnvironment(value: string | undefined): number {
	if (value === undefined || value.trim() === '') return 60 * DAY_MS;
	const days = Number(value);
	if (!Number.isFinite(days) || days <= 0) {
		throw new Error(`SESSION_MAX_DAYS must be a positive number of days, not "${value}".`);
	}
	return days * DAY_MS;
}

/** The next expiry: an idle lifetime from now, never past the absolute end. */
function nextExpiry(now: Date, createdAt: Date): Date {
	return new Date(
		Math.min(now.getTime() + SESSION_LIFETIME_MS, createdAt.getTime() + SESSION_MAX_AGE_MS)
	);
}

/** 32 random bytes in base64url: 43 characters, no padding. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

interface ValidatedSession {
	user: SessionUser;
	expiresAt: Date;
}

function hashSessionToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
	db: Queryable,
	user: { id: string; stationId: string },
	userAgent?: string,
	now: Date = new Date()
): Promise<{ token: string; expiresAt: Date; endsAt: Date }> {
	const token = randomBytes(32).toString('base64url');
	const expiresAt = nextExpiry(now, now);
	/** The absolute end, which the cookie keeps. */
	const endsAt = new Date(now.getTime() + SESSION_MAX_AGE_MS);
	// Sessions whose cookies were never presented again would otherwise pile up forever.
	await db
		.delete(sessions)
		.where(
			and(
				eq(sessions.stationId, user.stationId),
				eq(sessions.userId, user.id),
				lte(sessions.expiresAt, now)
			)
		);
	await db.insert(sessions).values({
		id: hashSessionToken(token),
		stationId: user.stationId,
		userId: user.id,
		// The sign-in time the absolute lifetime counts from: the caller's clock, like expiresAt.
		createdAt: now,
		expiresAt,
		userAgent: userAgent?.slice(0, 500) ?? null
	});
	return { token, expiresAt, endsAt };
}

export async function validateSessionToken(
	db: Queryable,
	token: string,
	now: Date = new Date()
): Promise<ValidatedSession | null> {
	if (!TOKEN_FORMAT.test(token)) return null;
	const sessionId = hashSessionToken(token);
	const [row] = await db
		.select({
			createdAt: sessions.createdAt,
			expiresAt: sessions.expiresAt,
			active: users.active,
			user: {
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
				role: users.role
			}
		})
		.from(sessions)
		.innerJoin(users, and(eq(users.stationId, sessions.stationId), eq(users.id, sessions.userId)))
		.innerJoin(stations, eq(stations.id, sessions.stationId))
		.where(eq(sessions.id, sessionId));
	if (!row) return null;

	if (row.expiresAt.getTime() <= now.getTime() || !row.active) {
		await db.delete(sessions).where(eq(sessions.id, sessionId));
		return null;
	}

	if (row.expiresAt.getTime() - now.getTime() >= SESSION_RENEW_WITHIN_MS) {
		return { user: row.user, expiresAt: row.expiresAt };
	}
	const expiresAt = nextExpiry(now, row.createdAt);
	if (expiresAt.getTime() <= row.expiresAt.getTime()) {
		// Near its absolute end: nothing left to extend.
		return { user: row.user, expiresAt: row.expiresAt };
	}
	await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, sessionId));
	return { user: row.user, expiresAt };
}

export async function invalidateSession(db: Queryable, token: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, hashSessionToken(token)));
}

/** Signs a person out everywhere: after a password change or when the account is deactivated. */
export async function invalidateUserSessions(
	db: Queryable,
	user: { id: string; stationId: string }
): Promise<void> {
	await db
		.delete(sessions)
		.where(and(eq(sessions.stationId, user.stationId), eq(sessions.userId, user.id)));
}

/** At sign-in only, until the session's absolute end (`createSession`'s `endsAt`). */
export function setSessionCookie(
	cookies: Cookies,
	token: string,
	endsAt: Date,
	secure: boolean
): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		expires: endsAt
	});
}

/**
 * `secure` defaults to false on purpose: a browser ignores a Secure Set-Cookie from a plain
 * http origin (a station server on a LAN address), and from an https origin a non-Secure
 * deletion still replaces the Secure cookie.
 */
export function clearSessionCookie(cookies: Cookies, secure = false): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/**
 * Who a request is from, by its session cookie (extending the session in the database). A
 * request carrying the signed-out mark is nobody's, and ends the session it belonged to.
 *
 * A cookie naming no live session is left alone, never deleted in the answer (see the top of
 * this file): the dead token opens nothing, and the next sign-in replaces it.
 */
export async function sessionOfRequest(
	db: Queryable,
	cookies: Cookies,
	secure: boolean,
	now: Date = new Date()
): Promise<{ user: SessionUser; token: string } | null> {
	if (cookies.get(SIGNED_OUT_COOKIE) !== undefined) {
		await endSessionSignedOutOnDevice(db, cookies, secure);
		return null;
	}
	const token = cookies.get(SESSION_COOKIE);
	if (!token) return null;
	const session = await validateSessionToken(db, token, now);
	return session ? { user: session.user, token } : null;
}

/** The page recorded a sign-out (SIGNED_OUT_COOKIE): end the session it belonged to, if any. */
async function endSessionSignedOutOnDevice(
	db: Queryable,
	cookies: Cookies,
	secure: boolean
): Promise<void> {
	const token = cookies.get(SESSION_COOKIE);
	if (token) await invalidateSession(db, token);
	clearSessionCookie(cookies, secure);
	cookies.delete(SIGNED_OUT_COOKIE, { path: '/', httpOnly: false, sameSite: 'lax', secure });
}
