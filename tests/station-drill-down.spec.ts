/**
 * The jobs behind the station's own figures: on the supervisor's home (a tablet), each figure's
 * name opens the station's list behind it, across every technician, counted whole and cut to
 * the newest; a job opens from it; the page reads from its copy offline.
 */
import { expect, test } from '@playwright/test';
import { signInAs } from './helpers/demo';
import { lastQuarter, openQuarter } from './helpers/scorecard';

test.use({ viewport: { width: 1024, height: 768 } });

test("a figure's name opens the station's jobs behind it", async ({ page, context }) => {
	await signInAs(page, 'supervisor');
	await openQuarter(page, lastQuarter());
	const figures = page.getByRole('region', { name: '本期关键指标' });
	const completed = Number(
		(await figures.getByText(/^完成 \d+ 单$/).textContent())!.match(/\d+/)![0]
	);

	await figures.getByRole('link', { name: '维修成功率' }).click();
	await expect(page).toHaveURL(/\/supervisor\/jobs\?.*#failed$/);
	await expect(page.getByRole('heading', { level: 1, name: '全站指标背后的工单' })).toBeVisible();
	await expect(
		page.getByText(`示范服务站本期完成 ${completed} 单。`, { exact: false })
	).toBeVisible();

	const failed = page.getByRole('region', { name: '未一次修复成功的工单' });
	await expect(failed).toBeInViewport();
	const failedRows = failed.getByRole('row').filter({ has: page.getByRole('rowheader') });
	const shown = await failedRows.count();
	expect(shown).toBeGreaterThan(0);
	await expect(
		failed.getByText(new RegExp(`^(共 ${shown} 单|列出最近完成的 ${shown} 单，共 \\d+ 单)$`))
	).toBeVisible();
	// Every technician's jobs, each row naming whose it is and why it failed.
	const technicians = new Set<string>();
	for (const row of await failedRows.all()) {
		technicians.add((await row.getByRole('cell').first().textContent()) ?? '');
	}
	expect(technicians.size).toBeGreaterThan(1);
	await expect(failedRows.first().getByRole('cell').last()).toHaveText(
		/未修好|回访称问题未解决|返修/
	);

	// The longest list is cut to its newest 100 jobs, and says so.
	const noFollowUp = page.getByRole('region', { name: '未回访的工单' });
	await expect(noFollowUp.getByText(/^列出最近完成的 100 单，共 \d+ 单$/)).toBeVisible();
	await expect(
		noFollowUp.getByRole('row').filter({ has: page.getByRole('rowheader') })
	).toHaveCount(100);

	// A list of the largest is cut to its first 10, and says of how many.
	const costly = page.getByRole('region', { name: '配件成本最高的工单' });
	const costlyNote = (await costly.getByText(/^列出前 10 单，共 \d+ 单$/).textContent())!;
	expect(Number(costlyNote.match(/共 (\d+) 单/)![1])).toBeGreaterThan(10);
	await expect(costly.getByRole('row').filter({ has: page.getByRole('rowheader') })).toHaveCount(
		10
	);

	// A job opens from the list.
	const jobNo = (await failedRows.first().getByRole('rowheader').textContent())!.trim();
	await failedRows.first().getByRole('link', { name: jobNo }).click();
	await expect(page).toHaveURL(/\/supervisor\/jobs\/[0-9a-f-]{36}/);
	await expect(page.getByRole('heading', { level: 1 })).toContainText(jobNo);

	// Offline, the page is read from its copy.
	await page.goBack();
	await expect(failed).toBeVisible();
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: '全站指标背后的工单' })).toBeVisible();
	await expect(page.getByText(/离线/).first()).toBeVisible();
	await expect(failedRows).toHaveCount(shown);
	await context.setOffline(false);
});

test('a technician may not open the station’s jobs', async ({ page }) => {
	await signInAs(page, 'zhangwei');
	const response = await page.goto('/supervisor/jobs.json?period=month');
	expect(response?.status()).toBe(403);
});
