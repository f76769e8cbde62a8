/**
 * The region manager reads the jobs behind the numbers (issue 15, item 5), on a server of its
 * own on an embedded database (the shared e2e server has no system administrator): a system
 * administrator assigns the demo station to a region manager on the manager's account page;
 * the manager opens the station, taps a technician's number, lands on the jobs behind it and
 * opens one, read only. A station outside the region, and its jobs, are not found, and the
 * supervisor's decisions refuse the manager.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { expect, test, type Page } from '@playwright/test';
import { openMigratedDatabase } from '../src/lib/server/db/index';
import { jobs } from '../src/lib/server/db/schema';
import { hashPassword } from '../src/lib/server/auth/password';
import { resetDemoStation } from '../src/lib/server/demo/load';
import { createJob, createStation, createUser } from '../src/lib/server/testing/fixtures';
import { startServer, type ServerProcess } from './helpers/server-process';

const PORT = Number(process.env.E2E_PORT ?? 4173) + 104;
const PGLITE_DIR = `test-results/e2e-pglite-region-drill-${PORT}`;
const PASSWORD = `Rd-${randomBytes(12).toString('base64url')}`;

test.describe('the region drill-down', () => {
	test.setTimeout(180_000);
	test.use({ viewport: { width: 820, height: 1180 } });

	let server: ServerProcess;
	let demoStationId: string;
	let hqStationId: string;
	let managerId: string;
	let outsideStationId: string;
	let outsideJobId: string;

	test.beforeAll(async () => {
		test.setTimeout(240_000);
		rmSync(PGLITE_DIR, { recursive: true, force: true });
		const handle = await openMigratedDatabase({ kind: 'pglite', dir: PGLITE_DIR });
		try {
			const { stationId } = await resetDemoStation(handle.db, { seed: 3 });
			demoStationId = stationId;
			const outside = await createStation(handle.db, 'WEST');
			outsideStationId = outside.id;
			const westTech = await createUser(handle.db, outside, 'west-tech');
			outsideJobId = (await createJob(handle.db, westTech)).id;
			const hq = await createStation(handle.db, 'HQ');
			hqStationId = hq.id;
			const passwordHash = await hashPassword(PASSWORD);
			await createUser(handle.db, hq, 'e2e-root', 'system_admin', passwordHash);
			managerId = (await createUser(handle.db, hq, 'e2e-region', 'region_manager', passwordHash))
				.id;
			expect(await handle.db.select().from(jobs).where(eq(jobs.id, outsideJobId))).toHaveLength(1);
		} finally {
			await handle.close();
		}
		server = await startServer(PORT, { PGLITE_DIR });
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
		rmSync(PGLITE_DIR, { recursive: true, force: true });
	});

	async function signIn(page: Page, login: string, home: string) {
		await page.goto(`${server.url}/login`);
		await page.getByLabel('账号').fill(login);
		await page.getByLabel('密码').fill(PASSWORD);
		await page.getByRole('button', { name: '登录', exact: true }).click();
		await expect(page).toHaveURL(`${server.url}${home}`);
	}

	test('a system administrator assigns the station; the manager drills into a number and opens a job', async ({
		browser
	}) => {
		const adminContext = await browser.newContext();
		const admin = await adminContext.newPage();
		await signIn(admin, 'e2e-root', '/admin/stations');
		await admin.goto(`${server.url}/admin/stations/${hqStationId}/accounts/${managerId}`);
		const region = admin.getByRole('region', { name: '区域站点' });
		await region.getByRole('checkbox', { name: /DEMO/ }).check();
		await region.getByLabel('原因（可选）').fill('华东区域');
		await region.getByRole('button', { name: '保存区域站点' }).click();
		await expect(admin.getByRole('status')).toContainText('区域站点已保存：DEMO');
		const history = admin.getByRole('table', { name: '变更记录' });
		await expect(history.getByRole('row').nth(1)).toContainText('HQ/e2e-root');
		await expect(history.getByRole('row').nth(1)).toContainText('华东区域');
		await adminContext.close();

		const context = await browser.newContext();
		const page = await context.newPage();
		await signIn(page, 'e2e-region', '/region');
		await page.getByRole('link', { name: '季度', exact: true }).click();
		const sideBySide = page.getByRole('region', { name: '站点对比' });
		await expect(sideBySide.getByRole('row')).toHaveCount(2);
		await sideBySide.getByRole('rowheader').getByRole('link').click();
		await expect(page).toHaveURL(new RegExp(`/region/${demoStationId}\\?`));

		// A technician's repair success rate opens the jobs it failed on, on their scorecard.
		const scorecard = page.getByRole('region', { name: '评分表' });
		const firstRow = scorecard.getByRole('row').nth(1);
		const technician = (await firstRow.getByRole('rowheader').getByRole('link').innerText()).trim();
		await firstRow.getByRole('link', { name: /^维修成功率：/ }).click();
		await expect(page).toHaveURL(/\/technicians\/[0-9a-f-]+\?.*#failed$/);
		await expect(page.getByRole('heading', { level: 1 })).toContainText(technician);
		await expect(page.locator('main form[method="POST" i]')).toHaveCount(0);

		const allJobs = page.locator('#jobs');
		await allJobs.getByText('展开列表').click();
		const jobLink = allJobs.getByRole('rowheader').getByRole('link').first();
		const jobNo = (await jobLink.innerText()).trim();
		await jobLink.click();
		await expect(page).toHaveURL(new RegExp(`/region/${demoStationId}/jobs/[0-9a-f-]+$`));
		await expect(page.getByRole('heading', { level: 1 })).toContainText(jobNo);
		await expect(page.getByText('只读：区域经理可以查看工单，不能修改。')).toBeVisible();
		// Read only: no decision on the page, and the supervisor's decisions refuse the manager.
		await expect(page.locator('main form')).toHaveCount(0);
		const jobId = page.url().split('/').pop()!;
		const verify = await page.request.post(`${server.url}/supervisor/jobs/${jobId}?/verify`, {
			form: {},
			headers: { origin: server.url }
		});
		expect(verify.status()).toBe(403);

		// The station's own figure opens the jobs behind it across its technicians.
		await page.goBack();
		await page.goBack();
		await expect(page).toHaveURL(new RegExp(`/region/${demoStationId}\\?`));
		await page
			.getByRole('definition')
			.getByRole('link', { name: /^维修成功率：/ })
			.click();
		await expect(page).toHaveURL(new RegExp(`/region/${demoStationId}/jobs\\?.*#failed$`));
		await expect(page.getByRole('heading', { level: 1, name: '全站指标背后的工单' })).toBeVisible();
		const failed = page.getByRole('region', { name: '未一次修复成功的工单' });
		const failedJob = failed.getByRole('rowheader').getByRole('link').first();
		const failedJobNo = (await failedJob.innerText()).trim();
		await failedJob.click();
		await expect(page).toHaveURL(new RegExp(`/region/${demoStationId}/jobs/[0-9a-f-]+$`));
		await expect(page.getByRole('heading', { level: 1 })).toContainText(failedJobNo);

		// Outside the region nothing is found: not the station, not its job, not under the region's station.
		for (const path of [
			`/region/${outsideStationId}`,
			`/region/${outsideStationId}/jobs`,
			`/region/${outsideStationId}/jobs/${outsideJobId}`,
			`/region/${demoStationId}/jobs/${outsideJobId}`
		]) {
			expect((await page.request.get(`${server.url}${path}`)).status(), path).toBe(404);
		}
		await context.close();
	});
});
