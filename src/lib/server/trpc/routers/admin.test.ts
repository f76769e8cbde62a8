import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../../db';
import { accountAudit, stations, users } from '../../db/schema';
import type { SessionUser } from '../../auth/session-user';
import { createSession, validateSessionToken } from '../../auth/sessions';
import { signIn } from '../../auth/sign-in';
import type { UserRole } from '../../../shared/domain';
import { testEngines } from '../../testing/databases';
import { createStation, createUser } from '../../testing/fixtures';
import { createCallerFactory } from '../core';
import { refusalAnswer } from '../testing';
import { createStation as createStationService } from '../../stations/admin';
import { adminRouter } from './admin';

const createCaller = createCallerFactory(adminRouter);

type Outcome = 'ok' | 'NOT_FOUND' | 'FORBIDDEN';
type Actor = 'system_admin' | 'admin' | 'supervisor' | 'dispatcher' | 'technician';
type AccountProcedure = 'create' | 'setPassword' | 'setActive' | 'setRole';

/**
 * roles.md, "Manage accounts" and "Create stations", as the expected answer of each call:
 * the rule the router must follow, written independently of its code.
 */
function expectedOutcome(
	actor: Actor,
	station: 'own' | 'other',
	/** The account changed (or the role created or given): what decides the answer. */
	role: UserRole
): Outcome {
	if (actor === 'technician' || actor === 'supervisor' || actor === 'dispatcher')
		return 'FORBIDDEN';
	if (actor === 'system_admin') return role === 'system_admin' ? 'FORBIDDEN' : 'ok';
	if (station === 'other') return 'NOT_FOUND';
	return role === 'technician' || role === 'dispatcher' || role === 'supervisor'
		? 'ok'
		: 'FORBIDDEN';
}

const STRONG_PASSWORD = 'cobalt-Tq7v-pz3k';

