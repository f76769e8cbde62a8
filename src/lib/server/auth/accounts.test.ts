import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { queryRows } from '../db/rows';
import { accountAudit, users } from '../db/schema';
import { testEngines } from '../testing/databases';
import { createStation, createUser } from '../testing/fixtures';
import {
	COMMAND_LINE,
	changeOwnPassword,
	createAccount,
	setAccountActive,
	setPassword,
	setRole
} from './accounts';
import { Refusal } from '../refusal';
import { createSession, validateSessionToken } from './sessions';
import { signIn } from './sign-in';

const cli = { actor: COMMAND_LINE };

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

		async function auditOf(user: { id: string; stationId: string }) {
			return db
				.select({
					action: accountAudit.action,
					actorId: accountAudit.actorId,
					actorLogin: accountAudit.actorLogin,
					before: accountAudit.before,
					after: accountAudit.after,
					reason: accountAudit.reason
				})
				.from(accountAudit)
				.where(and(eq(accountAudit.stationId, user.stationId), eq(accountAudit.userId, user.id)))
				.orderBy(asc(accountAudit.changedAt));
		}

		it('creates an account that can sign in, and refuses a taken login', async () => {
			const station = await createStation(db, 'AC1');
			const account = {
				stationId: station.id,
				login: 'qian',
				name: '钱',
				role: 'supervisor' as const
			};
			const created = await createAccount(db, { ...account, password: 'plum-Tq7v-pz3k' }, cli);
			expect(created).toMatchObject({ ...account, active: true, hasPassword: true });
			expect(await signIn(db, { login: 'qian', password: 'plum-Tq7v-pz3k' })).toMatchObject({
				ok: true
			});
			expect(await auditOf(created)).toEqual([
				{
					action: 'create',
					actorId: null,
					actorLogin: 'command line',
					before: null,
					after: {
						login: 'qian',
						name: '钱',
						role: 'supervisor',
						active: true,
						passwordSet: 'typed'
					},
					reason: null
				}
			]);

			const duplicate = createAccount(db, { ...account, name: 'Other' }, cli);
			await expect(duplicate).rejects.toThrow(Refusal);
			await expect(duplicate).rejects.toMatchObject({
				reason: expect.objectContaining({ key: 'login_taken' }),
				message: 'The login "qian" already exists in station AC1.'
			});
			const stored = await db.select().from(users).where(eq(users.stationId, station.id));
			expect(stored.map((u) => u.name)).toEqual(['钱']);
		});

		it('refuses an unknown station', async () => {
			await expect(
				createAccount(
					db,
					{ stationId: randomUUID(), login: 'x', name: 'X', role: 'technician' },
					cli
				)
			).rejects.toMatchObject({ reason: expect.objectContaining({ key: 'station_unknown' }) });
		});

		it('refuses weak passwords wherever a password is set, and stores nothing', async () => {
			const station = await createStation(db, 'AC4');
			const weak = ['password123', 'lulu-password', 'qwertyuiop', 'short'];
			for (const password of weak) {
				await expect(
					createAccount(
						db,
						{ stationId: station.id, login: 'lulu', name: '路路', role: 'technician', password },
						cli
					)
				).rejects.toMatchObject({ reason: expect.objectContaining({ key: 'weak_password' }) });
			}
			expect(await db.select().from(users).where(eq(users.stationId, station.id))).toEqual([]);

			const lulu = await createAccount(
				db,
				{ stationId: station.id, login: 'lulu', name: '路路', role: 'technician' },
				cli
			);
			for (const password of weak) {
				await expect(
					setPassword(db, { stationId: station.id, login: 'lulu', password }, cli)
				).rejects.toMatchObject({ reason: expect.objectContaining({ key: 'weak_password' }) });
			}
			const [row] = await db.select().from(users).where(eq(users.id, lulu.id));
			expect(row.passwordHash).toBeNull();
		});

		it('setPassword by login lifts the lock, signs the account out and is audited', async () => {
			const station = await createStation(db, 'AC2');
			const created = await createAccount(
				db,
				{ stationId: station.id, login: 'sun', name: '孙', role: 'technician' },
				cli
			);
			expect(created.hasPassword).toBe(false);
			const { token } = await createSession(db, created);
			await db
				.update(users)
				.set({ failedLogins: 9, lastFailedLoginAt: new Date() })
				.where(and(eq(users.stationId, station.id), eq(users.id, created.id)));

			const updated = await setPassword(
				db,
				{ stationId: station.id, login: 'sun', password: 'fern-hb2t-x9mw' },
				{ actor: COMMAND_LINE, reason: 'forgot it' }
			);
			expect(updated.hasPassword).toBe(true);
			expect(await validateSessionToken(db, token)).toBeNull();
			expect(await signIn(db, { login: 'sun', password: 'fern-hb2t-x9mw' })).toMatchObject({
				ok: true
			});
			expect((await auditOf(created)).map((row) => [row.action, row.reason])).toEqual([
				['create', null],
				['password_reset', 'forgot it']
			]);

			await expect(
				setPassword(db, { stationId: station.id, login: 'nobody', password: 'fern-hb2t-x9mw' }, cli)
			).rejects.toMatchObject({
				reason: expect.objectContaining({ key: 'account_unknown' }),
				message: 'There is no user "nobody" in station AC2.'
			});
		});

		it('deactivating ends the sessions; reactivating allows signing in again', async () => {
			const station = await createStation(db, 'AC3');
			const created = await createAccount(
				db,
				{
					stationId: station.id,
					login: 'tang',
					name: '唐',
					role: 'technician',
					password: 'kite-p9mw-sx4k'
				},
				cli
			);
			const { token } = await createSession(db, created);
			const ref = { stationId: station.id, userId: created.id };

			expect(await setAccountActive(db, { ...ref, active: false }, cli)).toMatchObject({
				active: false
			});
			expect(await validateSessionToken(db, token)).toBeNull();
			expect(await signIn(db, { login: 'tang', password: 'kite-p9mw-sx4k' })).toMatchObject({
				ok: false
			});

			await setAccountActive(db, { ...ref, active: true }, cli);
			expect(await signIn(db, { login: 'tang', password: 'kite-p9mw-sx4k' })).toMatchObject({
				ok: true
			});
			expect((await auditOf(created)).map((row) => [row.action, row.before, row.after])).toEqual([
				['create', null, expect.anything()],
				['deactivate', { active: true }, { active: false }],
				['activate', { active: false }, { active: true }]
			]);
		});

		it('a role change ends the sessions and is audited with who, before, after and why', async () => {
			const station = await createStation(db, 'AC5');
			const admin = await createUser(db, station, 'boss', 'admin');
			const tech = await createUser(db, station, 'feng', 'technician');
			const { token } = await createSession(db, tech);

			const promoted = await setRole(
				db,
				{ stationId: station.id, userId: tech.id, role: 'supervisor' },
				{ actor: { kind: 'user', user: admin }, reason: 'leads the night shift' }
			);
			expect(promoted.role).toBe('supervisor');
			expect(await validateSessionToken(db, token)).toBeNull();
			expect(await auditOf(tech)).toEqual([
				{
					action: 'role_change',
					actorId: admin.id,
					actorLogin: 'AC5/boss',
					before: { role: 'technician' },
					after: { role: 'supervisor' },
					reason: 'leads the night shift'
				}
			]);
		});

		it('changing one’s own password needs the current one, passes the policy, signs out everywhere', async () => {
			const station = await createStation(db, 'AC6');
			const created = await createAccount(
				db,
				{
					stationId: station.id,
					login: 'jiang',
					name: '江',
					role: 'technician',
					password: 'oak-7kqm-r2vd'
				},
				cli
			);
			const user = { ...created, stationCode: 'AC6' };
			const { token } = await createSession(db, created);

			await expect(
				changeOwnPassword(db, user, { current: 'not-it-at-all', next: 'moss-new-x8wq-z3' })
			).rejects.toMatchObject({ reason: expect.objectContaining({ key: 'wrong_password' }) });
			await expect(
				changeOwnPassword(db, user, { current: 'oak-7kqm-r2vd', next: 'password123' })
			).rejects.toMatchObject({ reason: expect.objectContaining({ key: 'weak_password' }) });
			expect(await validateSessionToken(db, token)).not.toBeNull();

			await changeOwnPassword(db, user, { current: 'oak-7kqm-r2vd', next: 'river-x8wq-z3mn' });
			expect(await validateSessionToken(db, token)).toBeNull();
			expect(await signIn(db, { login: 'jiang', password: 'river-x8wq-z3mn' })).toMatchObject({
				ok: true
			});
			expect((await auditOf(created)).map((row) => row.action)).toEqual([
				'create',
				'password_change'
			]);
		});

		it('every user gets a random 256-bit local data key of their own, however created', async () => {
			const station = await createStation(db, 'AC7');
			await createUser(db, station, 'one');
			await createUser(db, station, 'two');
			await createAccount(
				db,
				{ stationId: station.id, login: 'three', name: '三', role: 'technician' },
				cli
			);
			const keys = await db
				.select({ key: users.localDataKey })
				.from(users)
				.where(eq(users.stationId, station.id));
			expect(keys).toHaveLength(3);
			for (const { key } of keys) expect(key).toMatch(/^[0-9a-f]{64}$/);
			expect(new Set(keys.map(({ key }) => key)).size).toBe(3);
		});

		it('the migration gave users that existed before it keys of their own too', async () => {
			// Adding a column whose default is volatile computes it per existing row: checked with
			// the very default the migration declared, on a table of existing rows.
			const [column] = await queryRows<{ expression: string }>(
				db,
				sql`SELECT pg_get_expr(d.adbin, d.adrelid) AS expression
					FROM pg_attrdef d
					JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
					WHERE d.adrelid = 'users'::regclass AND a.attname = 'local_data_key'`
			);
			expect(column.expression).toContain('gen_random_uuid()');
			await db.transaction(async (tx) => {
				await tx.execute(
					sql`CREATE TEMP TABLE existing_users ON COMMIT DROP AS SELECT generate_series(1, 50) AS n`
				);
				await tx.execute(
					sql.raw(
						`ALTER TABLE existing_users ADD COLUMN k text NOT NULL DEFAULT ${column.expression}`
					)
				);
				const [keys] = await queryRows<{ distinct_keys: number }>(
					tx,
					sql`SELECT count(DISTINCT k)::int AS distinct_keys FROM existing_users`
				);
				expect(keys.distinct_keys).toBe(50);
			});
		});
	});
}
