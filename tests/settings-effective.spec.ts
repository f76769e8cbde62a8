/**
 * Effective-dated settings and the running period, as a supervisor sees them: the running month
 * is labelled "so far" and compared with as many days of the month before; weights saved to
 * take effect next month are listed as a scheduled version and leave this month's scorecard
 * as it was. The defaults are restored for next month at the end, so later spec files see none
 * of it.
 */
import { expect, test, type Page } from '@playwright/test';
import { signInAs } from './helpers/demo';
import { CELL, columnNumbers, scorecardTable, stationToday } from './helpers/scorecard';
import { periodContaining } from '../src/lib/shared/time/periods';

const nextMonth = () => periodContaining('month', stationToday()).to;

const scoring = (page: Page) => page.getByRole('region', { name: '评分线与权重' });
const versions = (page: Page) => page.getByRole('table', { name: '设置版本，生效日期最新的在前' });

async function openSettings(page: Page) {
	await page.goto('/supervisor/settings');
	await expect(page.getByRole('heading', { level: 1, name: '站点设置' })).toBeVisible();
}

test.afterAll(async ({ browser }, testInfo) => {
	const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
	try {
		const page = await context.newPage();
		await signInAs(page, 'supervisor');
		await openSettings(page);
		const reset = page.locator('form[action="?/reset"]');
		await reset.getByLabel('生效日期').fill(nextMonth());
		page.once('dialog', (dialog) => dialog.accept());
		await reset.getByRole('button', { name: '恢复默认评分规则' }).click();
		await expect(
			scoring(page)
				.getByRole('status')
				.filter({ hasText: /已保存|没有变化/ })
		).toBeVisible();
	} finally {
		await context.close();
	}
});

test('weights saved for next month leave this month’s scorecard, labelled so far, unchanged', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await page.goto('/supervisor');
	// The running month: "so far", compared with the same days of the month before.
	await expect(page.getByRole('heading', { level: 2, name: /（截至目前）$/ })).toBeVisible();
	await expect(page.getByText(/^截至目前：箭头对比上一期的同样天数/).first()).toBeVisible();
	const table = scorecardTable(page);
	await expect(table.locator('tbody tr').first()).toBeVisible();
	const scores = await columnNumbers(table, CELL.score);

	await openSettings(page);
	const success = scoring(page).getByRole('group', { name: '维修成功率' });
	await success.getByLabel('权重').fill('90');
	await page.locator('form[action="?/kpi"]').getByLabel('生效日期').fill(nextMonth());
	await scoring(page).getByRole('button', { name: '保存评分规则' }).click();
	await expect(scoring(page).getByRole('status').filter({ hasText: '已保存' })).toBeVisible();

	// Listed as scheduled; today's values (the form's) are still in force.
	const scheduled = versions(page).getByRole('row').filter({ hasText: nextMonth() });
	await expect(scheduled).toContainText('待生效');
	await expect(scheduled).toContainText('周建国');
	await page.reload();
	await expect(
		scoring(page).getByRole('group', { name: '维修成功率' }).getByLabel('权重')
	).toHaveValue('30');

	await page.goto('/supervisor');
	await expect(scorecardTable(page).locator('tbody tr').first()).toBeVisible();
	expect(await columnNumbers(scorecardTable(page), CELL.score)).toEqual(scores);
});
