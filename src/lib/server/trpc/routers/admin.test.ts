import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../../db';
import { stations, users } from '../../db/schema';
import type { SessionUser } from '../../auth/session-user';
import { createSession, validateSessionToken } from '../../auth/sessions';
import { signIn } from '../../auth/sign-in';
import { testEngines } from '../../testing/databases';
import { createStation, createUser } from '../../testing/fixtures';
import { createCallerFactory } from '../core';
import { adminRouter } from './admin';

const createCaller = createCallerFactory(adminRouter);

for (const engine of testEngines()) {
	describe(`admin router (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let admin: SessionUser;
		let supervisor: SessionUser;
		let technician: SessionUser;
		const as = (user: SessionUser | null) => createCaller({ db, user });

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const home = await createStation(db, 'HQ');
			admin = await createUser(db, home, 'root', 'admin');
			supervisor = await createUser(db, home, 'boss', 'supervisor');
			technician = await createUser(db, home, 'tech', 'technician');
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('is for admins only', async () => {
			const newStation = { code: 'NOPE', name: 'Nope', timeZone: 'Asia/Shanghai' };
			for (const user of [supervisor, technician]) {
				await expect(as(user).stations.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
				await expect(as(user).stations.create(newStation)).rejects.toMatchObject({
					code: 'FORBIDDEN'
				});
				await expect(
					as(user).users.create({
						stationId: user.stationId,
						login: 'sneaky',
						name: 'Sneaky',
						role: 'admin',
						password: 'sneaky password'
					})
				).rejects.toMatchObject({ code: 'FORBIDDEN' });
			}
			await expect(as(null).users.list({ stationId: admin.stationId })).rejects.toMatchObject({
				code: 'UNAUTHORIZED'
			});
			expect(await db.select().from(stations).where(eq(stations.code, 'NOPE'))).toEqual([]);
			expect(await db.select().from(users).where(eq(users.login, 'sneaky'))).toEqual([]);
		});

		it('creates stations with a canonical time zone and refuses bad or taken ones', async () => {
			const created = await as(admin).stations.create({
				code: 'WH1',
				name: '武汉一站',
				timeZone: ' asia/shanghai '
			});
			expect(created).toMatchObject({ code: 'WH1', name: '武汉一站', timeZone: 'Asia/Shanghai' });

			await expect(
				as(admin).stations.create({ code: 'WH2', name: 'x', timeZone: 'Mars/Olympus' })
			).rejects.toMatchObject({
				code: 'BAD_REQUEST',
				cause: {
					issues: [
						expect.objectContaining({
							path: ['timeZone'],
							message: 'unknown time zone "Mars/Olympus" (expected e.g. Asia/Shanghai)'
						})
					]
				}
			});
			await expect(
				as(admin).stations.create({ code: 'WH1', name: 'again', timeZone: 'UTC' })
			).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('"WH1"') });

			const listed = await as(admin).stations.list();
			expect(listed.map((s) => s.code)).toEqual(['HQ', 'WH1']);
			expect(listed.find((s) => s.code === 'HQ')?.userCount).toBe(3);
			expect(listed.find((s) => s.code === 'WH1')?.userCount).toBe(0);
		});

		it('creates users; a duplicate login is a CONFLICT naming it, with nothing written', async () => {
			const station = await as(admin).stations.create({
				code: 'SZ',
				name: '深圳站',
				timeZone: 'Asia/Shanghai'
			});
			const withPassword = await as(admin).users.create({
				stationId: station.id,
				login: 'wang',
				name: '王',
				role: 'supervisor',
				password: 'wang password'
			});
			await as(admin).users.create({
				stationId: station.id,
				login: 'imported',
				name: '导入',
				role: 'technician'
			});
			expect(withPassword).toMatchObject({ login: 'wang', role: 'supervisor', hasPassword: true });
			expect(await signIn(db, { login: 'wang', password: 'wang password' })).toMatchObject({
				ok: true
			});

			await expect(
				as(admin).users.create({
					stationId: station.id,
					login: 'wang',
					name: 'Someone else',
					role: 'admin',
					password: 'other password'
				})
			).rejects.toMatchObject({
				code: 'CONFLICT',
				message: 'The login "wang" already exists in station SZ.'
			});

			expect(await as(admin).users.list({ stationId: station.id })).toEqual([
				expect.objectContaining({ login: 'imported', hasPassword: false, active: true }),
				expect.objectContaining({ login: 'wang', name: '王', role: 'supervisor' })
			]);
			await expect(as(admin).users.list({ stationId: randomUUID() })).rejects.toMatchObject({
				code: 'NOT_FOUND'
			});
			await expect(
				as(admin).users.create({
					stationId: station.id,
					login: 'bad login!',
					name: '',
					role: 'technician',
					password: 'short'
				})
			).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		});

		it('sets passwords and (de)activates accounts', async () => {
			const station = await as(admin).stations.create({
				code: 'GZ',
				name: '广州站',
				timeZone: 'Asia/Shanghai'
			});
			const user = await as(admin).users.create({
				stationId: station.id,
				login: 'xu',
				name: '徐',
				role: 'technician'
			});
			const ref = { stationId: station.id, userId: user.id };

			await as(admin).users.setPassword({ ...ref, password: 'xu password' });
			const signedIn = await signIn(db, { login: 'xu', password: 'xu password' });
			expect(signedIn).toMatchObject({ ok: true });
			if (!signedIn.ok) return;

			expect(await as(admin).users.setActive({ ...ref, active: false })).toMatchObject({
				active: false
			});
			expect(await validateSessionToken(db, signedIn.token)).toBeNull();
			expect(await signIn(db, { login: 'xu', password: 'xu password' })).toMatchObject({
				ok: false,
				reason: 'invalid_credentials'
			});

			await expect(
				as(admin).users.setPassword({ ...ref, userId: randomUUID(), password: 'xu password' })
			).rejects.toMatchObject({ code: 'NOT_FOUND' });
		});

		it('does not let an admin deactivate their own account', async () => {
			const { token } = await createSession(db, admin);
			await expect(
				as(admin).users.setActive({ stationId: admin.stationId, userId: admin.id, active: false })
			).rejects.toMatchObject({ code: 'BAD_REQUEST' });
			expect(await validateSessionToken(db, token)).not.toBeNull();
		});
	});
}
