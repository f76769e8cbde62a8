/**
 * Where arrival and completion happened (issue 14): a supervisor turns the station's setting
 * on; a technician whose phone lets the app know where it is taps through a job, and the
 * supervisor's job page shows each position with its accuracy and a link to a map. A phone
 * that refuses still records every step, its position unknown and why.
 */
import { expect, test, type Browser } from '@playwright/test';
import { DEMO_PASSWORD } from './helpers/demo';
import { completeJob, createJob, expectAllSynced, signInTechnician } from './tech-helpers';

const SHANGHAI = { latitude: 31.2304, longitude: 121.4737, accuracy: 15 };

/** The supervisor's own browser, signed in. */
async function supervisorPage(browser: Browser, baseURL: string) {
	const context = await browser.newContext({ baseURL });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('账号').fill('supervisor');
	await page.getByLabel('密码').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page).toHaveURL(/\/supervisor/);
	return { context, page };
}

/** Sets the station's "record arrival and completion positions" as a supervisor would. */
async function recordPositions(browser: Browser, baseURL: string, on: boolean) {
	const { context, page } = await supervisorPage(browser, baseURL);
	await page.goto('/supervisor/settings');
	const section = page.getByRole('region', { name: '到达和完工位置' });
	await section.getByRole('checkbox', { name: '记录到达和完工位置' }).setChecked(on);
	await section.getByRole('button', { name: '保存' }).click();
	await expect(section.getByRole('status')).toHaveText(/已保存|没有变化/);
	await context.close();
}

/** The positions section of the supervisor's page of a job. */
async function positionsOnJobPage(browser: Browser, baseURL: string, jobId: string) {
	const { context, page } = await supervisorPage(browser, baseURL);
	await page.goto(`/supervisor/jobs/${jobId}`);
	return { context, section: page.getByRole('region', { name: '位置', exact: true }) };
}

test.beforeAll(async ({ browser, baseURL }) => {
	await recordPositions(browser, baseURL!, true);
});

// Later specs tap steps in contexts that may not locate: the demo station is left as it was.
test.afterAll(async ({ browser, baseURL }) => {
	await recordPositions(browser, baseURL!, false);
});

test.describe('a phone that may locate', () => {
	test.use({ permissions: ['geolocation'], geolocation: SHANGHAI });

	test('records where arrival and completion happened, shown to the supervisor with a map link', async ({
		page,
		browser,
		baseURL
	}) => {
		await signInTechnician(page, 'liuyang');
		const job = await createJob(page, { customer: '定位测试' });
		// Told before the tap, with the notice one tap away.
		await expect(page.getByText('本站在您点“已到达”和确认完成时记录位置。')).toBeVisible();
		await expect(page.getByRole('link', { name: '隐私说明' })).toHaveAttribute('href', '/privacy');
		await completeJob(page, '已修复');
		await expectAllSynced(page);

		const { context, section } = await positionsOnJobPage(browser, baseURL!, job.id);
		for (const step of ['到达', '完工']) {
			await expect(section.getByRole('term').filter({ hasText: step })).toBeVisible();
		}
		await expect(section.getByText('位置：±15 米')).toHaveCount(2);
		const links = section.getByRole('link', { name: '在地图上查看' });
		await expect(links).toHaveCount(2);
		await expect(links.first()).toHaveAttribute(
			'href',
			'https://uri.amap.com/marker?position=121.4737,31.2304&coordinate=wgs84&callnative=0&src=repairscore'
		);
		await context.close();
	});
});

test.describe('a phone that may not locate', () => {
	test('still records every step, its position unknown because it was refused', async ({
		page,
		browser,
		baseURL
	}) => {
		await signInTechnician(page, 'zhaomin');
		const job = await createJob(page, { customer: '拒绝定位' });
		await completeJob(page, '已修复');
		await expectAllSynced(page);

		const { context, section } = await positionsOnJobPage(browser, baseURL!, job.id);
		await expect(section.getByText('位置未知（技师拒绝定位）')).toHaveCount(2);
		await expect(section.getByRole('link')).toHaveCount(0);
		await context.close();
	});
});

test('the privacy notice says what is kept, and whether the station keeps it', async ({ page }) => {
	await signInTechnician(page, 'lina');
	await page.goto('/privacy');
	await expect(page.getByRole('heading', { level: 1, name: '隐私说明' })).toBeVisible();
	await expect(page.getByText(/目前记录到达和完工位置/)).toBeVisible();
	await expect(page.getByText(/纬度、经度和定位精度/)).toBeVisible();
	await expect(page.getByText(/只有本站的主管/)).toBeVisible();
});
