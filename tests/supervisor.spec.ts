import { expect, test } from '@playwright/test';
import { DEMO_STATION, demoTechnicians, signInAs, technicianCounts } from './helpers/demo';

test("a supervisor sees the station's technicians with their job counts", async ({ page }) => {
	await signInAs(page, 'supervisor');
	// The supervisor's start page is the station home; the job counts follow its scorecard.
	await expect(page.getByRole('heading', { level: 1, name: '服务站首页' })).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: '技师工单概览' })).toBeVisible();

	const table = page.getByRole('table', { name: `${DEMO_STATION.name}的技师及其工单数` });
	await expect(table).toBeVisible();
	for (const column of ['技师', '工单总数', '已完成', '未完成', '最近完成']) {
		await expect(table.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
	}

	// One row per technician, named by a row header; nobody else (supervisor, admin) is listed.
	const rowHeaders = table.getByRole('rowheader');
	await expect(rowHeaders).toHaveCount(demoTechnicians.length);
	await expect(table).not.toContainText('周建国');

	let stationTotal = 0;
	for (const technician of demoTechnicians) {
		await expect(rowHeaders.filter({ hasText: technician.name })).toContainText(technician.login);
		const counts = await technicianCounts(page, technician.name);
		for (const value of [counts.total, counts.completed, counts.open]) {
			expect(Number.isInteger(value) && value >= 0).toBe(true);
		}
		// Cancelled jobs count in the total but are neither completed nor open.
		expect(counts.completed + counts.open).toBeLessThanOrEqual(counts.total);
		if (counts.completed > 0) expect(counts.lastCompleted).not.toBe('尚无');
		stationTotal += counts.total;
	}
	expect(stationTotal).toBeGreaterThan(0);
});

test('the overview fits the screen without the page scrolling sideways', async ({ page }) => {
	await signInAs(page, 'supervisor');
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
});
