import { expect, test } from '@playwright/test';
import { signInAs } from './helpers/demo';

// kpi.md's four flags and the time flags of docs/kpi-rules.md (tech-times.spec.ts adds some).
const FLAG_NAMES =
	/缺少到达时间|缺少开始时间|时间先后颠倒|维修超过 12 小时|手工录入时间|事后补录时间|各步骤在同一分钟内|维修时长低于该类别下限/;

/** The last 120 days in the demo station's zone: long enough to hold flagged jobs. */
function recentRange(): string {
	const day = (offset: number) =>
		new Date(Date.now() + 8 * 60 * 60 * 1000 + offset * 86_400_000).toISOString().slice(0, 10);
	return `from=${day(-120)}&to=${day(1)}`;
}

test('a supervisor sees flagged jobs grouped by technician, with counts and times', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await page.goto(`/supervisor/quality?${recentRange()}`);
	await expect(page.getByRole('heading', { level: 1, name: '数据质量' })).toBeVisible();

	const groups = page.locator('details.group');
	const groupCount = await groups.count();
	expect(groupCount).toBeGreaterThan(0);
	const names = new Set<string>();
	for (let index = 0; index < groupCount; index++) {
		const summary = groups.nth(index).locator(':scope > summary');
		await expect(summary).toContainText(/\d+\/\d+ 单有标记/);
		await expect(summary).toContainText(FLAG_NAMES);
		names.add(await summary.locator('.name').innerText());
	}
	// One group per technician.
	expect(names.size).toBe(groupCount);

	const first = groups.first();
	const name = await first.locator(':scope > summary .name').innerText();
	const flagged = Number(
		/(\d+)\/\d+ 单有标记/.exec(await first.locator(':scope > summary').innerText())![1]
	);
	await first.locator(':scope > summary').click();
	const table = first.getByRole('table', { name: `${name}带标记的工单` });
	await expect(table).toBeVisible();
	for (const column of ['工单号', '标记', '报修', '到达', '开始', '完成时间', '维修时长']) {
		await expect(table.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
	}
	const rows = table.getByRole('rowgroup').last().getByRole('row');
	await expect(rows).toHaveCount(flagged);
	await expect(rows.first()).toContainText(FLAG_NAMES);
	await expect(first.getByRole('link', { name: `查看${name}的成绩单` })).toHaveAttribute(
		'href',
		/^\/supervisor\/technicians\/[0-9a-f-]{36}\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/
	);
});
