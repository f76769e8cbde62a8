/**
 * The server dies in the middle of a sync, after committing a push but before its answer left,
 * and comes back: the phone keeps every change, sends again, and the server ends with each
 * change exactly once. Runs its own server (same build, own port and embedded database) so it
 * can kill it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
	addPart,
	createJob,
	expectPending,
	expectSynced,
	serverJob,
	signInTechnician,
	supervisorSession,
	syncBar
} from './tech-helpers';

const PORT = 4180;
const BASE_URL = `http://127.0.0.1:${PORT}`;
const ROOT = path.resolve(import.meta.dirname, '..');
const PGLITE_DIR = path.join(ROOT, 'test-results', 'restart-pglite');
const serverEnv = { ...process.env, PORT: String(PORT), ORIGIN: BASE_URL, PGLITE_DIR };

let server: ChildProcess | null = null;

async function startServer() {
	server = spawn(process.execPath, ['build/index.js'], {
		cwd: ROOT,
		env: serverEnv,
		stdio: 'ignore'
	});
	await expect
		.poll(
			() =>
				fetch(`${BASE_URL}/login`).then(
					(r) => r.status,
					() => 0
				),
			{ timeout: 60_000 }
		)
		.toBe(200);
}

function killServer() {
	server?.kill('SIGKILL');
	server = null;
}

test.beforeAll(() => {
	rmSync(PGLITE_DIR, { recursive: true, force: true });
	// The same migration and demo station as `npm start`, in this test's own database.
	const prepared = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/prepare-db.ts'], {
		cwd: ROOT,
		env: serverEnv,
		stdio: 'ignore'
	});
	expect(prepared.status).toBe(0);
});

test.afterAll(() => {
	killServer();
	rmSync(PGLITE_DIR, { recursive: true, force: true });
});

test.use({ baseURL: BASE_URL });

test('a server killed mid-sync and restarted loses and doubles nothing', async ({
	page,
	context,
	browser
}) => {
	test.setTimeout(120_000);
	await startServer();
	await signInTechnician(page, 'chenjing');

	await context.setOffline(true);
	const job = await createJob(page, { customer: '服务器重启的客户' });
	await page.getByRole('button', { name: '已到达' }).click();
	const quantities = ['1', '2', '3', '4', '5'];
	for (const qty of quantities) await addPart(page, '电容', qty);
	await expectPending(page, 7);

	// The first push reaches the server and is committed; then the server dies before answering.
	let pushes = 0;
	await page.route('**/api/trpc/sync.push**', async (route) => {
		pushes += 1;
		if (pushes > 1) return route.continue();
		await route.fetch();
		killServer();
		await route.abort('connectionreset');
	});
	await context.setOffline(false);
	await expect.poll(() => pushes).toBe(1);
	await expect(syncBar(page).getByText('离线')).toBeVisible();
	await expectPending(page, 7);

	await startServer();
	await page.getByRole('button', { name: '立即同步' }).click();
	await expectSynced(page);
	expect(pushes).toBeGreaterThan(1);

	const supervisor = await supervisorSession(browser, BASE_URL);
	const onServer = await serverJob(supervisor.request, job.id);
	expect(onServer?.job.arrivedAt).toBeInstanceOf(Date);
	expect(onServer?.parts.map((line) => Number(line.qty)).sort()).toEqual(quantities.map(Number));
	await supervisor.context.close();

	// The phone shows what the server holds: the same five lines, once each.
	await expect(page.getByRole('list', { name: '使用的配件' }).getByRole('listitem')).toHaveCount(5);
});
