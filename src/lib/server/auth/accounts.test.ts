import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { users } from '../db/schema';
import { testEngines } from '../testing/databases';
import { createStation } from '../testing/fixtures';
import { AccountError, createAccount, setAccountActive, setPassword } from './accounts';
import { createSession, validateSessionToken } from './sessions';
import { signIn } from './sign-in';

for (const engine of testEngines()) {
	describe(`accounts (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('creates an account that can sign in, and refuses a taken login', async () => {
			const station = await createStation(db, 'AC1');
			const account = {
				stationId: station.id,
				login: 'qian',
				name: '钱',
				role: 'supervisor' as const
			};
			const created = await createAccount(db, { ...account, password: 'first password' });
			expect(created).toMatchObject({ ...account, active: true, hasPassword: true });
			expect(await signIn(db, { login: 'qian', password: 'first password' })).toMatchObject({
				ok: true
			});

			const duplicate = createAccount(db, { ...account, name: 'Other' });
			await expect(duplicate).rejects.toThrow(AccountError);
			await expect(duplicate).rejects.toMatchObject({
				kind: 'duplicate_login',
				message: 'The login "qian" already exists in station AC1.'
			});
			const stored = await db.select().from(users).where(eq(users.stationId, station.id));
			expect(stored.map((u) => u.name)).toEqual(['钱']);
		});

		it('refuses an unknown station', async () => {
			await expect(
				createAccount(db, { stationId: randomUUID(), login: 'x', name: 'X', role: 'technician' })
			).rejects.toMatchObject({ kind: 'unknown_station' });
		});

		it('setPassword by login lifts the lock and signs the account out', async () => {
			const station = await createStation(db, 'AC2');
			const created = await createAccount(db, {
				stationId: station.id,
				login: 'sun',
				name: '孙',
				role: 'technician'
			});
			expect(created.hasPassword).toBe(false);
			const { token } = await createSession(db, created);
			await db
				.update(users)
				.set({ failedLogins: 9, lastFailedLoginAt: new Date() })
				.where(and(eq(users.stationId, station.id), eq(users.id, created.id)));

			const updated = await setPassword(db, {
				stationId: station.id,
				login: 'sun',
				password: 'new password'
			});
			expect(updated.hasPassword).toBe(true);
			expect(await validateSessionToken(db, token)).toBeNull();
			expect(await signIn(db, { login: 'sun', password: 'new password' })).toMatchObject({
				ok: true
			});

			await expect(
				setPassword(db, { stationId: station.id, login: 'nobody', password: 'new password' })
			).rejects.toMatchObject({
				kind: 'unknown_user',
				message: 'There is no user "nobody" in station AC2.'
			});
		});

		it('deactivating ends the sessions; reactivating allows signing in again', async () => {
			const station = await createStation(db, 'AC3');
			const created = await createAccount(db, {
				stationId: station.id,
				login: 'tang',
				name: '唐',
				role: 'technician',
				password: 'tang password'
			});
			const { token } = await createSession(db, created);
			const ref = { stationId: station.id, userId: created.id };

			expect(await setAccountActive(db, { ...ref, active: false })).toMatchObject({
				active: false
			});
			expect(await validateSessionToken(db, token)).toBeNull();
			expect(await signIn(db, { login: 'tang', password: 'tang password' })).toMatchObject({
				ok: false
			});

			await setAccountActive(db, { ...ref, active: true });
			expect(await signIn(db, { login: 'tang', password: 'tang password' })).toMatchObject({
				ok: true
			});
		});
	});
}
