/**
 * technicians.csv and roles (roles.md): who imports decides which roles a file may give;
 * new accounts and role changes are audited and a changed role ends that account's sessions.
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountActor } from '../auth/accounts';
import { createSession, validateSessionToken } from '../auth/sessions';
import type { Database, DatabaseHandle } from '../db';
import { accountAudit, users } from '../db/schema';
import { testEngines } from '../testing/databases';
import { createStation, createUser } from '../testing/fixtures';
import { importStationFiles, type ImportResult } from './import';
import { renderProblem } from './problems';
import { csv } from './testing';

const JOBS = csv('job_no,technician_login,reported_at,status');

function problemsOf(result: ImportResult): string[] {
	return result.ok ? [] : result.problems.map((problem) => renderProblem(problem, 'en'));
}

for (const engine of testEngines()) {
	describe(`technicians.csv roles (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});
		afterAll(async () => {
			await handle?.close();
		});

		async function stationWithPeople(code: string) {
			const station = await createStation(db, code);
			return {
				station,
				admin: await createUser(db, station, 'boss', 'admin'),
				supervisor: await createUser(db, station, 'lead', 'supervisor'),
				second: await createUser(db, station, 'lead2', 'supervisor'),
				technician: await createUser(db, station, 'tech', 'technician'),
				system: await createUser(db, station, 'root', 'system_admin')
			};
		}

		async function roleOf(stationId: string, login: string) {
			const [row] = await db
				.select({ role: users.role })
				.from(users)
				.where(and(eq(users.stationId, stationId), eq(users.login, login)));
			return row?.role ?? null;
		}

		function importAs(code: string, actor: AccountActor, technicians: string[]) {
			return importStationFiles(
				db,
				{ stationCode: code },
				{ 'technicians.csv': csv('login,name,role', ...technicians), 'jobs.csv': JOBS },
				{ actor }
			);
		}

		it('a supervisor’s upload changes no role and creates no supervisor, line by line', async () => {
			const people = await stationWithPeople('IR1');
			const actor: AccountActor = { kind: 'user', user: people.supervisor };
			const result = await importAs('IR1', actor, [
				'lead2,李二,technician',
				'tech,技师,supervisor',
				'newboss,新主管,supervisor',
				'boss,老板,technician',
				'root,根,technician',
				'newtech,新技师,technician'
			]);
			expect(problemsOf(result)).toEqual([
				'technicians.csv:2: role: "lead2" is a supervisor; only an administrator may change it to technician',
				'technicians.csv:3: role: "tech" is a technician; only an administrator may change it to supervisor',
				'technicians.csv:4: role: only an administrator may create a supervisor account',
				'technicians.csv:5: login: "boss" is an admin account; imports do not change admins',
				'technicians.csv:6: login: "root" is an admin account; imports do not change admins'
			]);
			expect(await roleOf(people.station.id, 'lead2')).toBe('supervisor');
			expect(await roleOf(people.station.id, 'tech')).toBe('technician');
			expect(await roleOf(people.station.id, 'newtech')).toBeNull();

			// Technicians as they are, and new technicians, are the supervisor's to import.
			const allowed = await importAs('IR1', actor, [
				'lead2,李二,supervisor',
				'tech,技师,technician',
				'newtech,新技师,technician'
			]);
			expect(allowed.ok).toBe(true);
			const audit = await db
				.select({ action: accountAudit.action, actorLogin: accountAudit.actorLogin })
				.from(accountAudit)
				.where(eq(accountAudit.stationId, people.station.id));
			expect(audit).toEqual([{ action: 'create', actorLogin: 'IR1/lead' }]);
		});

		it('an administrator’s or the command line’s role change is audited and ends the sessions', async () => {
			const people = await stationWithPeople('IR2');
			const { token: techToken } = await createSession(db, people.technician);
			const { token: leadToken } = await createSession(db, people.second);
			const { token: keptToken } = await createSession(db, people.supervisor);

			const result = await importAs('IR2', { kind: 'user', user: people.admin }, [
				'tech,技师,supervisor',
				'lead2,李二,technician',
				'lead,主管,supervisor',
				'newlead,新主管,supervisor'
			]);
			expect(problemsOf(result)).toEqual([]);
			expect(await roleOf(people.station.id, 'tech')).toBe('supervisor');
			expect(await roleOf(people.station.id, 'lead2')).toBe('technician');
			expect(await validateSessionToken(db, techToken)).toBeNull();
			expect(await validateSessionToken(db, leadToken)).toBeNull();
			// Unchanged accounts keep their sessions.
			expect(await validateSessionToken(db, keptToken)).not.toBeNull();

			const audit = await db
				.select({
					userId: accountAudit.userId,
					action: accountAudit.action,
					actorId: accountAudit.actorId,
					before: accountAudit.before,
					after: accountAudit.after,
					reason: accountAudit.reason
				})
				.from(accountAudit)
				.where(eq(accountAudit.stationId, people.station.id))
				.orderBy(asc(accountAudit.reason));
			const [newlead] = await db
				.select({ id: users.id })
				.from(users)
				.where(and(eq(users.stationId, people.station.id), eq(users.login, 'newlead')));
			expect(audit).toEqual([
				{
					userId: people.technician.id,
					action: 'role_change',
					actorId: people.admin.id,
					before: { role: 'technician' },
					after: { role: 'supervisor' },
					reason: 'technicians.csv line 2'
				},
				{
					userId: people.second.id,
					action: 'role_change',
					actorId: people.admin.id,
					before: { role: 'supervisor' },
					after: { role: 'technician' },
					reason: 'technicians.csv line 3'
				},
				{
					userId: newlead.id,
					action: 'create',
					actorId: people.admin.id,
					before: null,
					after: { login: 'newlead', name: '新主管', role: 'supervisor' },
					reason: 'technicians.csv line 5'
				}
			]);

			// The command line (npm run import) is the server's operator: it may too, and signs as such.
			const fromCli = await importStationFiles(
				db,
				{ stationCode: 'IR2' },
				{
					'technicians.csv': csv('login,name,role', 'tech,技师,technician'),
					'jobs.csv': JOBS
				}
			);
			expect(fromCli.ok).toBe(true);
			const [last] = await db
				.select({ actorLogin: accountAudit.actorLogin, actorId: accountAudit.actorId })
				.from(accountAudit)
				.where(
					and(
						eq(accountAudit.stationId, people.station.id),
						eq(accountAudit.userId, people.technician.id),
						eq(accountAudit.reason, 'technicians.csv line 2')
					)
				)
				.orderBy(asc(accountAudit.changedAt));
			expect(last).toBeDefined();
			const cliRows = await db
				.select({ actorLogin: accountAudit.actorLogin })
				.from(accountAudit)
				.where(eq(accountAudit.actorLogin, 'import (command line)'));
			expect(cliRows.length).toBeGreaterThan(0);
		});

		it('a file gives no dispatcher role (import-format.md), and changes a desk account only as an administrator may', async () => {
			const people = await stationWithPeople('IR3');
			const desk = await createUser(db, people.station, 'desk', 'dispatcher');
			const { token } = await createSession(db, desk);
			const supervisor: AccountActor = { kind: 'user', user: people.supervisor };
			const admin: AccountActor = { kind: 'user', user: people.admin };

			const refused = await importAs('IR3', admin, ['newdesk,新信息员,dispatcher']);
			expect(problemsOf(refused)).toEqual([
				expect.stringMatching(/^technicians\.csv:2: role: .*"dispatcher"/)
			]);
			expect(await roleOf(people.station.id, 'newdesk')).toBeNull();

			// A supervisor's file changes no role, the desk's neither.
			expect(problemsOf(await importAs('IR3', supervisor, ['desk,信息员,technician']))).toEqual([
				'technicians.csv:2: role: "desk" is a dispatcher; only an administrator may change it to technician'
			]);
			expect(await roleOf(people.station.id, 'desk')).toBe('dispatcher');
			expect(await validateSessionToken(db, token)).not.toBeNull();

			// An administrator's file may, like the admin pages: audited, the sessions ended.
			expect(problemsOf(await importAs('IR3', admin, ['desk,信息员,technician']))).toEqual([]);
			expect(await roleOf(people.station.id, 'desk')).toBe('technician');
			expect(await validateSessionToken(db, token)).toBeNull();
		});
	});
}
