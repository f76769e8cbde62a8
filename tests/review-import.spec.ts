import { expect, test, type Page } from '@playwright/test';
import { signInAs } from './helpers/demo';

const HEADER = 'job_no,technician_login,reported_at,status,completed_at,outcome,customer_name';
/** Completed in 2020: older than any demo job, so first in the follow-up queue once imported. */
const GOOD_ROW =
	'E2E-IMPORT-1,zhangwei,2020-01-02 09:00,completed,2020-01-02 15:00,fixed,导入测试客户';
const BAD_ROW = 'E2E-IMPORT-2,nobody,2020-01-03 09:00,done,,,';

function csv(name: string, lines: string[]) {
	return { name, mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`) };
}

async function oldestQueuedJob(page: Page): Promise<string> {
	await page.goto('/supervisor/follow-ups');
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
	const files = page.getByLabel('CSV 文件');

	// Nothing chosen.
	await page.getByRole('button', { name: '导入', exact: true }).click();
	await expect(page.getByRole('alert')).toContainText('请选择要导入的文件。');

	// One good row and one with two bad values: both problems are listed, nothing is imported.
	await files.setInputFiles([csv('jobs.csv', [HEADER, GOOD_ROW, BAD_ROW])]);
	await page.getByRole('button', { name: '导入', exact: true }).click();
	const failure = page.getByRole('alert');
	await expect(failure).toContainText(/导入失败，没有做任何更改。请修正以下 \d+ 个问题后重试/);
	const problems = failure.getByRole('listitem');
	await expect(problems.filter({ hasText: /^jobs\.csv:3: technician_login: / })).toHaveCount(1);
	await expect(problems.filter({ hasText: /^jobs\.csv:3: status: / })).toHaveCount(1);
	// The good row was not imported either.
	expect(await oldestQueuedJob(page)).toBe(oldestBefore);

	await page.goto('/supervisor/import');
	await files.setInputFiles([csv('jobs.csv', [HEADER, GOOD_ROW])]);
	await page.getByRole('button', { name: '导入', exact: true }).click();
	const done = page.getByRole('status');
	await expect(done.getByRole('heading', { name: '导入完成' })).toBeVisible();
	const jobsRow = done
		.getByRole('row')
		.filter({ has: page.getByRole('rowheader', { name: '工单' }) });
	await expect(jobsRow.getByRole('cell')).toHaveText(['1', '0', '0']);
	await expect(done).toContainText('没有 follow_ups.csv，回访记录保持不变。');

	expect(await oldestQueuedJob(page)).toBe('E2E-IMPORT-1');
	await expect(
		page.getByRole('list', { name: '待回访工单' }).getByRole('listitem').first()
	).toContainText('导入测试客户');
});
