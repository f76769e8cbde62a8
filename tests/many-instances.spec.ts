/**
 * Many instances of the built app on one PostgreSQL database (docs/scaling.md): instance A
 * connects directly; instance B through PgBouncer in transaction pooling mode
 * (DATABASE_POOLING=transaction) and reads its supervisor pages from the hot-standby replica
 * (READ_DATABASE_URL). People sign in on A and carry on on B with the same session: a
 * technician's phone syncs there, a supervisor reads the station home from the replica with its
 * lag shown. Both run maintenance, and its work is done once. The servers are those of
 * scripts/test-infra.sh; without them this fails with the command that starts them.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { hashPassword } from '../src/lib/server/auth/password';
import { openDatabase } from '../src/lib/server/db/index';
import { createStation, createUser } from '../src/lib/server/testing/fixtures';
import {
	scratchPostgres,
	startServer,
	type ScratchDatabase,
	type ServerProcess
} from './helpers/server-process';

const SERVER_URL = process.env.TEST_DATABASE_URL;
const PORT = Number(process.env.E2E_PORT ?? 4173) + 110;
const SETUP = 'sudo bash scripts/test-infra.sh';
const PASSWORD = `inst-${randomUUID()}`;

function onPort(url: string, port: string): string {
	const moved = new URL(url);
	moved.port = port;
	return moved.toString();
}

function answers(url: string): Promise<boolean> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve) => {
		const socket = net.connect({ host: hostname, port: Number(port) });
		socket.setTimeout(2000);
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('timeout', () => (socket.destroy(), resolve(false)));
		socket.once('error', () => resolve(false));
	});
}

async function signInOn(page: Page, server: ServerProcess, login: string): Promise<string> {
	await page.goto(`${server.url}/login`);
	await page.getByLabel('账号').fill(login);
	await page.getByLabel('密码').fill(PASSWORD);
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page).not.toHaveURL(/\/login/);
	const session = (await page.context().cookies(server.url)).find((c) => c.name === 'rs_session');
	if (!session) throw new Error('no session cookie after signing in');
	return `${session.name}=${session.value}`;
}

test.describe('two instances on one database, one through PgBouncer and a read replica', () => {
	test.skip(!SERVER_URL, 'needs a PostgreSQL server (TEST_DATABASE_URL)');
	test.setTimeout(120_000);

	let database: ScratchDatabase;
	let direct: ServerProcess;
	let pooled: ServerProcess;

	test.beforeAll(async () => {
		const bouncer = onPort(SERVER_URL!, process.env.TEST_PGBOUNCER_PORT || '6432');
		const replica = onPort(SERVER_URL!, process.env.TEST_REPLICA_PORT || '5433');
		for (const [what, url] of [
			['PgBouncer', bouncer],
			['the hot-standby replica', replica]
		]) {
			if (!(await answers(url))) {
				throw new Error(`${what} does not answer at ${new URL(url).host}. Run:  ${SETUP}`);
			}
		}
		database = await scratchPostgres(SERVER_URL!);
		const handle = await openDatabase({ kind: 'postgres', url: database.url });
		try {
			const station = await createStation(handle.db, 'MANY');
			const hash = await hashPassword(PASSWORD);
			await createUser(handle.db, station, 'li', 'technician', hash);
			await createUser(handle.db, station, 'zhao', 'supervisor', hash);
			// Old enough for the first maintenance round of either instance to prune.
			await handle.db
				.execute(sql`INSERT INTO sync_tombstones (station_id, table_name, row_id, deleted_at)
				SELECT id, 'jobs', gen_random_uuid(), now() - interval '1 year'
				FROM stations, generate_series(1, 6) WHERE code = 'MANY'`);
		} finally {
			await handle.close();
		}
		const inDatabase = (url: string) => url.replace(/\/[^/]*$/, `/${database.name}`);
		[direct, pooled] = await Promise.all([
			startServer(PORT, { DATABASE_URL: database.url }),
			startServer(PORT + 1, {
				DATABASE_URL: inDatabase(bouncer),
				DATABASE_POOLING: 'transaction',
				READ_DATABASE_URL: inDatabase(replica)
			})
		]);
	});

	test.afterAll(async () => {
		await Promise.all([direct?.stop(), pooled?.stop()]);
		await database?.drop();
	});

	test('a technician signs in on one instance and syncs on the other', async ({ page }) => {
		const cookie = await signInOn(page, direct, 'li');
		const clientId = randomUUID();
		const call = (server: ServerProcess, procedure: string, input: unknown) =>
			fetch(`${server.url}/api/trpc/${procedure}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie },
				body: JSON.stringify({ json: input })
			}).then(async (response) => ({ status: response.status, body: await response.json() }));
		const jobId = randomUUID();
		const pushed = await call(pooled, 'sync.push', {
			clientId,
			mutations: [
				{
					id: 1,
					name: 'job.create',
					args: {
						id: jobId,
						jobNo: 'MANY-1',
						reportedAt: new Date().toISOString(),
						customerName: '王女士',
						productModel: 'KFR-35GW',
						faultDescription: '不制冷'
					},
					madeAt: new Date().toISOString()
				}
			]
		});
		expect(pushed.status).toBe(200);
		expect(pushed.body.result.data.json.results[0].status).toBe('applied');
		for (const server of [pooled, direct]) {
			const pulled = await call(server, 'sync.pull', { clientId, cursor: null });
			expect(pulled.status).toBe(200);
			const jobs = pulled.body.result.data.json.changes.jobs as { id: string }[];
			expect(jobs.map((job) => job.id)).toContain(jobId);
		}
	});

	test('a supervisor signed in on one instance reads the station home from the replica on the other', async ({
		page
	}) => {
		await signInOn(page, direct, 'zhao');
		await page.goto(`${pooled.url}/supervisor`);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(
			page.getByRole('status').filter({ hasText: '数据读自数据库的只读副本' })
		).toBeVisible();
		await page.getByRole('button', { name: 'English' }).click();
		await expect(
			page.getByRole('status').filter({ hasText: "Read from the database's replica" })
		).toBeVisible();
		// The monthly report too (its PDF and workbook come from the same read).
		await page.goto(`${pooled.url}/supervisor/report`);
		await expect(
			page.getByRole('status').filter({ hasText: "Read from the database's replica" })
		).toBeVisible();
		// The instance without a replica says nothing of one.
		await page.goto(`${direct.url}/supervisor`);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(page.getByText(/database's replica|只读副本/)).toHaveCount(0);
	});

	test('both instances run maintenance, and its work is done once', async () => {
		const admin = postgres(database.url, { max: 1, onnotice: () => {} });
		try {
			// The first round starts 10 s after each instance (maintenance.ts).
			await expect
				.poll(async () => (await admin`select count(*)::int as n from sync_tombstones`)[0].n, {
					timeout: 30_000,
					intervals: [1000]
				})
				.toBe(0);
		} finally {
			await admin.end();
		}
		// Each instance logs what it pruned: the six tombstones once, by one of them.
		await expect
			.poll(() => `${direct.log()}\n${pooled.log()}`.match(/pruned [1-9]\d* sync tombstone/g))
			.toEqual(['pruned 6 sync tombstone']);
		for (const server of [direct, pooled]) expect(server.log()).not.toContain('maintenance failed');
	});
});
