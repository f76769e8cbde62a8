/**
 * The technician app's screens on a phone: the job list's sections, inline validation in the
 * technician's language, corrections with a reason, revisits, a change the server refuses shown
 * with its reason, English, and touch targets.
 */
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import superjson from 'superjson';
import {
	addFollowUpNote,
	completeJob,
	createJob,
	expectSynced,
	signInTechnician,
	supervisorSession,
	syncBar
} from './tech-helpers';

async function syncNow(page: Page) {
	await page.getByRole('button', { name: '立即同步' }).click();
	await expectSynced(page);
}

test('the job list is split into in progress, today, awaiting follow-up and recent', async ({
	page
}) => {
	await signInTechnician(page, 'huangtao');
	const started = await createJob(page, { customer: '列表-进行中' });
	await page.getByRole('button', { name: '已到达' }).click();
	await page.getByRole('button', { name: '开始维修' }).click();
	await page.getByRole('link', { name: '我的工单' }).click();
	// Still to do (not yet arrived): listed under today.
	const waiting = await createJob(page, { customer: '列表-待上门' });
	await page.getByRole('link', { name: '我的工单' }).click();

	await expect(
		page
			.getByRole('region', { name: /^今天/ })
			.getByRole('link', { name: new RegExp(waiting.jobNo) })
	).toBeVisible();
	const inProgress = page.getByRole('region', { name: /^进行中/ });
	await expect(inProgress.getByRole('link', { name: new RegExp(started.jobNo) })).toBeVisible();
	await expect(
		inProgress.getByText('未同步').or(inProgress.getByText('列表-进行中'))
	).not.toHaveCount(0);
	for (const section of [/^今天/, /^待回访/, /^最近/]) {
		await expect(page.getByRole('region', { name: section })).toBeVisible();
	}
	// Each job is listed once.
	const links = await page
		.getByRole('main')
		.getByRole('link', { name: /工单号/ })
		.allInnerTexts();
	expect(new Set(links).size).toBe(links.length);
});

test('forms say what is wrong beside the field, in the technician language', async ({ page }) => {
	await signInTechnician(page, 'huangtao');
	await page.getByRole('link', { name: '新建工单' }).click();
	await page.getByLabel('客户姓名').fill('名'.repeat(101));
	await page.getByLabel('报修时间').fill('');
	await page.getByRole('button', { name: '保存工单' }).click();
	await expect(page.getByText('最多 100 个字符。')).toBeVisible();
	await expect(page.getByText('请输入有效的日期和时间。')).toBeVisible();
	await expect(page.getByLabel('客户姓名')).toHaveAttribute('aria-invalid', 'true');

	await page.getByLabel('客户姓名').fill('表单客户');
	// A technician's job names its device and fault too; the form marks what is missing.
	await expect(page.getByLabel('产品型号')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('故障描述')).toHaveAttribute('aria-invalid', 'true');
	await page.getByLabel('产品型号').fill('表单型号');
	await page.getByLabel('故障描述').fill('表单故障');
	await page.getByLabel('报修时间').fill('2026-03-02T09:30');
	await page.getByRole('button', { name: '保存工单' }).click();
	await expect(page).toHaveURL(/\/tech\?job=/);

	await page.getByRole('button', { name: '添加配件' }).click();
	await page.getByLabel('搜索配件（编码或名称）').fill('电容');
	await page.getByRole('list', { name: '匹配的配件' }).getByRole('button').first().click();
	await page.getByLabel('数量').fill('0');
	await page.getByRole('button', { name: '添加', exact: true }).click();
	await expect(page.getByText('请输入大于 0 的数量，最多 3 位小数。')).toBeVisible();
	await page.getByRole('button', { name: '取消', exact: true }).click();

	// Correcting a time needs a reason, and the reported time shows as typed (station time).
	await page.getByRole('button', { name: '修改时间' }).click();
	await page.getByLabel('到达时间').fill('2026-03-02T10:05');
	await page.getByRole('button', { name: '保存时间' }).click();
	await expect(page.getByText('请写明修改原因。')).toBeVisible();
	await page.getByLabel('修改原因').fill('到达时没有信号');
	await page.getByRole('button', { name: '保存时间' }).click();
	const times = page.getByRole('region', { name: '时间记录' });
	await expect(times).toContainText('2026年3月2日 09:30');
	await expect(times).toContainText('2026年3月2日 10:05');
});

