import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../../db';
import { hashPassword } from '../../auth/password';
import { validateSessionToken } from '../../auth/sessions';
import { signIn } from '../../auth/sign-in';
import { testEngines } from '../../testing/databases';
import { createStation, createUser } from '../../testing/fixtures';
import { createCallerFactory } from '../core';
import { authRouter } from './auth';

const createCaller = createCallerFactory(authRouter);

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
	});
}
