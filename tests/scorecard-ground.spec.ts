/**
 * Every number shows its ground (issue 13, docs/kpi-rules.md "Minimum samples"): the supervisor
 * sees each KPI's sample, "too few" where it is below the station's minimum, the score's
 * breakdown, and each KPI's definition one tap away.
 */
import { expect, test, type Page } from '@playwright/test';
import { signInAs } from './helpers/demo';
import { addDays } from '../src/lib/shared/time/periods';
import { CELL, lastQuarter, openQuarter, scorecardTable, stationToday } from './helpers/scorecard';

test.use({ viewport: { width: 1024, height: 768 } });

/** The scorecard of one day a week ago: nobody completes five jobs or gets five ratings in it. */
async function openOneDay(page: Page) {
	const day = addDays(stationToday(), -7);
	await page.goto(`/supervisor?from=${day}&through=${day}`);
	const table = scorecardTable(page);
	await expect(table.locator('tbody tr').first()).toBeVisible();
	return table;
}

test('a KPI on too few jobs or ratings says so, and carries no weight in the score', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	const table = await openOneDay(page);
	const rows = table.locator('tbody tr');
	let first = rows.first();
	for (let i = 0; i < (await rows.count()); i++) {
		const jobs = Number(
			await rows.nth(i).getByRole('cell').nth(CELL.jobs).getByRole('link').innerText()
		);
		if (jobs < 5) {
			first = rows.nth(i);
			break;
		}
	}
	// Under five jobs: the success rate shows its sample and "too few" beside its value.
	const success = first.getByRole('cell').nth(CELL.successRate);
	await expect(success).toContainText('样本不足');
	await expect(success).toContainText(/\d+ 单/);
	// Below every minimum nothing is scored: no score, no grade.
	await expect(first.getByRole('cell').nth(CELL.score)).toHaveText('—');

	// On the technician's page the rating gives way to "too few", with the sample.
	await first.getByRole('rowheader').getByRole('link').click();
	await expect(page.getByRole('heading', { level: 1, name: /的成绩单$/ })).toBeVisible();
	const kpis = page.getByRole('table', { name: /各项指标/ });
	const successRow = kpis.getByRole('row').filter({ hasText: '维修成功率' });
	await expect(successRow.getByRole('cell').nth(4)).toContainText('样本不足');
	await expect(successRow.getByRole('cell').nth(4)).toContainText(/至少需 5 单/);

	const breakdown = page.getByRole('table', { name: /的得分构成$/ });
	const csat = breakdown.getByRole('row').filter({ hasText: '客户满意率' });
	await expect(csat).toContainText('样本不足');
	await expect(csat).toContainText('不计分');
});

test('the score breaks down into points, weights and contributions; a definition is a tap away', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await openQuarter(page, lastQuarter());
	const row = scorecardTable(page).locator('tbody tr').first();
	const scoreText = await row.getByRole('cell').nth(CELL.score).innerText();
	const score = /\d+(\.\d+)?/.exec(scoreText)![0];
	await row.getByRole('rowheader').getByRole('link').click();

	const section = page.getByRole('region', { name: '得分构成' });
	const breakdown = section.getByRole('table', { name: /的得分构成$/ });
	await expect(breakdown.locator('tbody tr')).toHaveCount(7);
	await expect(breakdown.getByRole('columnheader', { name: '贡献' })).toBeVisible();
	const success = breakdown.getByRole('row').filter({ hasText: '维修成功率' });
	// Enough jobs in a quarter: scored, with its sample, points, weight and contribution.
	await expect(success.getByRole('cell').nth(1)).toHaveText(/^\d+ 单$/);
	await expect(success.getByRole('cell').nth(2)).toHaveText(/^\d+(\.\d)?$/);
	await expect(success.getByRole('cell').nth(3)).toHaveText(/^\d+(\.\d)?%$/);
	await expect(success.getByRole('cell').nth(4)).toHaveText(/^\d+(\.\d)?$/);
	// The contributions add up to the score shown on the scorecard (each rounded to 0.1).
	const contributions = await breakdown
		.locator('tbody tr')
		.evaluateAll((rows) =>
			rows.map((tr) => Number(tr.querySelectorAll('td')[4]?.textContent?.trim()) || 0)
		);
	const total = contributions.reduce((sum, value) => sum + value, 0);
	expect(Math.abs(total - Number(score))).toBeLessThanOrEqual(0.5);
	await expect(breakdown.locator('tfoot')).toContainText(score);

	// The definition of a KPI opens in place, in the page's language.
	const definition = success.getByText('维修成功率是什么？');
	await success.locator('summary').click();
	await expect(success.getByText(/一次修复成功的已完成工单所占比例/)).toBeVisible();
	await expect(definition).toBeAttached();
});

test('a supervisor sets a minimum sample on the settings page, listed in the change history', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await page.goto('/supervisor/settings');
	const scoring = page.getByRole('region', { name: '评分线与权重' });
	const csat = scoring.getByRole('group', { name: '客户满意率' });
	const minimum = csat.getByLabel('最少样本');
	await expect(minimum).toHaveValue('5');
	await expect(csat).toContainText('最少样本 5 条评分');

	const save = async (value: string) => {
		await minimum.fill(value);
		await scoring.getByRole('button', { name: '保存评分规则' }).click();
	};
	await save('2.5');
	await expect(csat.getByText('请输入 0 到 1000 之间的整数。')).toBeVisible();

	await save('3');
	await expect(scoring.getByRole('status').filter({ hasText: '已保存' })).toHaveText(
		'已保存：1 项设置已更改。'
	);
	const newest = page
		.getByRole('table', { name: '站点设置的变更，最新的在前' })
		.getByRole('row')
		.nth(1);
	await expect(newest.getByRole('rowheader')).toHaveText('客户满意率');
	await expect(newest.getByRole('cell').nth(2)).toContainText('最少样本 5');
	await expect(newest.getByRole('cell').nth(3)).toContainText('最少样本 3');
	await page.reload();
	await expect(minimum).toHaveValue('3');

	// Back to the default, which the other spec files expect.
	await save('5');
	await expect(scoring.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
});
