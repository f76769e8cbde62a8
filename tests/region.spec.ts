/**
 * The region manager (issue 15, item 5), on a server of its own on a real Postgres database:
 * the system administrator's command line makes the account and assigns it two stations; the
 * manager signs in, lands on the region, sees the two stations side by side (not the third),
 * opens one and reads its scorecard, and finds no way to change anything.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { openMigratedDatabase } from '../src/lib/server/db/index';
import { stations } from '../src/lib/server/db/schema';
import { resetDemoStation } from '../src/lib/server/demo/load';
import { createStation } from '../src/lib/server/testing/fixtures';
import { startServer, type ServerProcess } from './helpers/server-process';

const SERVER_URL = process.env.TEST_DATABASE_URL;
const PORT = Number(process.env.E2E_PORT ?? 4173) + 102;
const PASSWORD = `Rg-${randomBytes(12).toString('base64url')}`;

test.describe('a region manager', () => {
	test.skip(!SERVER_URL, 'needs a PostgreSQL server (TEST_DATABASE_URL)');
	test.setTimeout(180_000);
	test.use({ viewport: { width: 1280, height: 900 } });

	const name = `rs_region_${randomBytes(6).toString('hex')}`;
	let databaseUrl: string;
	let server: ServerProcess;

	test.beforeAll(async () => {
		// Two demo histories and the command line's runs: well over a hook's default time.
		test.setTimeout(240_000);
		const admin = postgres(SERVER_URL!, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		await admin.end();
		const url = new URL(SERVER_URL!);
		url.pathname = `/${name}`;
		databaseUrl = url.toString();
		const handle = await openMigratedDatabase({ kind: 'postgres', url: databaseUrl });
		try {
			// Two stations with history (the demo's, each under its own code and name), and a
			// third outside the region.
			await createStation(handle.db, 'WEST');
			await handle.db.update(stations).set({ name: '西区服务站' }).where(eq(stations.code, 'WEST'));
			for (const [code, stationName, seed] of [
				['NORTH', '北区服务站', 1],
				['SOUTH', '南区服务站', 2]
			] as const) {
				const { stationId } = await resetDemoStation(handle.db, { seed });
				await handle.db
					.update(stations)
					.set({ code, name: stationName })
					.where(eq(stations.id, stationId));
			}
		} finally {
			await handle.close();
		}
		// The system administrator's command line: the account, then its region.
		const cli = (...args: string[]) =>
			execFileSync(process.execPath, ['--import', 'tsx', 'scripts/user.ts', ...args], {
				env: { ...process.env, DATABASE_URL: databaseUrl },
				encoding: 'utf8'
			});
		cli(
			'add',
			'--station',
			'HQ',
			'--station-name',
			'区域总部',
			'--login',
			'region-lee',
			'--name',
			'李经理',
			'--role',
			'region_manager',
			'--password',
			PASSWORD
		);
		expect(
			cli('region', '--station', 'HQ', '--login', 'region-lee', '--stations', 'north,SOUTH')
		).toContain('now reads stations NORTH, SOUTH');
		server = await startServer(PORT, { DATABASE_URL: databaseUrl });
	});

	// eslint-disable-next-line no-empty-pattern -- Playwright reads fixtures from a destructuring
	test.afterEach(async ({}, testInfo) => {
		if (testInfo.status !== testInfo.expectedStatus && server) {
			const path = testInfo.outputPath('server.log');
			writeFileSync(path, server.log());
			await testInfo.attach('server log', { path, contentType: 'text/plain' });
		}
	});

	test.afterAll(async () => {
		await server?.stop();
		const dropper = postgres(SERVER_URL!, { max: 1, onnotice: () => {} });
		await dropper.unsafe(`drop database if exists ${name} with (force)`);
		await dropper.end();
	});

	test('sees the two stations side by side and opens one, read only', async ({ page }) => {
		await page.goto(`${server.url}/login`);
		await page.getByLabel('账号').fill('region-lee');
		await page.getByLabel('密码').fill(PASSWORD);
		await page.getByRole('button', { name: '登录', exact: true }).click();
		await expect(page).toHaveURL(`${server.url}/region`);
		await expect(page.getByRole('heading', { level: 1, name: '区域' })).toBeVisible();

		await page.getByRole('link', { name: '季度', exact: true }).click();
		const sideBySide = page.getByRole('region', { name: '站点对比' });
		const rows = sideBySide.getByRole('row');
		// The header and one row per assigned station; the third station is nowhere.
		await expect(rows).toHaveCount(3);
		await expect(sideBySide.getByRole('rowheader', { name: /北区服务站/ })).toBeVisible();
		await expect(sideBySide.getByRole('rowheader', { name: /南区服务站/ })).toBeVisible();
		await expect(page.getByText('西区服务站')).toHaveCount(0);
		for (const station of ['北区服务站', '南区服务站']) {
			const row = rows.filter({ has: page.getByRole('rowheader', { name: new RegExp(station) }) });
			await expect(row.getByRole('cell').first()).toHaveText(/^\d+(\.\d)?$/);
		}
		await expect(page.getByRole('heading', { name: '区域内表现最好的技术员' })).toBeVisible();
		await expect(page.getByRole('heading', { name: '区域内表现最差的技术员' })).toBeVisible();
		// Read only: nothing on the page posts (the period picker's forms only GET).
		await expect(page.locator('main form[method="POST" i]')).toHaveCount(0);

		await sideBySide.getByRole('link', { name: '南区服务站' }).click();
		await expect(
			page.getByRole('heading', { level: 1, name: '南区服务站（SOUTH）' })
		).toBeVisible();
		const scorecard = page.getByRole('region', { name: '评分表' });
		await expect(scorecard.getByRole('row').nth(1)).toBeVisible();
		await expect(page.locator('main form[method="POST" i]')).toHaveCount(0);

		// The station pages and the station's API are closed to the manager.
		const elsewhere = await page.request.get(`${server.url}/supervisor`);
		expect(elsewhere.status()).toBe(403);
		const pull = await page.request.post(`${server.url}/api/trpc/sync.pull`, {
			data: { json: { clientId: '00000000-0000-4000-8000-000000000000', cursor: null } },
			headers: { origin: server.url }
		});
		expect(pull.status()).toBe(403);
	});
});
