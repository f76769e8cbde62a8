/**
 * The supervisor's station home on a tablet (1024×768): the station's figures against the
 * previous period on the first screen, who needs attention (each a link to the technician),
 * the worklist links, and the scorecard's key columns without sideways scrolling, the
 * technician's name staying in view when every KPI is shown. Offline it reads from its copy.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { signInAs } from './helpers/demo';
import {
	CELL,
	lastQuarter,
	openQuarter,
	quarterKey,
	quarterTitle,
	scorecardTable
} from './helpers/scorecard';

const VIEWPORT = { width: 1024, height: 768 };
test.use({ viewport: VIEWPORT });

const TILES = [
	'全站综合分',
	'维修成功率',
	'平均响应时间（小时）',
	'难度调整后时长指数',
	'客户满意率',
	'回访率',
	'服务记录准确性',
	'单均配件成本（元）'
];

function tiles(page: Page): Locator {
	return page.getByRole('region', { name: '本期关键指标' }).getByRole('listitem');
}

/** Whether an element lies wholly inside the first screen, without scrolling. */
async function aboveTheFold(locator: Locator): Promise<boolean> {
	const box = await locator.boundingBox();
	return box !== null && box.y >= 0 && box.y + box.height <= VIEWPORT.height;
}

test("the first screen shows the station's figures against the previous period", async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await openQuarter(page, lastQuarter());
	await expect(page.getByRole('heading', { level: 1, name: '服务站首页' })).toBeVisible();
	await expect(page.evaluate(() => scrollY)).resolves.toBe(0);

	await expect(tiles(page)).toHaveCount(TILES.length);
	for (const name of TILES) {
		const tile = tiles(page).filter({ has: page.getByRole('heading', { level: 3, name }) });
		await expect(tile).toHaveCount(1);
		// The value, the previous period's value, and a trend line of the last six months.
		const previous = tile.getByText(/^上期 /);
		await expect(previous).toBeVisible();
		await expect(previous).not.toHaveText('上期 —');
		await expect(tile.getByRole('img', { name: /^近 6 个月走势：/ })).toBeVisible();
		expect(await aboveTheFold(previous), `${name}: previous value above the fold`).toBe(true);
	}
	// The score against its grade lines; a KPI against the station's thresholds.
	await expect(tiles(page).first()).toContainText(/完成 \d+ 单/);
	await expect(tiles(page).nth(1)).toContainText('合格 90.0% · 优秀 95.0%');
	await expect(
		tiles(page)
			.nth(1)
			.getByText(/^评定：(优秀|合格|不合格)$/)
	).toBeAttached();
	// At least one figure moved since the previous quarter, and its arrow says how.
	await expect(
		page
			.getByRole('region', { name: '本期关键指标' })
			.getByText(/较上期（.+）(上升|下降)/)
			.first()
	).toBeAttached();
	// The picker is one row: the tiles start right under it.
	expect(
		await aboveTheFold(
			page.getByRole('region', { name: '需要关注' }).getByRole('heading', { level: 2 })
		)
	).toBe(true);
});

test('who needs attention links to the technician', async ({ page }) => {
	await signInAs(page, 'supervisor');
	const quarter = lastQuarter();
	await openQuarter(page, quarter);
	const attention = page.getByRole('region', { name: '需要关注' });
	const lowest = attention.getByRole('list', { name: '得分最低（完成至少 5 单）' });
	const people = lowest.getByRole('listitem');
	await expect(people.first()).toBeVisible();
	expect(await people.count()).toBeLessThanOrEqual(3);
	await expect(people.first()).toContainText(/分 · 第 \d+ 名$/);

	// The lowest score holds the scorecard's last rank.
	const ranks: number[] = [];
	const rows = scorecardTable(page).locator('tbody tr');
	for (let i = 0; i < (await rows.count()); i++) {
		const text = (await rows.nth(i).getByRole('cell').nth(CELL.rank).innerText()).trim();
		if (/^\d+$/.test(text)) ranks.push(Number(text));
	}
	await expect(people.first()).toContainText(`第 ${Math.max(...ranks)} 名`);

	const link = people.first().getByRole('link');
	const name = (await link.innerText()).trim();

	await link.click();
	await expect(page).toHaveURL(
		new RegExp(`/supervisor/technicians/[0-9a-f-]{36}\\?period=${quarterKey(quarter)}$`)
	);
	await expect(page.getByRole('heading', { level: 1, name: `${name}的成绩单` })).toBeVisible();
});