for (const engine of testEngines()) {
	describe(`admin router (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let stationA: Awaited<ReturnType<typeof createStation>>;
		let stationB: Awaited<ReturnType<typeof createStation>>;
		let actors: Record<Actor, SessionUser>;
		const as = (user: SessionUser | null) => createCaller({ db, user });
		let serial = 0;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const home = await createStation(db, 'HQ');
			stationA = await createStation(db, 'STA');
			stationB = await createStation(db, 'STB');
			actors = {
				system_admin: await createUser(db, home, 'root', 'system_admin'),
				admin: await createUser(db, stationA, 'boss', 'admin'),
				supervisor: await createUser(db, stationA, 'lead', 'supervisor'),
				dispatcher: await createUser(db, stationA, 'desk', 'dispatcher'),
				technician: await createUser(db, stationA, 'tech', 'technician')
			};
		});
		afterAll(async () => {
			await handle?.close();
		});

		/** A fresh account to act on, with a session open, so every case starts alike. */
		async function freshTarget(station: 'own' | 'other', role: UserRole) {
			const target = await createUser(
				db,
				station === 'own' ? stationA : stationB,
				`target${++serial}`,
				role
			);
			const { token } = await createSession(db, target);
			return { target, token };
		}

		async function rowOf(user: { id: string; stationId: string }) {
			const [row] = await db
				.select({ role: users.role, active: users.active, passwordHash: users.passwordHash })
				.from(users)
				.where(and(eq(users.stationId, user.stationId), eq(users.id, user.id)));
			return row;
		}

		async function auditCount(user: { id: string; stationId: string }) {
			const rows = await db
				.select({ id: accountAudit.id })
				.from(accountAudit)
				.where(and(eq(accountAudit.stationId, user.stationId), eq(accountAudit.userId, user.id)));
			return rows.length;
		}

		async function outcomeOf(call: () => Promise<unknown>): Promise<Outcome | string> {
			try {
				await call();
				return 'ok';
			} catch (error) {
				return (error as { code?: string }).code ?? String(error);
			}
		}

		const ACTORS: Actor[] = ['system_admin', 'admin', 'supervisor', 'dispatcher', 'technician'];
		const ROLES: UserRole[] = ['technician', 'dispatcher', 'supervisor', 'admin', 'system_admin'];
		const PROCEDURES: AccountProcedure[] = ['create', 'setPassword', 'setActive', 'setRole'];

		// 200 calls, a third of them hashing a password with argon2id.
		it(
			'admin scope matrix: each role × each account procedure × own/other station × role',
			{ timeout: 300_000 },
			async () => {
				const results: string[] = [];
				let checked = 0;
				for (const actorRole of ACTORS) {
					const caller = as(actors[actorRole]);
					for (const station of ['own', 'other'] as const) {
						const stationId = station === 'own' ? stationA.id : stationB.id;
						for (const procedure of PROCEDURES) {
							for (const role of ROLES) {
								const expected = expectedOutcome(actorRole, station, role);
								const { target, token } = await freshTarget(station, role);
								const before = await rowOf(target);
								const ref = { stationId, userId: target.id };
								const login = `new${++serial}`;
								const call = {
									create: () =>
										caller.users.create({
											stationId,
											login,
											name: '新人',
											role,
											password: STRONG_PASSWORD
										}),
									setPassword: () =>
										caller.users.setPassword({ ...ref, password: STRONG_PASSWORD }),
									setActive: () => caller.users.setActive({ ...ref, active: false }),
									// Changing a technician's role to `role`, or `role`'s account to technician:
									// both must follow the same rule.
									setRole: () =>
										role === 'technician'
											? caller.users.setRole({ ...ref, role: 'supervisor', reason: 'matrix' })
											: caller.users.setRole({ ...ref, role: 'technician', reason: 'matrix' })
								}[procedure];
								const outcome = await outcomeOf(call);
								checked++;
								if (outcome !== expected) {
									results.push(
										`${actorRole} ${procedure} ${role} (${station}): ${outcome}, expected ${expected}`
									);
								}
								if (procedure === 'create') {
									const created = await db
										.select({ id: users.id })
										.from(users)
										.where(and(eq(users.stationId, stationId), eq(users.login, login)));
									expect(created.length).toBe(expected === 'ok' ? 1 : 0);
									continue;
								}
								const session = await validateSessionToken(db, token);
								if (expected === 'ok') {
									// Every change is audited and ends the sessions of the account changed.
									expect(await auditCount(target)).toBe(1);
									expect(session).toBeNull();
								} else {
									expect(await rowOf(target)).toEqual(before);
									expect(await auditCount(target)).toBe(0);
									expect(session).not.toBeNull();
								}
							}
						}
					}
				}
				expect(checked).toBe(ACTORS.length * 2 * PROCEDURES.length * ROLES.length);
				expect(results).toEqual([]);
			}
		);

		it('stations: only a system administrator creates them; a station admin lists its own', async () => {
			const newStation = { code: 'NEW1', name: '新站', timeZone: 'Asia/Shanghai' };
			for (const actor of ['admin', 'supervisor', 'dispatcher', 'technician'] as const) {
				await expect(as(actors[actor]).stations.create(newStation)).rejects.toMatchObject({
					code: 'FORBIDDEN'
				});
			}
			expect(await db.select().from(stations).where(eq(stations.code, 'NEW1'))).toEqual([]);
			for (const actor of ['supervisor', 'dispatcher', 'technician'] as const) {
				await expect(as(actors[actor]).stations.list()).rejects.toMatchObject({
					code: 'FORBIDDEN'
				});
			}
			expect((await as(actors.admin).stations.list()).map((s) => s.code)).toEqual(['STA']);
			expect((await as(actors.system_admin).stations.list()).map((s) => s.code)).toEqual([
				'HQ',
				'STA',
				'STB'
			]);
			await expect(as(null).users.list({ stationId: stationA.id })).rejects.toMatchObject({
				code: 'UNAUTHORIZED'
			});
		});

		it('lists accounts of the stations in scope only', async () => {
			expect(await outcomeOf(() => as(actors.admin).users.list({ stationId: stationA.id }))).toBe(
				'ok'
			);
			for (const stationId of [stationB.id, randomUUID()]) {
				await expect(as(actors.admin).users.list({ stationId })).rejects.toMatchObject({
					code: 'NOT_FOUND'
				});
			}
			expect(
				await outcomeOf(() => as(actors.system_admin).users.list({ stationId: stationB.id }))
			).toBe('ok');
		});

		it('creates stations with a canonical time zone and refuses bad or taken ones', async () => {
			const sys = as(actors.system_admin);
			const created = await sys.stations.create({
				code: 'WH1',
				name: '武汉一站',
				timeZone: ' asia/shanghai '
			});
			expect(created).toMatchObject({ code: 'WH1', name: '武汉一站', timeZone: 'Asia/Shanghai' });
			await expect(
				sys.stations.create({ code: 'WH2', name: 'x', timeZone: 'Mars/Olympus' })
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
			expect(
				await refusalAnswer(sys.stations.create({ code: 'WH1', name: 'again', timeZone: 'UTC' }))
			).toBe('CONFLICT: 服务站代码“WH1”已被使用。');
		});

		it('a duplicate login is a CONFLICT naming it; a weak password is refused in the reader’s language', async () => {
			const admin = as(actors.admin);
			const account = {
				stationId: stationA.id,
				login: 'wang',
				name: '王',
				role: 'supervisor' as const
			};
			await admin.users.create({ ...account, password: STRONG_PASSWORD });
			expect(await signIn(db, { login: 'wang', password: STRONG_PASSWORD })).toMatchObject({
				ok: true
			});
			expect(
				await refusalAnswer(
					admin.users.create({ ...account, name: 'Someone else', password: STRONG_PASSWORD })
				)
			).toBe('CONFLICT: 账号“wang”在本服务站已被使用。');
			expect(
				await refusalAnswer(
					admin.users.create({ ...account, login: 'wang2', password: 'password123' })
				)
			).toBe(
				'BAD_REQUEST: 这个密码太常见或太容易被猜到。请换一个更长的、不是单词、姓名或规律组合的密码。'
			);
			expect(
				await refusalAnswer(
					admin.users.create({ ...account, login: 'wang3', password: 'wang3-is-my-name' })
				)
			).toBe('BAD_REQUEST: 密码不能包含账号或本人姓名。');
			expect(await db.select().from(users).where(eq(users.login, 'wang2'))).toEqual([]);
		});

		it('setRole needs a reason, and an admin changes neither their own role nor their own activity', async () => {
			const admin = as(actors.admin);
			const { target } = await freshTarget('own', 'technician');
			await expect(
				admin.users.setRole({
					stationId: stationA.id,
					userId: target.id,
					role: 'supervisor',
					reason: ' '
				})
			).rejects.toMatchObject({ code: 'BAD_REQUEST' });
			const { token } = await createSession(db, actors.admin);
			const self = { stationId: stationA.id, userId: actors.admin.id };
			// An administrator's account, their own included, is managed one level up.
			await expect(admin.users.setActive({ ...self, active: false })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
			await expect(
				admin.users.setRole({ ...self, role: 'technician', reason: 'try' })
			).rejects.toMatchObject({ code: 'FORBIDDEN' });
			expect(await validateSessionToken(db, token)).not.toBeNull();
		});

		it('a system administrator manages a station admin, audited with its own name', async () => {
			const { target, token } = await freshTarget('other', 'admin');
			await as(actors.system_admin).users.setRole({
				stationId: stationB.id,
				userId: target.id,
				role: 'supervisor',
				reason: 'stepped down'
			});
			expect(await validateSessionToken(db, token)).toBeNull();
			const [row] = await db
				.select()
				.from(accountAudit)
				.where(and(eq(accountAudit.stationId, stationB.id), eq(accountAudit.userId, target.id)));
			expect(row).toMatchObject({
				action: 'role_change',
				actorId: actors.system_admin.id,
				actorStationId: actors.system_admin.stationId,
				actorLogin: 'HQ/root',
				before: { role: 'admin' },
				after: { role: 'supervisor' },
				reason: 'stepped down'
			});
			expect(row.changedAt).toBeInstanceOf(Date);
		});
		it('a generated password is in the answer once: it signs in, and nothing reads it again', async () => {
			const admin = as(actors.admin);
			const created = await admin.users.create({
				stationId: stationA.id,
				login: 'gen1',
				name: '生成',
				role: 'technician',
				generatePassword: true,
				reason: 'new hire'
			});
			const password = created.generatedPassword as string;
			expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
			expect(await signIn(db, { login: 'gen1', password })).toMatchObject({ ok: true });
			const { token } = await createSession(db, { id: created.id, stationId: stationA.id });

			// Neither the list, the account's page nor its audit holds it.
			const listed = await admin.users.list({ stationId: stationA.id });
			const detail = await admin.users.get({ stationId: stationA.id, userId: created.id });
			const audit = await db.select().from(accountAudit).where(eq(accountAudit.userId, created.id));
			for (const readable of [listed, detail, audit]) {
				expect(JSON.stringify(readable)).not.toContain(password);
			}
			expect(detail.history).toMatchObject([
				{
					action: 'create',
					actorLogin: 'STA/boss',
					after: { login: 'gen1', role: 'technician', passwordSet: 'generated' },
					reason: 'new hire'
				}
			]);

			// A reset without a password makes a new one: the old one and the sessions are gone.
			const reset = await admin.users.setPassword({ stationId: stationA.id, userId: created.id });
			expect(reset.generatedPassword).not.toBe(password);
			expect(await validateSessionToken(db, token)).toBeNull();
			expect(await signIn(db, { login: 'gen1', password })).toMatchObject({ ok: false });
			expect(
				await signIn(db, { login: 'gen1', password: reset.generatedPassword as string })
			).toMatchObject({ ok: true });
			const typed = await admin.users.setPassword({
				stationId: stationA.id,
				userId: created.id,
				password: STRONG_PASSWORD,
				reason: 'asked for it'
			});
			expect(typed.generatedPassword).toBeNull();
			const history = (await admin.users.get({ stationId: stationA.id, userId: created.id }))
				.history;
			expect(history.map(({ action, after, reason }) => ({ action, after, reason }))).toEqual([
				{ action: 'password_reset', after: { passwordSet: 'typed' }, reason: 'asked for it' },
				{ action: 'password_reset', after: { passwordSet: 'generated' }, reason: null },
				expect.objectContaining({ action: 'create' })
			]);

			await expect(
				admin.users.create({
					stationId: stationA.id,
					login: 'gen2',
					name: '两个',
					role: 'technician',
					generatePassword: true,
					password: STRONG_PASSWORD
				})
			).rejects.toMatchObject({ code: 'BAD_REQUEST' });
			expect(await db.select().from(users).where(eq(users.login, 'gen2'))).toEqual([]);
		});

		it('renames an account within scope, audited, and keeps its sessions', async () => {
			const { target, token } = await freshTarget('own', 'technician');
			const ref = { stationId: stationA.id, userId: target.id };
			await as(actors.admin).users.rename({ ...ref, name: '  王 小明 ', reason: 'typo' });
			const detail = await as(actors.admin).users.get(ref);
			expect(detail.account.name).toBe('王 小明');
			expect(detail.history[0]).toMatchObject({
				action: 'rename',
				reason: 'typo',
				before: { name: target.name },
				after: { name: '王 小明' }
			});
			expect(await validateSessionToken(db, token)).not.toBeNull();
			await expect(as(actors.admin).users.rename({ ...ref, name: '   ' })).rejects.toMatchObject({
				code: 'BAD_REQUEST'
			});
			const { target: elsewhere } = await freshTarget('other', 'technician');
			await expect(
				as(actors.admin).users.rename({ stationId: stationB.id, userId: elsewhere.id, name: 'x' })
			).rejects.toMatchObject({ code: 'NOT_FOUND' });
			await expect(as(actors.supervisor).users.rename({ ...ref, name: 'y' })).rejects.toMatchObject(
				{ code: 'FORBIDDEN' }
			);
		});

		it('reads one account with its history within scope only, and says what may be changed', async () => {
			const { target } = await freshTarget('own', 'dispatcher');
			await as(actors.admin).users.setActive({
				stationId: stationA.id,
				userId: target.id,
				active: false,
				reason: 'left the desk'
			});
			const detail = await as(actors.admin).users.get({
				stationId: stationA.id,
				userId: target.id
			});
			expect(detail.account).toMatchObject({
				login: target.login,
				active: false,
				role: 'dispatcher'
			});
			expect(detail.account.lastChangedAt).toBeInstanceOf(Date);
			expect(detail.history).toMatchObject([
				{ action: 'deactivate', reason: 'left the desk', after: { active: false } }
			]);
			expect(detail.assignableRoles).toEqual(['technician', 'dispatcher', 'supervisor']);
			// A station admin reads the station's admin accounts but may change nothing of them.
			const self = await as(actors.admin).users.get({
				stationId: stationA.id,
				userId: actors.admin.id
			});
			expect(self.assignableRoles).toEqual([]);

			const listed = await as(actors.admin).users.list({ stationId: stationA.id });
			expect(listed.find(({ id }) => id === target.id)?.lastChangedAt).toEqual(
				detail.account.lastChangedAt
			);

			const other = await freshTarget('other', 'technician');
			for (const ref of [
				{ stationId: stationB.id, userId: other.target.id },
				{ stationId: stationA.id, userId: other.target.id },
				{ stationId: stationA.id, userId: randomUUID() }
			]) {
				await expect(as(actors.admin).users.get(ref)).rejects.toMatchObject({ code: 'NOT_FOUND' });
			}
			for (const actor of ['supervisor', 'dispatcher', 'technician'] as const) {
				await expect(
					as(actors[actor]).users.get({ stationId: stationA.id, userId: target.id })
				).rejects.toMatchObject({ code: 'FORBIDDEN' });
			}
			expect(
				(
					await as(actors.system_admin).users.get({
						stationId: stationB.id,
						userId: other.target.id
					})
				).assignableRoles
			).toEqual(['technician', 'dispatcher', 'supervisor', 'admin', 'region_manager']);
		});

		it('refuses a station code of the wrong form, and a station service call by anyone but a system admin', async () => {
			const sys = as(actors.system_admin);
			for (const code of ['', 'HAS SPACE', '站点', 'X'.repeat(33)]) {
				await expect(
					sys.stations.create({ code, name: '站', timeZone: 'Asia/Shanghai' })
				).rejects.toMatchObject({ code: 'BAD_REQUEST' });
			}
			expect(
				await sys.stations.create({ code: 'wh-3', name: '三站', timeZone: 'UTC' })
			).toMatchObject({
				code: 'WH-3'
			});
			await expect(
				createStationService(
					db,
					{ code: 'WH4', name: '四站', timeZone: 'UTC' },
					{ kind: 'user', user: actors.admin }
				)
			).rejects.toMatchObject({ code: 'FORBIDDEN', reason: { key: 'station_create_not_allowed' } });
			expect(await db.select().from(stations).where(eq(stations.code, 'WH4'))).toEqual([]);
		});
	});
}
