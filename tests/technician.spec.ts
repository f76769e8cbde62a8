import { expect, test, type Page } from '@playwright/test';
import { DEMO_STATION, demoAccount, signInAs } from './helpers/demo';
import { expectSynced } from './tech-helpers';

/** Job numbers on the technician's list, in every section, read off the job links. */
async function listedJobNumbers(page: Page): Promise<string[]> {
	const links = await page
		.getByRole('main')
		.getByRole('link', { name: /工单号/ })
		.allInnerTexts();
	return links.map((text) => text.match(/工单号\s*(\S+)/)?.[1] ?? text);
}

test('a technician sees their own jobs, newest first, with status badges', async ({ page }) => {
	const technician = demoAccount('zhangwei');
	await signInAs(page, technician.login);
	await expectSynced(page);

	const header = page.getByRole('banner');
	await expect(header).toContainText(`${technician.name}（技师）`);
	await expect(header).toContainText(DEMO_STATION.name);
	await expect(page.getByRole('heading', { level: 1, name: '我的工单' })).toBeVisible();

	const recent = page.getByRole('list', { name: /^最近/ }).getByRole('listitem');
	await expect(recent.first()).toBeVisible();
	await expect(recent.first().getByText(/^状态：(待处理|维修中|已完成|已取消)$/)).toHaveCount(1);

	// Newest first: the reported times never increase down a section.
	const reported = await page
		.getByRole('list', { name: /^最近/ })
		.locator('time')
		.evaluateAll((times) => times.map((time) => Date.parse(time.getAttribute('datetime') ?? '')));
	expect(reported.length).toBeGreaterThan(1);
	for (let i = 1; i < reported.length; i++)
		expect(reported[i]).toBeLessThanOrEqual(reported[i - 1]);

	// Completed jobs carry their outcome.
	const completed = page
		.getByRole('main')
		.getByRole('listitem')
		.filter({ hasText: '状态：已完成' })
		.first();
	await expect(completed.getByText(/^结果：(已修复|未修复)$/)).toHaveCount(1);
});

test('each technician sees only their own jobs', async ({ page }) => {
	const jobsOf = async (login: string) => {
		await signInAs(page, login);
		await expectSynced(page);
		// The list follows the device store, which the pull has just filled: it may be a render late.
		await expect(
			page
				.getByRole('main')
				.getByRole('link', { name: /工单号/ })
				.first()
		).toBeVisible();
		const numbers = await listedJobNumbers(page);
		expect(numbers.length).toBeGreaterThan(0);
		expect(new Set(numbers).size).toBe(numbers.length);
		await page.getByRole('button', { name: '退出登录' }).click();
		await expect(page).toHaveURL('/login');
		return numbers;
	};

	const first = await jobsOf('zhangwei');
	const second = await jobsOf('wangqiang');
	expect(first.filter((jobNo) => second.includes(jobNo))).toEqual([]);
});
