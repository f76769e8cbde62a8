import { expect, test } from '@playwright/test';
import { signInAs } from './helpers/demo';

/** 'YYYY-MM' of the month `offset` months from now in the demo station's zone (UTC+8). */
function monthKey(offset: number): string {
	const shanghai = new Date(Date.now() + 8 * 60 * 60 * 1000);
	const first = new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth() + offset, 1));
	return first.toISOString().slice(0, 7);
}

test('a supervisor sees last month’s alerts, the rule behind them, and links to each technician', async ({
	page
}) => {
	const lastMonth = monthKey(-1);
	await signInAs(page, 'supervisor');
	await page.goto(`/supervisor/alerts?period=${lastMonth}`);
	await expect(page.getByRole('heading', { level: 1, name: '预警' })).toBeVisible();
	await expect(page.getByLabel('按月查看')).toHaveValue(lastMonth);

	await page.getByText('预警规则', { exact: true }).click();
	await expect(page.getByText(/比率类指标下降 10 个百分点或以上/)).toBeVisible();
	await expect(page.getByText(/时长、成本类指标上升 25% 或以上/)).toBeVisible();
	await expect(page.getByText(/只检查本期完成至少 5 单的技师/)).toBeVisible();
	await expect(page.getByRole('status')).toContainText(/已检查 \d+ 名技师，其中 \d+ 名有预警/);

	// Every alerted technician has a list of alerts and a link to their scorecard for the month.
	const alertLists = page.getByRole('list', { name: /的预警$/ });
	const technicianLinks = page.getByRole('link', { name: /^查看.+的成绩单$/ });
	expect(await alertLists.count()).toBeGreaterThan(0);
	expect(await technicianLinks.count()).toBeGreaterThanOrEqual(await alertLists.count());
	for (const href of await technicianLinks.evaluateAll((links) =>
		links.map((link) => link.getAttribute('href'))
	)) {
		expect(href).toMatch(
			new RegExp(`^/supervisor/technicians/[0-9a-f-]{36}\\?period=${lastMonth}$`)
		);
	}
	const firstAlert = alertLists.first().getByRole('listitem').first();
	await expect(firstAlert).toContainText(/低于合格线|明显下滑/);
	await expect(firstAlert).toContainText(
		/维修成功率|平均响应时间|难度调整后时长|客户满意率|回访率|服务记录准确性|单均配件成本/
	);

	await page.getByRole('link', { name: /^上一期：/ }).click();
	await expect(page).toHaveURL(`/supervisor/alerts?period=${monthKey(-2)}`);
	await expect(page.getByLabel('按月查看')).toHaveValue(monthKey(-2));
});

test('the month picker and a bad period in the address', async ({ page }) => {
	await signInAs(page, 'supervisor');
	await page.goto('/supervisor/alerts?period=2026-13');
	await expect(page.getByRole('alert')).toContainText('无法识别周期“2026-13”，显示的是本月。');
	await expect(page.getByLabel('按月查看')).toHaveValue(monthKey(0));

	await page.getByLabel('按月查看').fill(monthKey(-3));
	await page.getByRole('button', { name: '查看', exact: true }).click();
	await expect(page).toHaveURL(`/supervisor/alerts?period=${monthKey(-3)}`);
	await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the alerts page in English', async ({ page }) => {
	await signInAs(page, 'supervisor');
	await page.goto(`/supervisor/alerts?period=${monthKey(-1)}`);
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
	await expect(
		page
			.getByRole('list', { name: /^Alerts for / })
			.first()
			.getByRole('listitem')
			.first()
	).toContainText(/Below pass|Sharp drop/);
	await expect(page.getByRole('link', { name: /^Open .+'s scorecard$/ }).first()).toBeVisible();
});

test('technicians cannot open the review pages', async ({ page }) => {
	await signInAs(page, 'zhangwei');
	for (const path of ['alerts', 'follow-ups', 'quality', 'import']) {
		const response = await page.goto(`/supervisor/${path}`);
		expect(response?.status(), path).toBe(403);
	}
});