test('a revisit is a new job linked to the earlier one, starting with its customer', async ({
	page
}) => {
	await signInTechnician(page, 'huangtao');
	const first = await createJob(page, { customer: '返修客户', model: 'XQB80-Z6188' });
	await completeJob(page, '未修复');
	await addFollowUpNote(page, '客户说洗衣机仍然漏水');
	await page.getByRole('link', { name: '返修：新建关联工单' }).click();
	await expect(page.getByText(`关联上一次工单 ${first.jobNo}。`)).toBeVisible();
	await expect(page.getByLabel('客户姓名')).toHaveValue('返修客户');
	await expect(page.getByLabel('产品型号')).toHaveValue('XQB80-Z6188');
	await page.getByRole('button', { name: '保存工单' }).click();
	await expect(page).toHaveURL(/\/tech\?job=/);
	await expect(page.getByRole('link', { name: first.jobNo })).toBeVisible();
	await syncNow(page);
});

test('a change the server refuses is shown with why and what to do', async ({
	page,
	browser,
	baseURL
}) => {
	await signInTechnician(page, 'huangtao');
	const job = await createJob(page, { customer: '已审核的客户' });
	await completeJob(page, '已修复');
	await syncNow(page);

	// The supervisor verifies the job from their own device.
	const supervisor = await supervisorSession(browser, baseURL ?? '');
	const push = superjson.serialize({
		clientId: randomUUID(),
		mutations: [{ id: 1, name: 'job.verify', args: { jobId: job.id }, madeAt: new Date() }]
	});
	const verified = await supervisor.request.post('/api/trpc/sync.push', { data: push });
	expect(verified.ok()).toBe(true);
	await supervisor.context.close();

	// Before the phone hears of it, the technician corrects a time.
	await page.getByRole('button', { name: '修改时间' }).click();
	// An earlier reported time keeps the order, so only the server's verification refuses it.
	await page.getByLabel('报修时间').fill('2026-03-02T11:00');
	await page.getByLabel('修改原因').fill('补录');
	await page.getByRole('button', { name: '保存时间' }).click();
	await syncNow(page);

	await syncBar(page).getByRole('link', { name: '1 项更改被服务器拒绝，点此查看原因' }).click();
	const refused = page.getByRole('list', { name: '服务器拒绝的更改' }).getByRole('listitem');
	await expect(refused).toHaveCount(1);
	await expect(refused).toContainText(`修改时间 · ${job.jobNo}`);
	// The reason in the UI language, the job by its number above it: no English, no id.
	await expect(refused).toContainText('原因：主管已审核此工单，不能再修改。');
	await expect(refused).not.toContainText('verified');
	await expect(refused).not.toContainText(job.id);
	await expect(refused).toContainText('此工单已审核或不属于您');
	await refused.getByRole('link', { name: '打开工单' }).click();
	await expect(page.getByText('主管已审核此工单，不能再修改。')).toBeVisible();
	await expect(page.getByRole('button', { name: '修改时间' })).toHaveCount(0);

	await page.goBack();
	await page.getByRole('button', { name: '知道了' }).click();
	await expect(page.getByText('没有被拒绝的更改。')).toBeVisible();
	await expect(syncBar(page).getByRole('link', { name: /被服务器拒绝/ })).toHaveCount(0);
});

test('in English, with every control big enough for a thumb', async ({ page }) => {
	await signInTechnician(page, 'huangtao');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'My jobs' })).toBeVisible();
	await expect(page.getByTestId('pending-count')).toHaveText('All synced');
	await page.getByRole('link', { name: 'New job' }).click();
	await page.getByLabel('Customer name').fill('Thumb test');
	await page.getByLabel('Product model').fill('KFR-35GW');
	await page.getByLabel('Fault category').selectOption({ index: 1 });
	await page.getByRole('button', { name: 'Save job' }).click();
	await expect(page.getByRole('button', { name: 'Arrived' })).toBeVisible();

	const controls = page.locator('main').locator('button:visible, a.button:visible, input:visible');
	const count = await controls.count();
	expect(count).toBeGreaterThan(5);
	for (let i = 0; i < count; i++) {
		const box = await controls.nth(i).boundingBox();
		expect(
			box?.height,
			await controls.nth(i).evaluate((el) => el.outerHTML)
		).toBeGreaterThanOrEqual(44);
	}
	// Back to the default language for the other tests of this browser profile.
	await page.getByRole('button', { name: '中文' }).click();
});
