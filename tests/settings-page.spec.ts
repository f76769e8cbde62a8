/**
 * /supervisor/settings: scoring rules, AHP weights and the change history, as a supervisor uses
 * them. These tests change the demo station's scoring rules, and spec files after this one
 * expect the defaults, so the defaults are restored at the end.
 */
import { expect, test, type Page } from '@playwright/test';
import { demoTechnicians, signInAs } from './helpers/demo';

test.afterAll(async ({ browser }, testInfo) => {
	const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
	try {
		const page = await context.newPage();
		await openSettings(page);
		page.once('dialog', (dialog) => dialog.accept());
		await scoring(page).getByRole('button', { name: '恢复默认评分规则' }).click();
		await expect(
			scoring(page)
				.getByRole('status')
				.filter({ hasText: /已保存|没有变化/ })
		).toBeVisible();
	} finally {
		await context.close();
	}
});

async function openSettings(page: Page) {
	await signInAs(page, 'supervisor');
	await page.goto('/supervisor/settings');
	await expect(page.getByRole('heading', { level: 1, name: '站点设置' })).toBeVisible();
}

const scoring = (page: Page) => page.getByRole('region', { name: '评分线与权重' });
const kpiRule = (page: Page, name: string) => scoring(page).getByRole('group', { name });
const ahp = (page: Page) => page.getByRole('region', { name: '用层次分析法（AHP）确定权重' });
const historyTable = (page: Page) =>
	page.getByRole('table', { name: '站点设置的变更，最新的在前' });

/** Compares only the given three KPIs (the others unticked). */
async function compareOnly(page: Page, names: string[]) {
	for (const checkbox of await ahp(page).getByRole('checkbox').all()) {
		const name = (await checkbox.getAttribute('value')) ?? '';
		await checkbox.setChecked(names.includes(name));
	}
}

async function judge(page: Page, a: string, b: string, judgement: number) {
	await ahp(page).getByLabel(`${a} 与 ${b}`).selectOption(String(judgement));
}

test('a supervisor changes a threshold, sees it saved and listed in the change history', async ({
	page
}) => {
	await openSettings(page);
	const response = kpiRule(page, '平均响应时间');
	await expect(response).toContainText('越低越好');
	await expect(response.getByLabel('合格线')).toHaveValue('24');
	await expect(response).toContainText('默认：合格 24 小时，优秀 12 小时，权重 15%');

	await response.getByLabel('合格线').fill('36');
	await scoring(page).getByRole('button', { name: '保存评分规则' }).click();
	await expect(scoring(page).getByRole('status').filter({ hasText: '已保存' })).toHaveText(
		'已保存：1 项设置已更改。'
	);

	const newest = historyTable(page).getByRole('row').nth(1);
	await expect(newest.getByRole('rowheader')).toHaveText('平均响应时间');
	await expect(newest).toContainText('周建国');
	await expect(newest.getByRole('cell').nth(2)).toHaveText(
		'合格 24 小时 · 优秀 12 小时 · 权重 15%'
	);
	await expect(newest.getByRole('cell').nth(3)).toHaveText(
		'合格 36 小时 · 优秀 12 小时 · 权重 15%'
	);

	// Saved, not just shown: a fresh load has it.
	await page.reload();
	await expect(kpiRule(page, '平均响应时间').getByLabel('合格线')).toHaveValue('36');
});

test('a threshold on the wrong side is refused beside the field, and nothing is saved', async ({
	page
}) => {
	await openSettings(page);
	const success = kpiRule(page, '维修成功率');
	await success.getByLabel('优秀线').fill('85');
	await scoring(page).getByRole('button', { name: '保存评分规则' }).click();

	const excellent = success.getByLabel('优秀线');
	await expect(excellent).toHaveAttribute('aria-invalid', 'true');
	await expect(excellent).toHaveAccessibleDescription(/这个指标越高越好，优秀线必须高于合格线。/);
	await expect(scoring(page).getByRole('alert')).toHaveText('未保存，请修正标出的字段。');
	// What was typed stays for correcting.
	await expect(excellent).toHaveValue('85');

	await page.reload();
	await expect(kpiRule(page, '维修成功率').getByLabel('优秀线')).toHaveValue('95');
});

