import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { users } from '../db/schema';
import { testEngines } from '../testing/databases';
import { createStation, createUser } from '../testing/fixtures';
import { hashPassword } from './password';
import type { SessionUser } from './session-user';
import { validateSessionToken } from './sessions';
import {
	ADDRESS_FORGET_AFTER_SECONDS,
	ADDRESS_LOCK_AFTER_FAILURES,
	ADDRESS_MAX_LOCK_SECONDS,
	MAX_LOCK_SECONDS,
	signIn,
	throttleKey
} from './sign-in';

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
			// The cookie lasts until the session's absolute end; the session itself idles out sooner.
			expect(result.endsAt).toEqual(new Date(T0.getTime() + 60 * 24 * 3600 * 1000));
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

		describe('by source address', () => {
			it('stops one address spraying a password over many accounts, and only that address', async () => {
				const station = await createStation(db, 'SIA1');
				const victims = [];
				for (let i = 0; i < 25; i++) {
					victims.push(await createUser(db, station, `spray${i}`, 'technician', passwordHash));
				}
				const attacker = { address: '203.0.113.7', now: T0 };
				const reasons = [];
				for (const victim of victims) {
					const result = await signIn(
						db,
						{ login: victim.login, password: 'Summer2026!' },
						attacker
					);
					reasons.push(result.ok ? 'ok' : result.reason);
				}
				expect(reasons).toEqual([
					...Array(ADDRESS_LOCK_AFTER_FAILURES).fill('invalid_credentials'),
					...Array(25 - ADDRESS_LOCK_AFTER_FAILURES).fill('throttled')
				]);
				// No account was hit often enough to lock: the address lock did the work.
				for (const victim of victims) {
					expect((await throttleState(db, victim)).failedLogins).toBeLessThanOrEqual(1);
				}
				// Locked means locked, even with a right password…
				expect(await signIn(db, { login: 'spray0', password: PASSWORD }, attacker)).toMatchObject({
					ok: false,
					reason: 'throttled'
				});
				// …while the technician on another address signs in.
				expect(
					await signIn(
						db,
						{ login: 'spray0', password: PASSWORD },
						{ address: '198.51.100.4', now: T0 }
					)
				).toMatchObject({ ok: true });
			});

			it('counts unknown logins too, and a lock grows per attempt up to an hour', async () => {
				const address = { address: '203.0.113.8' };
				for (let i = 0; i < ADDRESS_LOCK_AFTER_FAILURES; i++) {
					await signIn(db, { login: `ghost${i}`, password: 'whatever' }, { ...address, now: T0 });
				}
				expect(
					await signIn(db, { login: 'ghost', password: 'x' }, { ...address, now: T0 })
				).toEqual({
					ok: false,
					reason: 'throttled',
					retryAfterSeconds: 60
				});
				// Each attempt after a lock ends doubles the next one: 2, 4, 8, … minutes, at most 60.
				let now = 60;
				const locks = [];
				for (let i = 0; i < 8; i++) {
					await signIn(db, { login: 'ghost', password: 'x' }, { ...address, now: at(now) });
					const lock = await signIn(
						db,
						{ login: 'ghost', password: 'x' },
						{ ...address, now: at(now) }
					);
					const seconds = lock.ok ? 0 : (lock.retryAfterSeconds ?? 0);
					locks.push(seconds);
					now += seconds;
				}
				expect(locks).toEqual([120, 240, 480, 960, 1920, 3600, 3600, 3600]);
				expect(ADDRESS_MAX_LOCK_SECONDS).toBe(3600);
				// Quiet for longer than the window: the address starts over.
				const later = at(now + ADDRESS_FORGET_AFTER_SECONDS);
				expect(
					await signIn(db, { login: 'ghost', password: 'x' }, { ...address, now: later })
				).toMatchObject({
					reason: 'invalid_credentials'
				});
			});

			it('does not count right passwords: a busy station behind one address is not locked', async () => {
				await stationWithUser('SIA2', 'busy');
				const office = { address: '192.0.2.50', now: T0 };
				for (let i = 0; i < ADDRESS_LOCK_AFTER_FAILURES * 2; i++) {
					expect(await signIn(db, { login: 'busy', password: PASSWORD }, office)).toMatchObject({
						ok: true
					});
				}
			});

			it('lets at most the limit of a parallel burst from one address through', async () => {
				const station = await createStation(db, 'SIA3');
				for (let i = 0; i < 30; i++)
					await createUser(db, station, `burst${i}`, 'technician', passwordHash);
				const results = await Promise.all(
					Array.from({ length: 30 }, (_, i) =>
						signIn(
							db,
							{ login: `burst${i}`, password: 'guess-guess' },
							{ address: '203.0.113.9', now: T0 }
						)
					)
				);
				const checked = results.filter((r) => !r.ok && r.reason === 'invalid_credentials');
				expect(checked).toHaveLength(ADDRESS_LOCK_AFTER_FAILURES);
			});

			it('treats a whole IPv6 /64 as one address, and IPv4-mapped IPv6 as IPv4', () => {
				expect(throttleKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
				expect(throttleKey('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
				expect(throttleKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
				expect(throttleKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
				expect(throttleKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
				expect(throttleKey('203.0.113.7')).toBe('203.0.113.7');
				expect(throttleKey(`1.2.3.4, ${'x'.repeat(10_000)}`)).toHaveLength(64);
			});

			it('shares one count between the addresses of a /64', async () => {
				for (let i = 0; i < ADDRESS_LOCK_AFTER_FAILURES; i++) {
					await signIn(
						db,
						{ login: 'nobody', password: 'x' },
						{ address: `2001:db8:9:9::${i + 1}`, now: T0 }
					);
				}
				expect(
					await signIn(
						db,
						{ login: 'nobody', password: 'x' },
						{ address: '2001:db8:9:9:ffff::77', now: T0 }
					)
				).toMatchObject({ reason: 'throttled' });
			});
		});

		it('never locks an account for longer than five minutes', () => {
			expect(MAX_LOCK_SECONDS).toBeLessThanOrEqual(5 * 60);
		});
	});
}
