import { expect, test, type Locator, type Page } from '@playwright/test';
import { demoTechnicians, signInAs } from './helpers/demo';

const HEADER = 'job_no,technician_login,reported_at,status,completed_at,outcome,customer_name';

function csv(name: string, lines: string[]) {
	return { name, mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`) };
}

/**
 * Cancelled jobs of 2019 for nobody: outside every period shown, on no board, phone or
 * follow-up queue, so the other tests' station is the same with or without them.
 */
const jobRows = (prefix: string, count: number) =>
	Array.from(
		{ length: count },
		(_, index) => `${prefix}-${index + 1},,2019-03-04 09:00,cancelled,,,预览客户${index + 1}`
	);

/** The files of the first test: one unchanged technician and 1,500 new jobs. */
const FILES = [
	csv('technicians.csv', ['login,name,role', 'zhangwei,张伟,technician']),
	csv('jobs.csv', [HEADER, ...jobRows('E2E-PREVIEW', 1_500)])
];

/** Every text the progress label shows and whether a progress bar stood beside it, as it happens. */
async function watchProgress(page: Page) {
	await page.evaluate(() => {
		const seen: string[] = [];
		(window as unknown as { progressSeen: string[] }).progressSeen = seen;
		new MutationObserver(() => {
			const bar = document.querySelector('progress[aria-labelledby="import-progress-label"]');
			const label = document.getElementById('import-progress-label')?.textContent?.trim();
			if (bar && label && seen.at(-1) !== label) seen.push(label);
		}).observe(document.body, { subtree: true, childList: true, characterData: true });
	});
	return () => page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
}

function numbersOf(section: Locator, label: RegExp) {
	return section
		.getByRole('row')
		.filter({ has: section.page().getByRole('rowheader', { name: label }) })
		.getByRole('cell');
}

test('a supervisor previews the files with progress, then imports them without choosing them again', async ({
	page,
	browser
}) => {
	test.setTimeout(90_000);
	await signInAs(page, 'supervisor');
	await page.goto('/supervisor/import');
	await expect(page.getByRole('heading', { level: 1, name: '导入数据' })).toBeVisible();
	const input = page.getByLabel('CSV 或 Excel 文件');
	await expect(input).toHaveAttribute('accept', /\.csv.*\.xlsx/);
	await input.setInputFiles(FILES);

	const progress = await watchProgress(page);
	await page.getByRole('button', { name: '预览导入' }).click();
	const preview = page.getByRole('status').filter({ hasText: '预览' });
	await expect(preview.getByRole('heading')).toHaveText(
		'预览：导入将做以下更改（尚未写入任何内容）'
	);
	await expect(numbersOf(preview, /^工单/)).toHaveText(['1,500', '0', '不适用', '0'].map(withNa));
	await expect(numbersOf(preview, /^人员/)).toHaveText(['0', '0', '不适用', '1'].map(withNa));
	await expect(preview).toContainText('technicians.csv, jobs.csv');
	// The bar stood there while the files went up, then while the server read and checked them.
	const steps = await progress();
	expect(steps.some((step) => step.startsWith('正在上传文件'))).toBe(true);
	expect(steps).toContainEqual(expect.stringMatching(/^正在检查 jobs\.csv：[\d,]+ 行$/));
	expect(steps).toContainEqual(expect.stringMatching(/^正在计算 .+ 的更改/));
	await expect(page.getByRole('progressbar')).toHaveCount(0);

	// The preview wrote nothing: another page previewing the same files sees them still new.
	const other = await browser.newPage();
	await signInAs(other, 'supervisor');
	await other.goto('/supervisor/import');
	await other.getByLabel('CSV 或 Excel 文件').setInputFiles(FILES);
	await other.getByRole('button', { name: '预览导入' }).click();
	const otherPreview = other.getByRole('status').filter({ hasText: '预览' });
	await expect(numbersOf(otherPreview, /^工单/).first()).toHaveText('1,500');

	// Confirmed: the same files go up again, the real import reports the same numbers.
	const importing = await watchProgress(page);
	await page.getByRole('button', { name: '确认导入' }).click();
	const done = page.getByRole('status').filter({ hasText: '导入完成' });
	await expect(done.getByRole('heading', { name: '导入完成' })).toBeVisible();
	await expect(numbersOf(done, /^工单/)).toHaveText(['1,500', '0', '不适用', '0'].map(withNa));
	expect(await importing()).toContainEqual(expect.stringMatching(/^正在写入 .+：[\d,]+ 行$/));
	await expect(page.getByRole('button', { name: '确认导入' })).toHaveCount(0);

	// Now they are the station's: the other page's next preview finds nothing to change.
	await other.getByLabel('CSV 或 Excel 文件').setInputFiles(FILES);
	await other.getByRole('button', { name: '预览导入' }).click();
	await expect(otherPreview).toContainText('这些文件与本站现有数据一致，导入不会做任何更改。');
	await expect(numbersOf(otherPreview, /^工单/)).toHaveText(
		['0', '0', '不适用', '1,500'].map(withNa)
	);
	await other.close();
});

/** A cell of a row with no such count reads "–" and, to a screen reader, "not applicable". */
function withNa(text: string) {
	return text === '不适用' ? '–不适用' : text;
}

test('a file with problems shows `file:line: column: reason` and no import button, in either language', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await page.goto('/supervisor/import');
	const bad = csv('jobs.csv', [HEADER, 'E2E-PREVIEW-BAD,zhangwei,2019-03-05 09:00,done,,,']);
	await page.getByLabel('CSV 或 Excel 文件').setInputFiles([bad]);
	await page.getByRole('button', { name: '预览导入' }).click();
	const alert = page.getByRole('alert');
	await expect(alert).toContainText(/导入失败，没有做任何更改。请修正以下 1 个问题后重试/);
	await expect(alert.getByRole('listitem')).toHaveText([
		'jobs.csv:2: status: “done”不是以下之一：open, in_progress, completed, cancelled'
	]);
	await expect(page.getByRole('button', { name: '确认导入' })).toHaveCount(0);

	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Import data' })).toBeVisible();
	await page.getByLabel('CSV or Excel files').setInputFiles([bad]);
	await page.getByRole('button', { name: 'Preview import' }).click();
	await expect(page.getByRole('alert').getByRole('listitem')).toHaveText([
		'jobs.csv:2: status: "done" is not one of open, in_progress, completed, cancelled'
	]);
	await expect(page.getByRole('button', { name: 'Import', exact: true })).toHaveCount(0);

	// A workbook is taken by the file input; a damaged one is refused in words.
	await page
		.getByLabel('CSV or Excel files')
		.setInputFiles([
			{ name: 'station.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK') }
		]);
	await page.getByRole('button', { name: 'Preview import' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'workbook: is not an .xlsx workbook, or it is damaged'
	);
});

test('the upload refuses other roles, other sites and too much', async ({
	page,
	browser,
	baseURL
}) => {
	// Handing a 21 MB file to the browser takes a while on a busy machine.
	test.setTimeout(90_000);
	const sameSite = { origin: new URL(baseURL!).origin };
	const body = {
		files: { name: 'jobs.csv', mimeType: 'text/csv', buffer: Buffer.from(`${HEADER}\n`) },
		mode: 'preview'
	};
	const technician = await browser.newPage();
	await signInAs(technician, demoTechnicians[0].login);
	const refused = await technician.request.post('/supervisor/import/upload', {
		multipart: body,
		headers: sameSite
	});
	expect(refused.status()).toBe(403);
	expect(await refused.text()).toContain('此页面仅供主管和站点管理员使用');
	await technician.close();

	await signInAs(page, 'supervisor');
	const accepted = await page.request.post('/supervisor/import/upload', {
		multipart: body,
		headers: sameSite
	});
	expect(accepted.status()).toBe(200);
	expect(accepted.headers()['content-type']).toBe('application/x-ndjson; charset=utf-8');
	expect((await accepted.text()).trim().split('\n').at(-1)).toContain('"kind":"done"');
	// A form post from another site (SvelteKit's origin check), even with the session cookie.
	const crossSite = await page.request.post('/supervisor/import/upload', {
		multipart: body,
		headers: { origin: 'https://attacker.example' }
	});
	expect(crossSite.status()).toBe(403);

	await page.goto('/supervisor/import');
	await page
		.getByLabel('CSV 或 Excel 文件')
		.setInputFiles([
			{ name: 'jobs.csv', mimeType: 'text/csv', buffer: Buffer.alloc(21 * 1024 * 1024, 'a') }
		]);
	await page.getByRole('button', { name: '预览导入' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'上传的文件太大：一次最多导入 20 MB。请把文件拆分成几次导入。'
	);
	await expect(page.getByRole('button', { name: '预览导入' })).toBeEnabled();
});