test('inconsistent AHP judgements show their weights and CR, and are refused naming the CR and the comparison to revisit', async ({
	page
}) => {
	await openSettings(page);
	await compareOnly(page, ['repair_success_rate', 'avg_response_hours', 'csat']);
	// Success ≫ response, response ≫ satisfaction, yet satisfaction ≫ success.
	await judge(page, '维修成功率', '平均响应时间', 9);
	await judge(page, '平均响应时间', '客户满意率', 9);
	await judge(page, '维修成功率', '客户满意率', -9);

	// A perfect cycle: no KPI outweighs another overall, so each weighs 1/3, λmax = 1 + 9 + 1/9
	// and CR = (λmax − 3) / 2 / 0.58 = 6.130. The figures are shown, but not applicable.
	const weights = ahp(page).getByRole('table', { name: '判断不一致，不能应用' });
	for (const kpi of ['维修成功率', '平均响应时间', '客户满意率']) {
		await expect(weights.getByRole('row', { name: new RegExp(kpi) })).toContainText('33.3%');
	}
	await expect(ahp(page).getByTestId('ahp-lambda')).toHaveText('10.111');
	await expect(ahp(page).getByTestId('ahp-cr')).toHaveText('6.130');
	const verdict = ahp(page).getByRole('status').filter({ hasText: '判断' });
	await expect(verdict).toContainText('判断不一致：一致性比率 CR = 6.130 ≥ 0.10');
	await expect(verdict).toContainText('最不一致的是「');

	await ahp(page).getByRole('button', { name: '应用这些权重' }).click();
	const refusal = ahp(page).getByRole('alert');
	await expect(refusal).toContainText(
		'判断不一致：一致性比率 CR = 6.130 ≥ 0.10，这些权重不能应用。'
	);
	await expect(refusal).toContainText('最不一致的是「');
	// Nothing applied: the weights are still the defaults and the history has no AHP entry.
	await expect(kpiRule(page, '维修成功率').getByLabel('权重')).toHaveValue('30');
	await expect(historyTable(page).getByRole('rowheader', { name: '权重（AHP）' })).toHaveCount(0);
});

test('consistent AHP judgements show weights, λmax and CR, and are applied', async ({ page }) => {
	await openSettings(page);
	await compareOnly(page, ['repair_success_rate', 'avg_response_hours', 'csat']);
	// 4 : 2 : 1, perfectly consistent.
	await judge(page, '维修成功率', '平均响应时间', 2);
	await judge(page, '维修成功率', '客户满意率', 4);
	await judge(page, '平均响应时间', '客户满意率', 2);

	const weights = ahp(page).getByRole('table', { name: '由两两比较得出的权重' });
	await expect(weights.getByRole('row', { name: /维修成功率/ })).toContainText('57.1%');
	await expect(weights.getByRole('row', { name: /平均响应时间/ })).toContainText('28.6%');
	await expect(weights.getByRole('row', { name: /客户满意率/ })).toContainText('14.3%');
	await expect(ahp(page).getByTestId('ahp-lambda')).toHaveText('3.000');
	await expect(ahp(page).getByTestId('ahp-cr')).toHaveText('0.000');
	await expect(ahp(page).getByRole('status').filter({ hasText: '判断一致' })).toBeVisible();

	// A slightly uneven but acceptable set: 3, 5, 3 gives CR ≈ 0.033.
	await judge(page, '维修成功率', '平均响应时间', 3);
	await judge(page, '维修成功率', '客户满意率', 5);
	await judge(page, '平均响应时间', '客户满意率', 3);
	await expect(ahp(page).getByTestId('ahp-cr')).toHaveText('0.033');

	await ahp(page).getByRole('button', { name: '应用这些权重' }).click();
	await expect(ahp(page).getByRole('status').filter({ hasText: '已应用' })).toHaveText(
		'已应用 AHP 权重（CR 0.033）。'
	);
	// The scoring table now has the AHP weights; KPIs left out weigh 0.
	await expect(kpiRule(page, '维修成功率').getByLabel('权重')).toHaveValue('63.7');
	await expect(kpiRule(page, '平均响应时间').getByLabel('权重')).toHaveValue('25.83');
	await expect(kpiRule(page, '客户满意率').getByLabel('权重')).toHaveValue('10.47');
	await expect(kpiRule(page, '回访率').getByLabel('权重')).toHaveValue('0');

	const newest = historyTable(page).getByRole('row').nth(1);
	await expect(newest.getByRole('rowheader')).toHaveText('权重（AHP）');
	await expect(newest).toContainText('CR 0.033：维修成功率 63.7%');
	await newest.getByText('比较矩阵').click();
	// The row of the least important KPI: 1/5 of success, 1/3 of response.
	await expect(newest.getByRole('row', { name: /^客户满意率/ }).getByRole('cell')).toHaveText([
		'1/5',
		'1/3',
		'1'
	]);
});

