import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../../db';
import { hashPassword } from '../../auth/password';
import { validateSessionToken } from '../../auth/sessions';
import { signIn } from '../../auth/sign-in';
import { testEngines } from '../../testing/databases';
import { createStation, createUser } from '../../testing/fixtures';
import { createCallerFactory } from '../core';
import { refusalAnswer } from '../testing';
import { appRouter } from '../router';
import { authRouter } from './auth';

const createCaller = createCallerFactory(authRouter);
const createAppCaller = createCallerFactory(appRouter);

for (const engine of testEngines()) {
	describe(`auth router (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('me answers the signed-in user of a session, and UNAUTHORIZED without one', async () => {
			const station = await createStation(db, 'ME', 'Asia/Urumqi');
			const user = await createUser(
				db,
				station,
				'yang',
				'supervisor',
				await hashPassword('yang pw 1')
			);
			const result = await signIn(db, { login: 'yang', password: 'yang pw 1' });
			if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
			const session = await validateSessionToken(db, result.token);

			expect(await createCaller({ db, user: session?.user ?? null }).me()).toEqual(user);
			await expect(createCaller({ db, user: null }).me()).rejects.toMatchObject({
				code: 'UNAUTHORIZED'
			});
		});

		it('changePassword needs the current password, refuses a weak one in the reader’s language, ends the sessions', async () => {
			const station = await createStation(db, 'PW');
			const user = await createUser(
				db,
				station,
				'qin',
				'technician',
				await hashPassword('old-Xk4p-9vmz')
			);
			const signedIn = await signIn(db, { login: 'qin', password: 'old-Xk4p-9vmz' });
			if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.reason}`);
			const caller = createCaller({ db, user });

			expect(
				await refusalAnswer(
					caller.changePassword({ current: 'wrong-one-here', next: 'new-Rb7w-2kqn' })
				)
			).toBe('BAD_REQUEST: 当前密码不正确。');
			expect(
				await refusalAnswer(
					caller.changePassword({ current: 'old-Xk4p-9vmz', next: 'qwertyuiop12' })
				)
			).toBe(
				'BAD_REQUEST: 这个密码太常见或太容易被猜到。请换一个更长的、不是单词、姓名或规律组合的密码。'
			);
			expect(await validateSessionToken(db, signedIn.token)).not.toBeNull();

			await caller.changePassword({ current: 'old-Xk4p-9vmz', next: 'new-Rb7w-2kqn' });
			expect(await validateSessionToken(db, signedIn.token)).toBeNull();
			expect(await signIn(db, { login: 'qin', password: 'new-Rb7w-2kqn' })).toMatchObject({
				ok: true
			});
		});

		it('a system administrator has an account but no station work', async () => {
			const station = await createStation(db, 'SYS');
			const root = await createUser(db, station, 'root', 'system_admin');
			const app = createAppCaller({ db, user: root });
			expect(await app.auth.me()).toEqual(root);
			await expect(app.jobs.list({ limit: 10 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(
				app.sync.pull({ clientId: crypto.randomUUID(), cursor: null })
			).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
			await expect(app.stations.technicianSummary()).rejects.toMatchObject({ code: 'FORBIDDEN' });
		});
	});
}
