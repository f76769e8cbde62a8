/** The `npm run user` CLI (scripts/user.ts), run as a child process against a scratch PGlite folder. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openMigratedDatabase } from '../db';
import { accountAudit, users } from '../db/schema';
import { createStation } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { signIn } from './sign-in';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const run = promisify(execFile);

// Each call is a Node process that opens (and first migrates) the embedded database: on a
// machine shared by several test runs that takes far longer than an in-process test.
describe('user CLI', { timeout: 300_000 }, () => {
	let dataDir: string;

	async function cli(...args: string[]) {
		return cliOn({ PGLITE_DIR: dataDir }, ...args);
	}

	/** The CLI with the database named by `database` (PGLITE_DIR, or DATABASE_URL). */
	async function cliOn(database: NodeJS.ProcessEnv, ...args: string[]) {
		const env: NodeJS.ProcessEnv = { ...process.env, ...database };
		if (!database.DATABASE_URL) delete env.DATABASE_URL;
		try {
			// Node with tsx's loader is what `npm run user` runs, without npx's start-up second.
			const script = ['--import', 'tsx', 'scripts/user.ts', ...args];
			const { stdout, stderr } = await run(process.execPath, script, { cwd: repoRoot, env });
			return { code: 0, stdout, stderr };
		} catch (error) {
			const failed = error as { code: number; stdout: string; stderr: string };
			return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
		}
	}

	/** The CLI and this process must not hold the PGlite folder at the same time. */
	async function withDatabase<T>(action: (db: Parameters<typeof signIn>[0]) => Promise<T>) {
		const handle = await openMigratedDatabase({ kind: 'pglite', dir: dataDir });
		try {
			return await action(handle.db);
		} finally {
			await handle.close();
		}
	}

	beforeAll(async () => {
		dataDir = mkdtempSync(path.join(tmpdir(), 'rs-user-cli-'));
		await withDatabase((db) => createStation(db, 'CLI'));
	});
	afterAll(() => {
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('adds an account that can sign in, then resets its password', async () => {
		const added = await cli(
			'add',
			'--station=CLI',
			'--login=zhou',
			'--name',
			'周 工',
			'--role',
			'supervisor',
			'--password',
			'first-Kq7v-pz3m'
		);
		expect(added).toMatchObject({ code: 0 });
		expect(added.stdout.trim()).toBe('Created supervisor "zhou" (周 工) in station CLI.');

		const reset = await cli(
			'passwd',
			'--station',
			'CLI',
			'--login',
			'zhou',
			'--password',
			'second-Hb2t-x9wm'
		);
		expect(reset).toMatchObject({ code: 0 });
		expect(reset.stdout).toContain('Password set for "zhou" in station CLI');

		await withDatabase(async (db) => {
			expect(await signIn(db, { login: 'zhou', password: 'first-Kq7v-pz3m' })).toMatchObject({
				ok: false
			});
			expect(await signIn(db, { login: 'zhou', password: 'second-Hb2t-x9wm' })).toMatchObject({
				ok: true,
				user: { login: 'zhou', name: '周 工', role: 'supervisor', stationCode: 'CLI' }
			});
		});
	});

	it('refuses a duplicate login, an unknown station or login, with exit code 1', async () => {
		const add = [
			'add',
			'--login',
			'wu',
			'--name',
			'Wu',
			'--role',
			'technician',
			'--password',
			'mint-Rx4k-p9mw'
		];
		expect(await cli(...add, '--station', 'CLI')).toMatchObject({ code: 0 });

		const duplicate = await cli(...add, '--station', 'CLI');
		expect(duplicate.code).toBe(1);
		expect(duplicate.stderr).toContain('The login "wu" already exists in station CLI.');

		const unknownStation = await cli(...add, '--station', 'ELSEWHERE');
		expect(unknownStation.code).toBe(1);
		expect(unknownStation.stderr).toContain('There is no station with code ELSEWHERE.');

		const unknownLogin = await cli(
			'passwd',
			'--station',
			'CLI',
			'--login',
			'nobody',
			'--password',
			'any-Ps8d-q2zk'
		);
		expect(unknownLogin.code).toBe(1);
		expect(unknownLogin.stderr).toContain('There is no user "nobody" in station CLI.');
	});

	it('refuses a common or personal password with exit code 1, creating nothing', async () => {
		for (const password of ['password1234', 'qwertyuiop1', 'liang-2026-ok']) {
			const weak = await cli(
				'add',
				'--station',
				'CLI',
				'--login',
				'liang',
				'--name',
				'梁',
				'--role',
				'technician',
				'--password',
				password
			);
			expect(weak.code).toBe(1);
			expect(weak.stderr).toMatch(/^Error: Refused: the password/);
		}
		await withDatabase(async (db) => {
			expect(await db.select().from(users).where(eq(users.login, 'liang'))).toEqual([]);
		});
	});

	it('creates the first system administrator together with its station, audited as the command line', async () => {
		const added = await cli(
			'add',
			'--station',
			'HQ',
			'--station-name',
			'总部',
			'--time-zone',
			'Asia/Shanghai',
			'--login',
			'root',
			'--name',
			'系统管理员',
			'--role',
			'system_admin',
			'--password',
			'granite-Vw8q-m3tz'
		);
		expect(added).toMatchObject({ code: 0 });
		expect(added.stdout.trim()).toBe('Created system_admin "root" (系统管理员) in station HQ.');
		await withDatabase(async (db) => {
			const signedIn = await signIn(db, { login: 'root', password: 'granite-Vw8q-m3tz' });
			expect(signedIn).toMatchObject({
				ok: true,
				user: { role: 'system_admin', stationCode: 'HQ', stationName: '总部' }
			});
			const audit = await db.select().from(accountAudit).where(eq(accountAudit.action, 'create'));
			expect(audit.find((row) => row.actorLogin === 'command line' && row.after)).toBeTruthy();
		});
	});

	it('rejects bad arguments with exit code 2 and says what is wrong', async () => {
		const bad = await cli(
			'add',
			'--station',
			'CLI',
			'--login',
			'he',
			'--name',
			'He',
			'--role',
			'boss',
			'--password',
			'short'
		);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/--role .*"technician"\|"supervisor"\|"admin"\|"system_admin"/);
		expect(bad.stderr).toContain('--password password must have at least 10 characters');

		const missing = await cli('passwd', '--station', 'CLI', '--login', 'he');
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain('--password is required');

		const unknownCommand = await cli('remove', '--login', 'he');
		expect(unknownCommand.code).toBe(2);
		expect(unknownCommand.stderr).toContain('unknown command "remove"');

		await withDatabase(async (db) => {
			expect(await signIn(db, { login: 'he', password: 'short' })).toMatchObject({
				reason: 'invalid_credentials'
			});
		});
	});

	it('says plainly that the server holds the embedded database, and what to do instead', async () => {
		// This process opens the folder as the running server would.
		const refused = await withDatabase(() =>
			cli('passwd', '--station', 'CLI', '--login', 'zhou', '--password', 'third-Jm4w-q8zt')
		);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain(
			`The embedded database in ${dataDir} is in use by process ${process.pid}`
		);
		expect(refused.stderr).toContain('manage accounts in its administration pages (/admin)');
	});

	const postgres = testEngines().find((engine) => engine.name === 'postgres');
	it.runIf(postgres)(
		'works beside a running server on PostgreSQL: no need to stop it',
		async () => {
			// The handle stays open, with its pool of connections, like a server's.
			const server = await postgres!.open();
			try {
				await createStation(server.db, 'PGS');
				if (server.target.kind !== 'postgres') throw new Error('expected a PostgreSQL target');
				const added = await cliOn(
					{ DATABASE_URL: server.target.url },
					'add',
					'--station',
					'PGS',
					'--login',
					'song',
					'--name',
					'宋',
					'--role',
					'dispatcher',
					'--password',
					'harbor-Wq3n-z7kd'
				);
				expect(added).toMatchObject({ code: 0 });
				expect(
					await signIn(server.db, { login: 'song', password: 'harbor-Wq3n-z7kd' })
				).toMatchObject({
					ok: true,
					user: { role: 'dispatcher', stationCode: 'PGS' }
				});
			} finally {
				await server.close();
			}
		}
	);
});
