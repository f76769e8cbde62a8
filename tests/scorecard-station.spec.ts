/**
 * The station scorecard (on the station home) as a supervisor uses it on a tablet: pick a
 * period, read grades and ranks, sort, follow the trend arrows, download the CSV, switch to
 * English.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { demoTechnicians, signInAs } from './helpers/demo';
import {
	CELL,
	columnNumbers,
	lastQuarter,
	openQuarter,
	quarterKey,
	quarterTitle,
	rowLogins,
	scorecardTable,
	stationToday
} from './helpers/scorecard';
import { addDays, periodContaining } from '../src/lib/shared/time/periods';
import { SCORECARD_COLUMNS } from '../src/lib/shared/kpi';

const GRADES_ZH = /^(评级：)?(优秀|合格|不合格|—)$/;
const demoLogins = demoTechnicians.map((technician) => technician.login);

test.use({ viewport: { width: 1024, height: 768 } });

test('a supervisor picks last quarter and sees every technician graded and ranked', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await expect(page.getByRole('heading', { level: 1, name: '服务站首页' })).toBeVisible();
	await expect(page.getByRole('navigation', { name: '主管功能' })).toBeVisible();

	const periods = page.getByRole('navigation', { name: '统计周期' });
	await periods.getByRole('link', { name: '季度', exact: true }).click();
	const thisQuarter = periodContaining('quarter', stationToday());
	await expect(page).toHaveURL(`/supervisor?period=${quarterKey(thisQuarter)}`);

	const quarter = lastQuarter();
	await page.getByLabel('跳转到').selectOption(quarterKey(quarter));
	await page.getByRole('button', { name: '查看', exact: true }).click();
	await expect(page).toHaveURL(`/supervisor?period=${quarterKey(quarter)}`);
	await expect(page.getByRole('heading', { level: 2, name: quarterTitle(quarter) })).toBeVisible();

	const table = scorecardTable(page);
	await expect(table).toContainText(quarterTitle(quarter));
	const logins = await rowLogins(table);
	expect(logins.length).toBeGreaterThan(1);
	expect(demoLogins).toEqual(expect.arrayContaining(logins));

	// Ranked technicians first, 1 at the top, in non-decreasing order; then the unranked ones.
	const rows = table.locator('tbody tr');
	const ranks: (number | null)[] = [];
	for (let i = 0; i < logins.length; i++) {
		const cells = rows.nth(i).getByRole('cell');
		const rankText = (await cells.nth(CELL.rank).innerText()).trim();
		ranks.push(/^\d+$/.test(rankText) ? Number(rankText) : null);
		if (ranks[i] === null) expect(rankText).toContain('数据不足');
		expect((await cells.nth(CELL.grade).textContent())?.trim()).toMatch(GRADES_ZH);
	}
	expect(ranks[0]).toBe(1);
	const ranked = ranks.filter((rank) => rank !== null);
	expect(ranked).toEqual([...ranked].sort((a, b) => a - b));
	expect(ranks.slice(ranked.length).every((rank) => rank === null)).toBe(true);
	await expect(table.getByRole('columnheader', { name: '排名' })).toHaveAttribute(
		'aria-sort',
		'ascending'
	);

	// The job counts of old stay on the page, for every technician.
	const counts = page.getByRole('table', { name: '示范服务站的技师及其工单数' });
	await expect(counts.getByRole('rowheader')).toHaveCount(demoTechnicians.length);
});

test('too few jobs in a custom range show as insufficient data instead of a rank', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	// A single day a week ago: nobody completes the five jobs ranking needs in one day.
	const day = addDays(stationToday(), -7);
	await page.getByText('自定义', { exact: true }).click();
	await page.getByLabel('开始日期').fill(day);
	await page.getByLabel('结束日期（含当天）').fill(day);
	await page.getByRole('button', { name: '应用' }).click();
	await expect(page).toHaveURL(`/supervisor?from=${day}&through=${day}`);

	const table = scorecardTable(page);
	const rows = table.locator('tbody tr');
	await expect(rows.first()).toBeVisible();
	let unranked = 0;
	for (let i = 0; i < (await rows.count()); i++) {
		const cells = rows.nth(i).getByRole('cell');
		const jobs = Number(await cells.nth(CELL.jobs).getByRole('link').innerText());
		if (jobs < 5) {
			await expect(cells.nth(CELL.rank)).toContainText('数据不足');
			await expect(cells.nth(CELL.rank)).toContainText('完成少于 5 单，不参与排名');
			unranked += 1;
		}
	}
	expect(unranked).toBeGreaterThan(0);
});

test('columns sort by their header buttons, best first, with missing values last', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await openQuarter(page, lastQuarter());
	const table = scorecardTable(page);
	const header = (name: string) => table.getByRole('columnheader', { name, exact: true });

	await header('客户满意率').getByRole('button').click();
	await expect(header('客户满意率')).toHaveAttribute('aria-sort', 'descending');
	await expect(header('排名')).not.toHaveAttribute('aria-sort');
	const descending = await columnNumbers(table, CELL.csat);
	const present = descending.filter((value) => value !== null);
	expect(present).toEqual([...present].sort((a, b) => b - a));
	expect(descending.slice(present.length).every((value) => value === null)).toBe(true);

	await header('客户满意率').getByRole('button').click();
	await expect(header('客户满意率')).toHaveAttribute('aria-sort', 'ascending');
	const ascending = (await columnNumbers(table, CELL.csat)).filter((value) => value !== null);
	expect(ascending).toEqual([...ascending].sort((a, b) => a - b));

	// Lower response times are better: the first click puts the fastest first.
	await header('平均响应时间（小时）').getByRole('button').click();
	await expect(header('平均响应时间（小时）')).toHaveAttribute('aria-sort', 'ascending');
	const response = (await columnNumbers(table, CELL.avgResponseHours)).filter((v) => v !== null);
	expect(response).toEqual([...response].sort((a, b) => a - b));
});

test('trend arrows say whether a change is better or worse for that KPI', async ({ page }) => {
	await signInAs(page, 'supervisor');
	await openQuarter(page, lastQuarter());
	const table = scorecardTable(page);
	await expect(table.getByText(/较上期（.+）(上升|下降)/).first()).toBeAttached();

	const rows = table.locator('tbody tr');
	let arrows = 0;
	// Success rate: higher is better. Response time: lower is better.
	for (const [cellIndex, betterWhenUp] of [
		[CELL.successRate, true],
		[CELL.avgResponseHours, false]
	] as const) {
		for (let i = 0; i < (await rows.count()); i++) {
			const arrow = rows.nth(i).getByRole('cell').nth(cellIndex).locator('.trend');
			if ((await arrow.count()) === 0) continue;
			arrows += 1;
			const up = (await arrow.locator('[aria-hidden="true"]').innerText()) === '↑';
			const label = await arrow.locator('.visually-hidden').innerText();
			expect(label).toContain(up ? '上升' : '下降');
			expect(label).toContain(up === betterWhenUp ? '变好' : '变差');
			await expect(arrow).toHaveAttribute('title', label);
		}
	}
	expect(arrows).toBeGreaterThan(0);
});

test("each number links to the jobs behind it on the technician's page", async ({ page }) => {
	await signInAs(page, 'supervisor');
	const quarter = lastQuarter();
	await openQuarter(page, quarter);
	const row = scorecardTable(page).getByRole('row').filter({ hasText: 'wangqiang' });
	await row.getByRole('cell').nth(CELL.successRate).getByRole('link').click();
	await expect(page).toHaveURL(
		new RegExp(`/supervisor/technicians/[0-9a-f-]{36}\\?period=${quarterKey(quarter)}#failed$`)
	);
	await expect(page.getByRole('heading', { level: 3, name: '未一次修复成功的工单' })).toBeVisible();
});

test('the scorecard downloads as a CSV that Excel reads as UTF-8', async ({ page }) => {
	await signInAs(page, 'supervisor');
	const quarter = lastQuarter();
	await openQuarter(page, quarter);
	const logins = await rowLogins(scorecardTable(page));

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: '下载 CSV' }).click()
	]);
	expect(download.suggestedFilename()).toBe(`scorecard-DEMO-${quarterKey(quarter)}.csv`);
	const bytes = readFileSync((await download.path())!);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = bytes.subarray(3).toString('utf8').split('\r\n');
	expect(lines.pop()).toBe('');
	expect(lines[0]).toBe(SCORECARD_COLUMNS.join(','));
	// One row per technician, in the page's order (by rank), names in Chinese intact.
	const records = lines.slice(1).map((line) => line.split(','));
	expect(records.map((record) => record[0])).toEqual(logins);
	const zhangwei = records.find((record) => record[0] === 'zhangwei');
	expect(zhangwei?.[1]).toBe('张伟');
});

test('the scorecard reads in English', async ({ page }) => {
	await signInAs(page, 'supervisor');
	await openQuarter(page, lastQuarter());
	await page.getByRole('group', { name: '语言' }).getByRole('button', { name: 'English' }).click();

	await expect(page.getByRole('heading', { level: 1, name: 'Station home' })).toBeVisible();
	const [year, quarter] = quarterKey(lastQuarter()).split('-Q');
	await expect(page.getByRole('heading', { level: 2, name: `Q${quarter} ${year}` })).toBeVisible();
	const table = page.getByRole('table', { name: /^Technician scorecard of/ });
	await expect(table.getByRole('columnheader', { name: 'Record accuracy' })).toHaveCount(0);
	await page.getByRole('button', { name: 'Show all KPIs' }).click();
	for (const column of ['Rank', 'Grade', 'Score', 'Repair success rate', 'Record accuracy']) {
		await expect(table.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
	}
	const grades = await table
		.locator('tbody tr')
		.evaluateAll((rows) =>
			rows.map((row) => row.querySelectorAll('td')[1].textContent?.trim() ?? '')
		);
	for (const grade of grades) expect(grade).toMatch(/^(Grade: )?(Excellent|Pass|Fail|—)$/);
	expect(grades.some((grade) => /Excellent|Pass|Fail/.test(grade))).toBe(true);
	await expect(page.getByRole('navigation', { name: 'Supervisor sections' })).toBeVisible();
});

test('a URL naming no period shows the current month and says why', async ({ page }) => {
	await signInAs(page, 'supervisor');
	await page.goto('/supervisor?period=2026-Q5');
	await expect(page.getByRole('alert')).toHaveText('无法识别周期“2026-Q5”，显示的是本月。');
	const month = periodContaining('month', stationToday());
	const [year, monthNumber] = month.from.split('-').map(Number);
	await expect(
		page.getByRole('heading', { level: 2, name: `${year}年${monthNumber}月` })
	).toBeVisible();
});

for (const viewport of [
	{ width: 360, height: 780 },
	{ width: 768, height: 1024 },
	{ width: 1280, height: 800 }
]) {
	test(`the scorecard fits ${viewport.width}×${viewport.height} without the page scrolling sideways`, async ({
		page
	}) => {
		await page.setViewportSize(viewport);
		await signInAs(page, 'supervisor');
		await openQuarter(page, lastQuarter());
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow).toBeLessThanOrEqual(0);
	});
}
