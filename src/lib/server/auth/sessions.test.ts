import { createHash } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { sessions, users } from '../db/schema';
import { testEngines } from '../testing/databases';
import { createStation, createUser } from '../testing/fixtures';
import {
	SESSION_COOKIE,
	SESSION_MAX_AGE_MS,
	SIGNED_OUT_COOKIE,
	clearSessionCookie,
	createSession,
	invalidateSession,
	sessionOfRequest,
	setSessionCookie,
	validateSessionToken
} from './sessions';

const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date('2026-03-01T08:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

async function sessionRowCount(db: Database, user: { id: string; stationId: string }) {
	const rows = await db
		.select({ id: sessions.id })
		.from(sessions)
		.where(and(eq(sessions.stationId, user.stationId), eq(sessions.userId, user.id)));
	return rows.length;
}

for (const engine of testEngines()) {
	describe(`sessions (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('stores only the SHA-256 of the token and resolves the user with its station', async () => {
			const station = await createStation(db, 'SES1', 'Europe/Berlin');
			const user = await createUser(db, station, 'anna', 'supervisor');
			const { token, expiresAt } = await createSession(db, user, 'Test agent', T0);

			expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
			expect(expiresAt).toEqual(at(30));
			const [row] = await db.select().from(sessions).where(eq(sessions.userId, user.id));
			expect(row.id).toBe(createHash('sha256').update(token).digest('hex'));
			expect(row.userAgent).toBe('Test agent');

			const session = await validateSessionToken(db, token, at(1));
			expect(session).toEqual({ user, expiresAt: at(30) });
			expect(session?.user).toMatchObject({
				stationCode: 'SES1',
				stationName: station.name,
				timeZone: 'Europe/Berlin',
				role: 'supervisor'
			});
		});

		it('slides the expiry only once less than 15 days remain', async () => {
			const station = await createStation(db, 'SES2');
			const user = await createUser(db, station, 'bo');
			const { token } = await createSession(db, user, undefined, T0);

			expect(await validateSessionToken(db, token, at(14))).toMatchObject({ expiresAt: at(30) });
			expect(await validateSessionToken(db, token, at(16))).toMatchObject({ expiresAt: at(46) });
			// The new expiry is stored: past the original 30 days the session still lives, up to
			// its absolute end, 60 days after sign-in.
			expect(await validateSessionToken(db, token, at(40))).toMatchObject({ expiresAt: at(60) });
		});

		it('ends a session at its absolute lifetime however often it is used', async () => {
			const maxDays = SESSION_MAX_AGE_MS / DAY;
			expect(maxDays).toBe(60);
			const station = await createStation(db, 'SES7');
			const user = await createUser(db, station, 'gu');
			const { token } = await createSession(db, user, undefined, T0);

			// Used every ten days: the idle expiry keeps sliding, but never past sign-in + 60 days.
			let day = 0;
			for (day = 10; day < maxDays; day += 10) {
				const session = await validateSessionToken(db, token, at(day));
				expect(session, `day ${day}`).not.toBeNull();
				expect(session?.expiresAt.getTime()).toBeLessThanOrEqual(at(maxDays).getTime());
			}
			expect(await validateSessionToken(db, token, at(maxDays - 0.01))).toMatchObject({
				expiresAt: at(maxDays)
			});
			expect(await validateSessionToken(db, token, at(maxDays))).toBeNull();
			expect(await sessionRowCount(db, user)).toBe(0);
		});

		it('rejects an expired session and deletes it', async () => {
			const station = await createStation(db, 'SES3');
			const user = await createUser(db, station, 'chen');
			const { token } = await createSession(db, user, undefined, T0);

			expect(await validateSessionToken(db, token, at(30))).toBeNull();
			expect(await sessionRowCount(db, user)).toBe(0);
		});

		it('deletes the user’s expired sessions when a new one is created', async () => {
			const station = await createStation(db, 'SES4');
			const user = await createUser(db, station, 'dai');
			await createSession(db, user, undefined, T0);
			await createSession(db, user, undefined, at(10));
			expect(await sessionRowCount(db, user)).toBe(2);

			await createSession(db, user, undefined, at(35));
			expect(await sessionRowCount(db, user)).toBe(2);
		});

		it('signs out: an invalidated token no longer validates', async () => {
			const station = await createStation(db, 'SES5');
			const user = await createUser(db, station, 'en');
			const kept = await createSession(db, user, undefined, T0);
			const ended = await createSession(db, user, undefined, T0);

			await invalidateSession(db, ended.token);
			expect(await validateSessionToken(db, ended.token, at(1))).toBeNull();
			expect(await validateSessionToken(db, kept.token, at(1))).not.toBeNull();
		});

		it('rejects the sessions of a deactivated user', async () => {
			const station = await createStation(db, 'SES6');
			const user = await createUser(db, station, 'fang');
			const { token } = await createSession(db, user, undefined, T0);
			await db
				.update(users)
				.set({ active: false })
				.where(and(eq(users.stationId, station.id), eq(users.id, user.id)));

			expect(await validateSessionToken(db, token, at(1))).toBeNull();
			expect(await sessionRowCount(db, user)).toBe(0);
		});

		/** A browser's cookies as a request brings them, recording what the response would change. */
		function cookieJar(entries: [string, string][]) {
			const jar = new Map(entries);
			const cookies = {
				get: (name: string) => jar.get(name),
				set: vi.fn((name: string, value: string) => jar.set(name, value)),
				delete: vi.fn((name: string) => jar.delete(name))
			};
			return { jar, cookies, asCookies: cookies as unknown as Cookies };
		}

		it('ends the session of a browser that recorded a sign-out on the device (offline)', async () => {
			const station = await createStation(db, 'SES8');
			const user = await createUser(db, station, 'gao');
			const left = await createSession(db, user);
			const elsewhere = await createSession(db, user);
			const { jar, cookies, asCookies } = cookieJar([
				[SESSION_COOKIE, left.token],
				[SIGNED_OUT_COOKIE, '1']
			]);

			expect(await sessionOfRequest(db, asCookies, false)).toBeNull();
			expect(await validateSessionToken(db, left.token)).toBeNull();
			// Only that browser's session: the same person's other devices stay signed in.
			expect(await validateSessionToken(db, elsewhere.token)).not.toBeNull();
			expect(jar.size).toBe(0);
			expect(cookies.delete.mock.calls.map(([name]) => name).sort()).toEqual(
				[SESSION_COOKIE, SIGNED_OUT_COOKIE].sort()
			);
		});

		it('names the person of a live session, and extends it without sending the cookie again', async () => {
			const station = await createStation(db, 'SES9');
			const user = await createUser(db, station, 'hu');
			const { token, endsAt } = await createSession(db, user, undefined, T0);
			// The cookie, written once at sign-in, lasts as long as the session can.
			expect(endsAt).toEqual(at(60));

			for (const day of [1, 20, 45]) {
				const request = cookieJar([[SESSION_COOKIE, token]]);
				expect(await sessionOfRequest(db, request.asCookies, true, at(day))).toEqual({
					user: expect.objectContaining({ id: user.id }),
					token
				});
				expect(request.cookies.set).not.toHaveBeenCalled();
				expect(request.cookies.delete).not.toHaveBeenCalled();
			}
			// Used on day 20 and 45, it lives past the 30 idle days it started with.
			expect(await validateSessionToken(db, token, at(50))).toMatchObject({ expiresAt: at(60) });
		});

		it('leaves a cookie whose session has ended: the browser may already hold a newer one', async () => {
			// A request sent with the first person's cookie is answered after a sign-in in another
			// tab replaced that session; a deletion in its answer would remove the new cookie.
			const station = await createStation(db, 'SES10');
			const first = await createUser(db, station, 'jin');
			const replaced = await createSession(db, first);
			await invalidateSession(db, replaced.token);
			const stale = cookieJar([[SESSION_COOKIE, replaced.token]]);

			expect(await sessionOfRequest(db, stale.asCookies, false)).toBeNull();
			expect(stale.cookies.delete).not.toHaveBeenCalled();
			expect(stale.cookies.set).not.toHaveBeenCalled();
			expect(await sessionOfRequest(db, cookieJar([]).asCookies, false)).toBeNull();
		});

		it('rejects unknown and malformed tokens', async () => {
			expect(await validateSessionToken(db, 'A'.repeat(43), T0)).toBeNull();
			expect(await validateSessionToken(db, 'not a token', T0)).toBeNull();
			expect(await validateSessionToken(db, '', T0)).toBeNull();
		});
	});
}

describe('session cookie', () => {
	function recordingCookies() {
		const cookies = { set: vi.fn(), delete: vi.fn() };
		return { cookies, asCookies: cookies as unknown as Cookies };
	}

	it('is HttpOnly, SameSite=Lax, on the whole site, Secure only when asked', () => {
		const { cookies, asCookies } = recordingCookies();
		const expiresAt = at(30);
		setSessionCookie(asCookies, 'tok', expiresAt, true);
		setSessionCookie(asCookies, 'tok', expiresAt, false);
		expect(cookies.set.mock.calls).toEqual([
			[
				SESSION_COOKIE,
				'tok',
				{ path: '/', httpOnly: true, sameSite: 'lax', secure: true, expires: expiresAt }
			],
			[
				SESSION_COOKIE,
				'tok',
				{ path: '/', httpOnly: true, sameSite: 'lax', secure: false, expires: expiresAt }
			]
		]);
	});

	it('is cleared on the same path', () => {
		const { cookies, asCookies } = recordingCookies();
		clearSessionCookie(asCookies);
		expect(SESSION_COOKIE).toBe('rs_session');
		expect(cookies.delete).toHaveBeenCalledWith(
			'rs_session',
			expect.objectContaining({ path: '/' })
		);
	});
});
