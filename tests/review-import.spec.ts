import { expect, test, type Page } from '@playwright/test';
import { DEMO_STATION, signInAs } from './helpers/demo';

const HEADER = 'job_no,technician_login,reported_at,status,completed_at,outcome,customer_name';
/** Completed in 2020: older than any demo job, so first in the follow-up queue once imported. */
const GOOD_ROW =
	'E2E-IMPORT-1,zhangwei,2020-01-02 09:00,completed,2020-01-02 15:00,fixed,导入测试客户';
const BAD_ROW = 'E2E-IMPORT-2,nobody,2020-01-03 09:00,done,,,';

function csv(name: string, lines: string[]) {
	return { name, mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`) };
}

async function oldestQueuedJob(page: Page): Promise<string> {
	await page.goto('/desk/follow-ups');
	const heading = page.getByRole('list', { name: '待回访工单' }).getByRole('heading').first();
	return (await heading.innerText()).replace(/^工单号\s*/, '').trim();
}

test('a supervisor imports CSV files: problems are listed and change nothing, good files are imported', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	const oldestBefore = await oldestQueuedJob(page);
	expect(oldestBefore).not.toBe('E2E-IMPORT-1');

	await page.goto('/supervisor/import');
	await expect(page.getByRole('heading', { level: 1, name: '导入数据' })).toBeVisible();
	const files = page.getByLabel('CSV 或 Excel 文件');

	// Nothing chosen.
	await page.getByRole('button', { name: '预览导入' }).click();
	await expect(page.getByRole('alert')).toContainText('请选择要导入的文件。');

	// One good row and one with two bad values: both problems are listed, nothing is imported.
	await files.setInputFiles([csv('jobs.csv', [HEADER, GOOD_ROW, BAD_ROW])]);
	await page.getByRole('button', { name: '预览导入' }).click();
	const failure = page.getByRole('alert');
	await expect(failure).toContainText(/导入失败，没有做任何更改。请修正以下 \d+ 个问题后重试/);
	const problems = failure.getByRole('listitem');
	await expect(problems.filter({ hasText: /^jobs\.csv:3: technician_login: / })).toHaveCount(1);
	await expect(problems.filter({ hasText: /^jobs\.csv:3: status: / })).toHaveCount(1);
	// The good row was not imported either.
	expect(await oldestQueuedJob(page)).toBe(oldestBefore);

	await page.goto('/supervisor/import');
	await files.setInputFiles([csv('jobs.csv', [HEADER, GOOD_ROW])]);
	await page.getByRole('button', { name: '预览导入' }).click();
	await page.getByRole('button', { name: '确认导入' }).click();
	const done = page.getByRole('status');
	await expect(done.getByRole('heading', { name: '导入完成' })).toBeVisible();
	const jobsRow = done
		.getByRole('row')
		.filter({ has: page.getByRole('rowheader', { name: /^工单/ }) });
	await expect(jobsRow.getByRole('cell')).toHaveText(['1', '0', '–不适用', '0']);
	await expect(done).toContainText('没有 follow_ups.csv，回访记录保持不变。');

	expect(await oldestQueuedJob(page)).toBe('E2E-IMPORT-1');
	await expect(
		page.getByRole('list', { name: '待回访工单' }).getByRole('listitem').first()
	).toContainText('导入测试客户');
});

test('import problems are listed in the language of the page, Chinese or English', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await page.goto('/supervisor/import');
	await page.getByLabel('CSV 或 Excel 文件').setInputFiles([csv('jobs.csv', [HEADER, BAD_ROW])]);
	await page.getByRole('button', { name: '预览导入' }).click();
	await expect(page.getByRole('alert').getByRole('listitem')).toHaveText([
		'jobs.csv:2: status: “done”不是以下之一：open, in_progress, completed, cancelled',
		`jobs.csv:2: technician_login: “nobody”既不在 technicians.csv 中，也不是服务站 ${DEMO_STATION.code} 的用户`
	]);

	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Import data' })).toBeVisible();
	await page.getByLabel('CSV or Excel files').setInputFiles([csv('jobs.csv', [HEADER, BAD_ROW])]);
	await page.getByRole('button', { name: 'Preview import' }).click();
	await expect(page.getByRole('alert').getByRole('listitem')).toHaveText([
		'jobs.csv:2: status: "done" is not one of open, in_progress, completed, cancelled',
		`jobs.csv:2: technician_login: "nobody" is neither in technicians.csv nor a user of station ${DEMO_STATION.code}`
	]);
});

test('an upload over the size limit and a lost connection are told in words', async ({
	page,
	context
}) => {
	// Handing a 21 MB file to the browser takes a while on a busy machine.
	test.setTimeout(90_000);
	await signInAs(page, 'supervisor');
	await page.goto('/supervisor/import');
	const files = page.getByLabel('CSV 或 Excel 文件');
	const submit = page.getByRole('button', { name: '预览导入' });
	const alert = page.getByRole('alert');

	// Any file name is a file name: even "__proto__" is reported, not silently dropped.
	await files.setInputFiles([csv('jobs.csv', [HEADER, GOOD_ROW]), csv('__proto__', ['x'])]);
	await submit.click();
	await expect(alert.getByRole('listitem')).toHaveText([
		/^__proto__:1: （文件）: 未知的文件；导入文件夹只能包含 technicians\.csv, /
	]);

	// Over the 20 MB the import accepts: refused with a 413 before it is read.
	const oversized = Buffer.alloc(21 * 1024 * 1024, 'a');
	await files.setInputFiles([{ name: 'jobs.csv', mimeType: 'text/csv', buffer: oversized }]);
	await submit.click();
	await expect(alert).toHaveText('上传的文件太大：一次最多导入 20 MB。请把文件拆分成几次导入。');
	await expect(page.getByRole('heading', { level: 1, name: '导入数据' })).toBeVisible();
	await expect(submit).toBeEnabled();

	// No connection: fetch fails ("Failed to fetch"); the page says so in its language.
	await files.setInputFiles([csv('jobs.csv', [HEADER, GOOD_ROW])]);
	await context.setOffline(true);
	await submit.click();
	await expect(alert).toHaveText('无法连接服务器，没有导入任何内容。请检查网络连接后重试。');
	await context.setOffline(false);
});