test('restoring the defaults puts every rule back and records it', async ({ page }) => {
	await openSettings(page);
	const response = kpiRule(page, '平均响应时间');
	await response.getByLabel('优秀线').fill('10');
	await scoring(page).getByRole('button', { name: '保存评分规则' }).click();
	await expect(scoring(page).getByRole('status').filter({ hasText: '已保存' })).toBeVisible();

	page.once('dialog', (dialog) => dialog.accept());
	await scoring(page).getByRole('button', { name: '恢复默认评分规则' }).click();
	await expect(response.getByLabel('合格线')).toHaveValue('24');
	await expect(response.getByLabel('优秀线')).toHaveValue('12');
	const newest = historyTable(page).getByRole('row').nth(1);
	await expect(newest.getByRole('cell').nth(3)).toHaveText(
		'合格 24 小时 · 优秀 12 小时 · 权重 15%'
	);
});

test('the page is in English too', async ({ page }) => {
	await openSettings(page);
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Station settings' })).toBeVisible();
	const success = page
		.getByRole('region', { name: 'Scoring thresholds and weights' })
		.getByRole('group', { name: 'Repair success rate' });
	await expect(success).toContainText('Higher is better');
	await expect(success.getByLabel('Pass')).toHaveValue('90');
	await expect(page.getByRole('heading', { name: 'Derive the weights with AHP' })).toBeVisible();
	await page.getByRole('button', { name: '中文' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '站点设置' })).toBeVisible();
});

test('technicians are refused', async ({ page }) => {
	await signInAs(page, demoTechnicians[0].login);
	const response = await page.goto('/supervisor/settings');
	expect(response?.status()).toBe(403);
	await expect(page.getByRole('heading', { level: 1, name: '站点设置' })).toHaveCount(0);
});

for (const viewport of [
	{ name: 'phone', width: 360, height: 780 },
	{ name: 'tablet portrait', width: 800, height: 1280 },
	{ name: 'tablet landscape', width: 1280, height: 800 }
]) {
	test(`the page fits a ${viewport.name} without scrolling sideways`, async ({ page }) => {
		await page.setViewportSize({ width: viewport.width, height: viewport.height });
		await openSettings(page);
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow).toBeLessThanOrEqual(0);
		// Every field keeps a usable touch size.
		const box = await kpiRule(page, '客户满意率').getByLabel('合格线').boundingBox();
		expect(box?.height).toBeGreaterThanOrEqual(44);
		expect(box?.width).toBeGreaterThanOrEqual(44);
	});
}

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('thresholds are saved and AHP refusals keep the judgements for revising', async ({
		page
	}) => {
		await openSettings(page);
		const followUp = kpiRule(page, '回访率');
		await followUp.getByLabel('合格线').fill('75');
		await scoring(page).getByRole('button', { name: '保存评分规则' }).click();
		await expect(scoring(page).getByRole('status').filter({ hasText: '已保存' })).toHaveText(
			'已保存：1 项设置已更改。'
		);
		await expect(kpiRule(page, '回访率').getByLabel('合格线')).toHaveValue('75');

		await compareOnly(page, ['repair_success_rate', 'avg_response_hours', 'csat']);
		await judge(page, '维修成功率', '平均响应时间', 9);
		await judge(page, '平均响应时间', '客户满意率', 9);
		await judge(page, '维修成功率', '客户满意率', -9);
		await ahp(page).getByRole('button', { name: '应用这些权重' }).click();

		await expect(ahp(page).getByRole('alert')).toContainText('判断不一致');
		await expect(ahp(page).getByRole('checkbox', { name: '回访率' })).not.toBeChecked();
		await expect(ahp(page).getByLabel('维修成功率 与 客户满意率')).toHaveValue('-9');
	});
});
