/**
 * The phone finds and fixes what it needs offline (issue 12, item 6): an older job that the
 * list no longer shows is found by the customer's phone; an open job is cancelled with a
 * reason and its notes edited; a job's page links the device's earlier jobs; a completed job
 * says why it can no longer be cancelled; and a form with unsaved input asks before it is left.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectSynced, serverJob, signInTechnician, supervisorSession } from './tech-helpers';

const DAY = 86_400_000;

/** A job typed into the new-job form, reported `daysAgo` days ago (station time: Shanghai). */
async function newJob(
	page: Page,
	job: { customer: string; phone: string; serial: string; daysAgo: number }
) {
	await page.getByRole('link', { name: '新建工单' }).click();
	await page.getByLabel('客户姓名').fill(job.customer);
	await page.getByLabel('客户电话').fill(job.phone);
	await page.getByLabel('机身序列号').fill(job.serial);
	await page.getByLabel('故障描述').fill('不工作');
	const reported = new Date(Date.now() - job.daysAgo * DAY + 8 * 3_600_000);
	await page.getByLabel('报修时间').fill(reported.toISOString().slice(0, 16));
	await page.getByRole('button', { name: '保存工单' }).click();
	await expect(page).toHaveURL(/\/tech\?job=/);
	const jobNo = (await page.getByRole('heading', { level: 1 }).innerText())
		.replace(/^工单号\s*/, '')
		.trim();
	return { id: new URL(page.url()).searchParams.get('job') ?? '', jobNo };
}

const backToList = (page: Page) => page.getByRole('link', { name: '← 我的工单' });

test('search, cancel, notes, earlier jobs and unsaved forms work offline', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	await signInTechnician(page, 'zhangwei');
	await context.setOffline(true);

	// An old job, cancelled with a reason: the list no longer shows it.
	const old = await newJob(page, {
		customer: '搜索测试旧客户',
		phone: '13977001234',
		serial: 'SN-E2E-SEARCH-7',
		daysAgo: 60
	});
	await page.getByRole('button', { name: '取消工单' }).click();
	await page.getByRole('button', { name: '确认取消此工单' }).click();
	await expect(page.getByText('请写明修改原因。')).toBeVisible();
	await page.getByLabel('取消原因').fill('客户已自行修好');
	await page.getByRole('button', { name: '确认取消此工单' }).click();
	await expect(page.getByRole('button', { name: '取消工单' })).toHaveCount(0);
	await expect(page.getByText('已取消').first()).toBeVisible();

	// Notes: leaving with unsaved input asks; staying keeps the input, saving ends the question.
	await page.getByRole('button', { name: '编辑备注' }).click();
	await page.getByLabel('备注', { exact: true }).fill('客户说下次直接打电话');
	let asked = '';
	page.once('dialog', (dialog) => {
		asked = dialog.message();
		void dialog.dismiss();
	});
	await backToList(page).click();
	await expect.poll(() => asked).toContain('尚未保存');
	await expect(page).toHaveURL(new RegExp(`job=${old.id}`));
	await expect(page.getByLabel('备注', { exact: true })).toHaveValue('客户说下次直接打电话');
	await page.getByRole('button', { name: '保存备注' }).click();
	await expect(page.getByText('客户说下次直接打电话')).toBeVisible();

	await backToList(page).click();
	await expect(page).toHaveURL('/tech');
	await expect(page.getByText(old.jobNo)).toHaveCount(0);

	// Search finds it by part of the phone number, trimmed.
	await page.getByRole('link', { name: '搜索', exact: true }).click();
	await page.getByLabel('工单号、客户、电话或序列号').fill(' 9770012 ');
	const results = page.getByRole('list', { name: '搜索我的工单' });
	await expect(results.getByRole('link')).toHaveCount(1);
	await expect(results.getByRole('link')).toContainText(old.jobNo);
	await page.getByLabel('工单号、客户、电话或序列号').fill('没有这个客户');
	await expect(page.getByText('本机没有匹配的工单。')).toBeVisible();

	// A new job of the same device (serial in another case) shows the earlier one.
	await backToList(page).click();
	const current = await newJob(page, {
		customer: '搜索测试新客户',
		phone: '13977005678',
		serial: ' sn-e2e-search-7',
		daysAgo: 0
	});
	const earlier = page.getByRole('region', { name: '此设备的以往工单' });
	await earlier.getByRole('link', { name: old.jobNo }).click();
	await expect(page).toHaveURL(new RegExp(`job=${old.id}`));
	await page.goBack();
	await expect(page).toHaveURL(new RegExp(`job=${current.id}`));

	// Correcting the details of an open job.
	await page.getByRole('button', { name: '更正信息' }).click();
	await page.getByLabel('客户姓名').fill('搜索测试新客户（更正）');
	await page.getByRole('button', { name: '保存更正' }).click();
	await expect(page.getByText('搜索测试新客户（更正）')).toBeVisible();

	// Completed: only a supervisor may cancel it now, and the page says so.
	await page.getByRole('button', { name: '已到达' }).click();
	await page.getByRole('button', { name: '开始维修' }).click();
	await page.getByRole('button', { name: '完成工单' }).click();
	await page.getByRole('radio', { name: '已修复' }).check();
	await page.getByRole('button', { name: '确认完成' }).click();
	await expect(page.getByText('已完工的工单只能由主管更正或取消')).toBeVisible();
	await expect(page.getByRole('button', { name: '取消工单' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: '编辑备注' })).toBeVisible();

	// The new-job form asks too; confirming leaves it.
	await backToList(page).click();
	await page.getByRole('link', { name: '新建工单' }).click();
	await page.getByLabel('客户姓名').fill('不保存的客户');
	page.once('dialog', (dialog) => void dialog.accept());
	await backToList(page).click();
	await expect(page).toHaveURL('/tech');

	// Closing the tab with unsaved input: the browser's own question (beforeunload).
	await page.getByRole('link', { name: '新建工单' }).click();
	await page.getByLabel('客户姓名').fill('不保存的客户');
	const unloading = new Promise<string>((resolve) =>
		page.once('dialog', (dialog) => {
			resolve(dialog.type());
			void dialog.dismiss();
		})
	);
	await page.close({ runBeforeUnload: true });
	expect(await unloading).toBe('beforeunload');

	// Back online, the server holds the cancellation, the notes and the correction.
	const phone = await context.newPage();
	await context.setOffline(false);
	await phone.goto('/tech');
	await expectSynced(phone);
	const supervisor = await supervisorSession(browser, baseURL!);
	expect((await serverJob(supervisor.request, old.id))?.job).toMatchObject({
		status: 'cancelled',
		notes: '客户说下次直接打电话'
	});
	expect((await serverJob(supervisor.request, current.id))?.job).toMatchObject({
		status: 'completed',
		customerName: '搜索测试新客户（更正）'
	});
	await supervisor.context.close();
});