test('the worklist counts open the desk and verification lists', async ({ page }) => {
	await signInAs(page, 'supervisor');
	const worklists = page.getByRole('region', { name: '待办' });
	for (const [name, href] of [
		['超时未完成工单', '/desk'],
		['到期回访电话', '/desk/follow-ups'],
		['返修工单', '/desk/reworks'],
		['待审核工单', '/supervisor/verify'],
		['改派冲突', '/desk/overlaps']
	]) {
		await expect(worklists.getByRole('link', { name: new RegExp(`^${name}`) })).toHaveAttribute(
			'href',
			href
		);
	}
});

test("the scorecard's key columns fit without scrolling sideways; the name stays in view", async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await openQuarter(page, lastQuarter());
	const table = scorecardTable(page);
	const region = page.getByRole('region', { name: /^示范服务站技师成绩单/ });
	const overflow = () => region.evaluate((element) => element.scrollWidth - element.clientWidth);

	const regionBox = await region.boundingBox();
	for (const column of [
		'技师',
		'排名',
		'评级',
		'得分',
		'完成单数',
		'维修成功率',
		'平均响应时间（小时）',
		'客户满意率'
	]) {
		const header = table.getByRole('columnheader', { name: column, exact: true });
		await expect(header).toBeVisible();
		const box = await header.boundingBox();
		expect(box!.x + box!.width, column).toBeLessThanOrEqual(regionBox!.x + regionBox!.width);
	}
	await expect(table.getByRole('columnheader', { name: '回访率' })).toHaveCount(0);
	expect(await overflow()).toBeLessThanOrEqual(0);

	// Every KPI on demand: now the table scrolls sideways, and the technician stays in view.
	const more = page.getByRole('button', { name: '显示全部指标' });
	await more.click();
	await expect(more).toHaveAttribute('aria-pressed', 'true');
	await expect(table.getByRole('columnheader', { name: '回访率' })).toBeAttached();
	expect(await overflow()).toBeGreaterThan(0);
	await region.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
	await expect.poll(() => region.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
	const name = table.getByRole('rowheader').first();
	const nameBox = (await name.boundingBox())!;
	expect(nameBox.x).toBeGreaterThanOrEqual(regionBox!.x - 1);
	expect(nameBox.x + nameBox.width).toBeLessThanOrEqual(regionBox!.x + regionBox!.width);
	await expect(name).toBeVisible();
	// Nothing of the page itself scrolls sideways.
	expect(
		await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		)
	).toBeLessThanOrEqual(0);

	await more.click();
	await expect(table.getByRole('columnheader', { name: '回访率' })).toHaveCount(0);
});

test('offline, the home reads from the copy kept on the device', async ({ page, context }) => {
	await signInAs(page, 'supervisor');
	const quarter = lastQuarter();
	await openQuarter(page, quarter);
	await page.getByRole('link', { name: /^上一期/ }).click();
	// The quarter before has loaded once its "next" leads back to the quarter kept on the device.
	const back = page.getByRole('link', { name: `下一期：${quarterTitle(quarter)}` });
	await expect(back).toBeVisible();
	await expect(scorecardTable(page)).toBeVisible();
	await page.waitForLoadState('networkidle');
	await context.setOffline(true);

	await back.click();
	await expect(page.getByText(/^离线查看：这是 .+ 时的数据。$/)).toBeVisible();
	await expect(tiles(page)).toHaveCount(TILES.length);
	await expect(
		page.getByRole('region', { name: '需要关注' }).getByRole('link').first()
	).toBeVisible();
	await context.setOffline(false);
});

test('the home reads in English', async ({ page }) => {
	await signInAs(page, 'supervisor');
	await openQuarter(page, lastQuarter());
	await page.getByRole('group', { name: '语言' }).getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Station home' })).toBeVisible();
	const figures = page.getByRole('region', { name: 'Key figures this period' });
	await expect(figures.getByRole('heading', { level: 3, name: 'Station score' })).toBeVisible();
	await expect(figures.getByText(/^Previous /).first()).toBeVisible();
	await expect(page.getByRole('region', { name: 'Needs attention' })).toBeVisible();
	await expect(
		page.getByRole('region', { name: 'To do' }).getByRole('link', { name: /^Overdue open jobs/ })
	).toHaveAttribute('href', '/desk');
	await expect(page.getByRole('navigation', { name: 'Supervisor sections' })).toContainText('Home');
});
