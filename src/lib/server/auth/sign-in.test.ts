import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { users } from '../db/schema';
import { testEngines } from '../testing/databases';
import { createStation, createUser } from '../testing/fixtures';
import { hashPassword } from './password';
import type { SessionUser } from './session-user';
import { validateSessionToken } from './sessions';
import { MAX_LOCK_SECONDS, signIn } from './sign-in';

const PASSWORD = 'correct horse';
const T0 = new Date('2026-03-01T08:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

async function throttleState(db: Database, user: SessionUser) {
	const [row] = await db
		.select({ failedLogins: users.failedLogins, lastFailedLoginAt: users.lastFailedLoginAt })
		.from(users)
		.where(and(eq(users.stationId, user.stationId), eq(users.id, user.id)));
	return row;
}

for (const engine of testEngines()) {
	describe(`signIn (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let passwordHash: string;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			passwordHash = await hashPassword(PASSWORD);
		});
		afterAll(async () => {
			await handle?.close();
		});

		async function stationWithUser(code: string, login: string) {
			const station = await createStation(db, code);
			return createUser(db, station, login, 'technician', passwordHash);
		}

		it('signs in with the right password and opens a session', async () => {
			const user = await stationWithUser('SI1', 'guo');
			const result = await signIn(
				db,
				{ login: ' guo ', password: PASSWORD },
				{ userAgent: 'Phone', now: T0 }
			);

			expect(result).toMatchObject({ ok: true, user });
			if (!result.ok) return;
			expect(result.expiresAt).toEqual(new Date(T0.getTime() + 30 * 24 * 3600 * 1000));
			const session = await validateSessionToken(db, result.token, at(60));
			expect(session?.user).toEqual(user);
		});

		it('answers invalid_credentials alike for a wrong password, an unknown login or station', async () => {
			await stationWithUser('SI2', 'hu');
			const attempts = [
				{ login: 'hu', password: 'wrong password' },
				{ login: 'nobody', password: PASSWORD },
				{ station: 'NOPE', login: 'hu', password: PASSWORD }
			];
			for (const input of attempts) {
				expect(await signIn(db, input, { now: T0 })).toEqual({
					ok: false,
					reason: 'invalid_credentials'
				});
			}
		});

		it('asks for the station when the login exists in two, and uses the code given', async () => {
			const north = await stationWithUser('SI3N', 'jin');
			const south = await stationWithUser('SI3S', 'jin');

			for (const station of [undefined, '']) {
				expect(await signIn(db, { station, login: 'jin', password: PASSWORD })).toEqual({
					ok: false,
					reason: 'ambiguous_login'
				});
			}
			const inNorth = await signIn(db, { station: 'SI3N', login: 'jin', password: PASSWORD });
			// Station codes are case-insensitive: what people type is upper-cased.
			const inSouth = await signIn(db, { station: ' si3s ', login: 'jin', password: PASSWORD });
			expect(inNorth).toMatchObject({ ok: true, user: { id: north.id, stationCode: 'SI3N' } });
			expect(inSouth).toMatchObject({ ok: true, user: { id: south.id, stationCode: 'SI3S' } });
		});

		it('refuses imported users without a password and inactive users', async () => {
			const station = await createStation(db, 'SI4');
			await createUser(db, station, 'imported', 'technician', null);
			const inactive = await createUser(db, station, 'gone', 'technician', passwordHash);
			await db
				.update(users)
				.set({ active: false })
				.where(and(eq(users.stationId, station.id), eq(users.id, inactive.id)));

			for (const login of ['imported', 'gone']) {
				expect(await signIn(db, { login, password: PASSWORD })).toEqual({
					ok: false,
					reason: 'invalid_credentials'
				});
			}
		});

		it('locks after 5 failures, refuses even the right password, then doubles the lock', async () => {
			const user = await stationWithUser('SI5', 'kong');
			const wrong = { login: 'kong', password: 'wrong password' };
			const right = { login: 'kong', password: PASSWORD };

			for (let i = 0; i < 5; i++) {
				expect(await signIn(db, wrong, { now: at(i) })).toMatchObject({
					reason: 'invalid_credentials'
				});
			}
			// The fifth failure, at T0+4 s, locks the account for 30 s.
			expect(await signIn(db, right, { now: at(10) })).toEqual({
				ok: false,
				reason: 'throttled',
				retryAfterSeconds: 24
			});
			expect(await signIn(db, wrong, { now: at(33.5) })).toEqual({
				ok: false,
				reason: 'throttled',
				retryAfterSeconds: 1
			});
			// Attempts while locked are not counted, so they do not extend the lock.
			expect(await throttleState(db, user)).toEqual({ failedLogins: 5, lastFailedLoginAt: at(4) });

			expect(await signIn(db, wrong, { now: at(35) })).toMatchObject({
				reason: 'invalid_credentials'
			});
			expect(await signIn(db, right, { now: at(94) })).toEqual({
				ok: false,
				reason: 'throttled',
				retryAfterSeconds: 1
			});
			expect(await signIn(db, right, { now: at(95) })).toMatchObject({ ok: true });
			expect(await throttleState(db, user)).toEqual({ failedLogins: 0, lastFailedLoginAt: null });
		});

		it('resets the count on success, so failures must be consecutive to lock', async () => {
			await stationWithUser('SI6', 'lu');
			const wrong = { login: 'lu', password: 'wrong password' };
			const right = { login: 'lu', password: PASSWORD };
			for (let i = 0; i < 4; i++) await signIn(db, wrong, { now: at(i) });
			expect(await signIn(db, right, { now: at(5) })).toMatchObject({ ok: true });
			for (let i = 0; i < 4; i++) await signIn(db, wrong, { now: at(6 + i) });
			expect(await signIn(db, right, { now: at(11) })).toMatchObject({ ok: true });
		});

		it('never locks for longer than the maximum', async () => {
			const user = await stationWithUser('SI7', 'ma');
			await db
				.update(users)
				.set({ failedLogins: 60, lastFailedLoginAt: T0 })
				.where(and(eq(users.stationId, user.stationId), eq(users.id, user.id)));

			expect(await signIn(db, { login: 'ma', password: PASSWORD }, { now: T0 })).toEqual({
				ok: false,
				reason: 'throttled',
				retryAfterSeconds: MAX_LOCK_SECONDS
			});
			expect(
				await signIn(db, { login: 'ma', password: PASSWORD }, { now: at(MAX_LOCK_SECONDS) })
			).toMatchObject({ ok: true });
		});

		it('lets only 5 of a burst of parallel guesses through before the lock', async () => {
			const user = await stationWithUser('SI8', 'ning');
			const results = await Promise.all(
				Array.from({ length: 8 }, () =>
					signIn(db, { login: 'ning', password: 'wrong password' }, { now: T0 })
				)
			);
			const reasons = results.map((result) => (result.ok ? 'ok' : result.reason)).sort();
			expect(reasons).toEqual([
				...Array(5).fill('invalid_credentials'),
				...Array(3).fill('throttled')
			]);
			expect((await throttleState(db, user)).failedLogins).toBe(5);
		});
	});
}
