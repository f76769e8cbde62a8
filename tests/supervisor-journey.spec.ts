/**
 * A supervisor's review of last quarter on a tablet, start to finish: pick the quarter, open the
 * weakest repairer, see which jobs failed and why, take the scorecard away as a CSV, and call a
 * customer from the follow-up calls. The numbers must agree on every page and in the file.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signInAs } from './helpers/demo';
import { lastQuarter, quarterKey, quarterTitle, scorecardTable } from './helpers/scorecard';
import { SCORECARD_COLUMNS } from '../src/lib/shared/kpi';

/** One reason or several, joined by "、", as the technician page writes them. */
const FAILURE_REASONS =
	/^(未修好|回访称问题未解决|返修（返修工单：.+）)(、(未修好|回访称问题未解决|返修（返修工单：.+）))*$/;

test.use({ viewport: { width: 768, height: 1024 } });

test('a supervisor reviews last quarter, drills into failed jobs, exports it and follows up a job', async ({
	page
}) => {
	await signInAs(page, 'supervisor');

	// Pick the quarter in the period picker.
	const quarter = lastQuarter();
	await page
		.getByRole('navigation', { name: '统计周期' })
		.getByRole('link', { name: '季度', exact: true })
		.click();
	await expect(page).toHaveURL(/\/supervisor\?period=\d{4}-Q[1-4]$/);
	await page.getByLabel('跳转到').selectOption(quarterKey(quarter));
	await page.getByRole('button', { name: '查看', exact: true }).click();
	await expect(page).toHaveURL(`/supervisor?period=${quarterKey(quarter)}`);
	await expect(page.getByRole('heading', { level: 2, name: quarterTitle(quarter) })).toBeVisible();
	await expect(scorecardTable(page)).toContainText(quarterTitle(quarter));

	// Open a technician from the scorecard.
	await scorecardTable(page).getByRole('link', { name: '王强' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '王强的成绩单' })).toBeVisible();
	const kpis = page.getByRole('table', { name: /^王强各项指标/ });
	const kpiLink = (name: string) =>
		kpis.getByRole('row').filter({ hasText: name }).getByRole('link');
	const jobsCompleted = Number(await kpiLink('完成单数').innerText());
	const successRateText = await kpiLink('维修成功率').innerText();

	// Drill into the failed jobs behind the success rate, each with its reason.
	await kpiLink('维修成功率').click();
	await expect(page).toHaveURL(/#failed$/);
	const failedSection = page.getByRole('region', { name: '未一次修复成功的工单' });
	await expect(failedSection).toBeInViewport();
	const failedRows = failedSection.getByRole('table').locator('tbody tr');
	const failedCount = await failedRows.count();
	expect(failedCount).toBeGreaterThan(0);
	// The rate is shown to 0.1 %: the list is exactly the failures it counts.
	const shownRate = Number(successRateText.replace('%', '')) / 100;
	expect(Math.abs(failedCount - jobsCompleted * (1 - shownRate))).toBeLessThan(
		0.0005 * jobsCompleted + 1e-9
	);
	for (const row of await failedRows.all()) {
		await expect(row.getByRole('rowheader')).not.toHaveText('');
		await expect(row.getByRole('cell').last()).toHaveText(FAILURE_REASONS);
	}

	// Back on the station scorecard of the same quarter, download it as a CSV.
	await page.getByRole('link', { name: '返回全站成绩单' }).click();
	await expect(page).toHaveURL(`/supervisor?period=${quarterKey(quarter)}`);
	await page.waitForLoadState('networkidle');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: '下载 CSV' }).click()
	]);
	expect(download.suggestedFilename()).toBe(`scorecard-DEMO-${quarterKey(quarter)}.csv`);
	const bytes = readFileSync((await download.path())!);
	// A UTF-8 byte order mark, so Excel reads the Chinese names correctly, then the header row.
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const [header, ...records] = bytes.subarray(3).toString('utf8').split('\r\n');
	expect(header).toBe(SCORECARD_COLUMNS.join(','));
	// The file says what the technician page said.
	const wangqiang = records
		.map((line) => Object.fromEntries(line.split(',').map((v, i) => [SCORECARD_COLUMNS[i], v])))
		.find((record) => record.login === 'wangqiang');
	expect(wangqiang).toMatchObject({ name: '王强', jobs_completed: String(jobsCompleted) });
	expect(
		Number(wangqiang!.jobs_completed) * (1 - Number(wangqiang!.repair_success_rate))
	).toBeCloseTo(failedCount, 6);

	// Call a customer back from the follow-up calls; once reached, the job leaves the list.
	await page
		.getByRole('navigation', { name: '主管功能' })
		.getByRole('link', { name: '回访电话' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: '回访电话' })).toBeVisible();
	const queue = page.getByRole('list', { name: '待回访工单' });
	const oldest = queue.getByRole('listitem').first();
	const jobNo = (await oldest.getByRole('heading', { level: 2 }).innerText())
		.replace(/^工单号\s*/, '')
		.trim();
	const job = page.getByRole('listitem', { name: `工单 ${jobNo}` });
	await job.getByLabel(`记录工单 ${jobNo} 的回访通话`).click();
	await job.getByRole('radio', { name: '已联系上' }).check();
	await job.getByRole('radio', { name: '5', exact: true }).check();
	await job.getByRole('radio', { name: '已解决' }).check();
	await job.getByLabel('备注').fill('客户表示维修后使用正常');
	await job.getByRole('button', { name: '保存通话' }).click();

	await expect(page.getByRole('status')).toHaveText(`工单 ${jobNo} 已回访。`);
	await expect(job).toHaveCount(0);
	await page.reload();
	await expect(page.getByRole('list', { name: '待回访工单' })).toBeVisible();
	await expect(page.getByRole('listitem', { name: `工单 ${jobNo}` })).toHaveCount(0);
});
