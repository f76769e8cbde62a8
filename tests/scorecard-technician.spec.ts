/**
 * A technician's scorecard: the KPI table with grades, the 12-month charts, the jobs behind the
 * numbers, and a clean printed page.
 */
import { expect, test, type Page } from '@playwright/test';
import { signInAs } from './helpers/demo';
import { lastQuarter, openQuarter, quarterKey, scorecardTable } from './helpers/scorecard';

const REASONS =
	/^(未修好|回访称问题未解决|返修（返修工单：.+）)(、(未修好|回访称问题未解决|返修（返修工单：.+）))*$/;

test.use({ viewport: { width: 1024, height: 768 } });

/** Opens 王强's page (the demo's least reliable repairer) for last quarter from the scorecard. */
async function openWangQiang(page: Page) {
	await signInAs(page, 'supervisor');
	await openQuarter(page, lastQuarter());
	await scorecardTable(page).getByRole('link', { name: '王强' }).click();
	await expect(page).toHaveURL(
		new RegExp(`/supervisor/technicians/[0-9a-f-]{36}\\?period=${quarterKey(lastQuarter())}$`)
	);
	await expect(page.getByRole('heading', { level: 1, name: '王强的成绩单' })).toBeVisible();
}

test("the technician's KPIs are listed with thresholds and ratings", async ({ page }) => {
	await openWangQiang(page);
	const kpis = page.getByRole('table', { name: /^王强各项指标/ });
	await expect(kpis.locator('tbody tr')).toHaveCount(12);
	const success = kpis.getByRole('row').filter({ hasText: '维修成功率' });
	await expect(success.getByRole('cell').nth(2)).toHaveText('90.0%');
	await expect(success.getByRole('cell').nth(3)).toHaveText('95.0%');
	await expect(success.getByRole('cell').nth(4)).toHaveText(/^评定：(优秀|合格|不合格)$/);
	// An unscored KPI has no thresholds and no rating.
	const partsTotal = kpis.getByRole('row').filter({ hasText: '配件成本（元）' }).first();
	await expect(partsTotal.getByRole('cell').nth(4)).toHaveText('—');
	await expect(page.getByText(/^第 \d+ 名（\d+ 人参与排名）$|^数据不足$/)).toBeVisible();
});

test('the 12-month trend charts are drawn', async ({ page }) => {
	await openWangQiang(page);
	const trends = page.getByRole('region', { name: '近 12 个月趋势' });
	const charts = trends.getByRole('figure');
	await expect(charts).toHaveCount(10);
	await expect(trends.getByText('正在加载图表…')).toHaveCount(0);
	const canvases = trends.locator('canvas');
	await expect(canvases).toHaveCount(10);
	for (const canvas of await canvases.all()) {
		const box = await canvas.boundingBox();
		expect(box?.width).toBeGreaterThan(100);
		expect(box?.height).toBeGreaterThan(100);
		// Chart.js has painted something: not every pixel is transparent.
		const painted = await canvas.evaluate((element: HTMLCanvasElement) => {
			const pixels = element.getContext('2d')!.getImageData(0, 0, element.width, element.height);
			return pixels.data.some((value, index) => index % 4 === 3 && value > 0);
		});
		expect(painted).toBe(true);
	}
	// Each chart's numbers are available as a table too.
	await charts.first().getByText('查看数值').click();
	await expect(charts.first().getByRole('row')).toHaveCount(13);
});

test('the failed jobs behind the success rate are listed with why they failed', async ({
	page
}) => {
	await openWangQiang(page);
	const kpis = page.getByRole('table', { name: /^王强各项指标/ });
	const jobs = Number(
		await kpis.getByRole('row').filter({ hasText: '完成单数' }).getByRole('link').innerText()
	);
	const rateText = await kpis
		.getByRole('row')
		.filter({ hasText: '维修成功率' })
		.getByRole('link')
		.innerText();
	await kpis.getByRole('row').filter({ hasText: '维修成功率' }).getByRole('link').click();
	await expect(page).toHaveURL(/#failed$/);

	const section = page.getByRole('region', { name: '未一次修复成功的工单' });
	await expect(section).toBeInViewport();
	const rows = section.locator('tbody tr');
	const failed = await rows.count();
	// The list is exactly the jobs the rate counts as failures.
	const rate = Number(rateText.replace('%', '')) / 100;
	expect(Math.abs(failed - jobs * (1 - rate))).toBeLessThan(0.001 * jobs + 0.5);
	expect(failed).toBeGreaterThan(0);
	for (let i = 0; i < failed; i++) {
		const cells = rows.nth(i).getByRole('cell');
		await expect(cells.nth(0)).not.toHaveText('');
		await expect(cells.last()).toHaveText(REASONS);
	}
});

test('the other numbers lead to their jobs too', async ({ page }) => {
	await openWangQiang(page);
	for (const [kpi, section] of [
		['平均响应时间（小时）', '响应最慢的工单'],
		['单均配件成本（元）', '配件成本最高的工单'],
		['服务记录准确性', '记录有问题的工单'],
		['回访率', '未回访的工单'],
		['客户满意率', '满意度低（3 分及以下）的工单']
	]) {
		await page
			.getByRole('table', { name: /^王强各项指标/ })
			.getByRole('row')
			.filter({ hasText: kpi })
			.getByRole('link')
			.click();
		await expect(page.getByRole('region', { name: section })).toBeInViewport();
	}
	const slowest = page.getByRole('region', { name: '响应最慢的工单' }).locator('tbody tr');
	const hours = await slowest.evaluateAll((rows) =>
		rows.map((row) => Number.parseFloat(row.querySelector('td:last-child')!.textContent!))
	);
	expect(hours.length).toBeGreaterThan(0);
	expect(hours).toEqual([...hours].sort((a, b) => b - a));
});

test('printed, the page is a one-page scorecard without navigation or buttons', async ({
	page
}) => {
	await openWangQiang(page);
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('navigation', { name: '主管功能' })).toBeHidden();
	await expect(page.getByRole('banner')).toBeHidden();
	await expect(page.getByRole('button', { name: '打印' })).toBeHidden();
	await expect(page.getByRole('navigation', { name: '统计周期' })).toBeHidden();
	await expect(page.getByRole('region', { name: '近 12 个月趋势' })).toBeHidden();
	await expect(page.getByRole('region', { name: '指标背后的工单' })).toBeHidden();

	await expect(page.getByRole('heading', { level: 1, name: '王强的成绩单' })).toBeVisible();
	await expect(page.getByText('示范服务站 · wangqiang')).toBeVisible();
	await expect(page.getByRole('table', { name: /^王强各项指标/ })).toBeVisible();
	for (const button of await page.locator('main').getByRole('button').all()) {
		await expect(button).toBeHidden();
	}

	const pdf = await page.pdf({ format: 'A4' });
	const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
	expect(pages).toHaveLength(1);
});

for (const viewport of [
	{ width: 360, height: 780 },
	{ width: 768, height: 1024 }
]) {
	test(`the technician's page fits ${viewport.width}×${viewport.height} without scrolling sideways`, async ({
		page
	}) => {
		await page.setViewportSize(viewport);
		await openWangQiang(page);
		await expect(
			page.getByRole('region', { name: '近 12 个月趋势' }).locator('canvas')
		).toHaveCount(10);
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow).toBeLessThanOrEqual(0);
	});
}
