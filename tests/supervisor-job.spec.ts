/**
 * A supervisor opens one job from a technician's drill-down: reads its facts and history,
 * reassigns it (and sees who changed what in the history) and verifies it; reads who gave each
 * of a job's follow-ups, a technician's own note marked as not scored.
 */
import { expect, test, type Page } from '@playwright/test';
import { signInAs } from './helpers/demo';
import { scorecardTable } from './helpers/scorecard';
import {
	addFollowUpNote,
	completeJob,
	createJob,
	expectAllSynced,
	signInTechnician,
	supervisorSession
} from './tech-helpers';

/** Opens 王强's scorecard (default period) from the station scorecard. */
async function openWangQiang(page: Page) {
	await signInAs(page, 'supervisor');
	await scorecardTable(page).getByRole('link', { name: '王强' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '王强的成绩单' })).toBeVisible();
}

/**
 * Opens one of 王强's completed jobs not verified yet, from the verification worklist (the demo
 * verifies most jobs a day or more after completion), and returns its number.
 */
async function openUnverifiedJob(page: Page): Promise<string> {
	await page.goto('/supervisor/verify');
	const row = page.getByRole('row').filter({ hasText: '王强' }).first();
	const link = row.getByRole('link');
	await expect(link).toBeVisible();
	const jobNo = (await link.innerText()).trim();
	await link.click();
	await expect(page).toHaveURL(/\/supervisor\/jobs\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { level: 1, name: `工单 ${jobNo}` })).toBeVisible();
	await expect(
		page.getByRole('form', { name: '审核' }).getByRole('button', { name: '审核通过' })
	).toBeVisible();
	return jobNo;
}

test.describe('on a tablet', () => {
	test.use({ viewport: { width: 1024, height: 768 } });

	test('a supervisor reads a job, reassigns it and verifies it', async ({ page }) => {
		await openWangQiang(page);
		const jobNo = await openUnverifiedJob(page);

		// The job's facts.
		await expect(page.getByText('状态：已完成')).toBeVisible();
		await expect(page.getByText(/^结果：(已修复|未修复)$/)).toBeVisible();
		const customer = page.getByRole('region', { name: '客户', exact: true });
		await expect(customer.getByText('姓名')).toBeVisible();
		const phone = customer.getByRole('link', { name: /^拨打 / });
		if ((await phone.count()) > 0) await expect(phone).toHaveAttribute('href', /^tel:[\d+]+$/);
		const times = page.getByRole('region', { name: '时间', exact: true });
		await expect(times.getByText('按服务站时区（Asia/Shanghai）显示')).toBeVisible();
		for (const label of ['报修时间', '到达时间', '开始维修', '完成时间']) {
			await expect(times.getByText(label, { exact: true })).toBeVisible();
		}
		const work = page.getByRole('region', { name: '处理', exact: true });
		await expect(work.getByRole('link', { name: '王强' })).toBeVisible();
		await expect(page.getByRole('region', { name: '配件', exact: true })).toBeVisible();
		await expect(page.getByRole('region', { name: '回访', exact: true })).toBeVisible();
		const history = page.getByRole('region', { name: '修改记录', exact: true });
		await expect(history).toBeVisible();
		const historyTable = history.getByRole('table', {
			name: `工单 ${jobNo} 的修改记录，最新的在前`
		});
		const rowsBefore = await historyTable.locator('tbody tr').count();

		// Reassign to 李娜: the page says so, and the history shows who changed what.
		const reassign = page.getByRole('form', { name: '改派给其他技师' });
		const technician = reassign.getByRole('combobox', { name: '技师' });
		await expect(technician).toHaveValue(/[0-9a-f-]{36}/);
		await expect(technician.locator('option:checked')).toHaveText('王强（当前）');
		await technician.selectOption({ label: '李娜' });
		// Who did a completed job is a supervisor's correction, and says why.
		await reassign.getByLabel('改派原因').fill('实为李娜维修');
		await reassign.getByRole('button', { name: '改派' }).click();
		await expect(reassign.getByRole('status')).toHaveText('已改派给 李娜。');
		await expect(work.getByRole('link', { name: '李娜' })).toBeVisible();
		await expect(technician.locator('option:checked')).toHaveText('李娜（当前）');

		// The technician and the time of the assignment, each with the reason.
		await expect(historyTable.locator('tbody tr')).toHaveCount(rowsBefore + 2);
		const change = historyTable.getByRole('row').filter({
			has: page.getByRole('rowheader', { name: '技师 原因：实为李娜维修' })
		});
		await expect(change.getByRole('cell')).toHaveText([/\d/, '周建国', '王强', '李娜']);

		// Verify: the button gives way to who verified it, and the history records it.
		const verification = page.getByRole('form', { name: '审核' });
		await verification.getByRole('button', { name: '审核通过' }).click();
		await expect(verification.getByRole('status')).toHaveText('已审核通过。');
		await expect(
			verification.getByText(/^✓ 周建国 于 .+ 审核通过。技师已不能再修改这张工单。$/)
		).toBeVisible();
		await expect(verification.getByRole('button', { name: '审核通过' })).toHaveCount(0);
		await expect(page.getByText('审核：已审核')).toBeVisible();
		const verifiedBy = historyTable.getByRole('row').filter({
			has: page.getByRole('rowheader', { name: '审核人', exact: true })
		});
		await expect(verifiedBy.getByRole('cell')).toHaveText([/\d/, '周建国', '（空）', '周建国']);

		// Reloaded (no JavaScript state), the page still shows the verified job of 李娜.
		await page.reload();
		await expect(page.getByRole('heading', { level: 1, name: `工单 ${jobNo}` })).toBeVisible();
		await expect(work.getByRole('link', { name: '李娜' })).toBeVisible();
		await expect(verification.getByRole('button', { name: '审核通过' })).toHaveCount(0);
	});
});

test('on a phone the job page fits the width and links from the follow-up queue', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await page.goto('/desk/follow-ups');
	const first = page.getByRole('heading', { level: 2 }).getByRole('link').first();
	const jobNo = (await first.innerText()).trim();
	await first.click();
	await expect(page.getByRole('heading', { level: 1, name: `工单 ${jobNo}` })).toBeVisible();
	await expect(page.getByRole('region', { name: '修改记录', exact: true })).toBeVisible();
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
});

test('the job page says who gave each follow-up, and that a technician’s own is not scored', async ({
	page,
	browser,
	baseURL
}) => {
	// Three browsers: the technician's phone, the customer's, the supervisor's.
	test.setTimeout(90_000);
	await signInTechnician(page, 'huangtao');
	const job = await createJob(page, { customer: '来源测试的周女士', model: 'KFR-35GW' });
	await completeJob(page, '已修复');
	const surveyLink = await page
		.getByRole('region', { name: '客户满意度问卷' })
		.getByTestId('survey-link')
		.innerText();
	await addFollowUpNote(page, '客户说空调已经不响了');
	await expectAllSynced(page);

	// The customer answers the survey on their own phone.
	const customer = await browser.newContext({ baseURL });
	const answering = await customer.newPage();
	await answering.goto(surveyLink);
	await answering.getByRole('radio', { name: '2 · 不满意' }).check();
	await answering.getByRole('radio', { name: '未解决' }).check();
	await answering.getByRole('button', { name: '提交' }).click();
	await expect(answering.getByText('谢谢！您的评价已提交。')).toBeVisible();
	await customer.close();

	const supervisor = await supervisorSession(browser, baseURL ?? '');
	const [supervisorPage] = supervisor.context.pages();
	await supervisorPage.goto(`/supervisor/jobs/${job.id}`);
	const followUps = supervisorPage.getByRole('region', { name: '回访', exact: true });
	const note = followUps.getByRole('listitem').filter({ hasText: '客户说空调已经不响了' });
	const answer = followUps.getByRole('listitem').filter({ hasText: '满意度 2/5' });
	await expect(note.getByText('来源：技师自记，不计分')).toBeVisible();
	await expect(answer.getByText('来源：客户问卷')).toBeVisible();
	await expect(answer.getByText('不计分')).toHaveCount(0);

	// The same in English.
	await supervisorPage.getByRole('button', { name: 'English' }).click();
	await expect(supervisorPage.locator('html')).toHaveAttribute('lang', 'en');
	const inEnglish = supervisorPage.getByRole('region', { name: 'Follow-ups', exact: true });
	await expect(
		inEnglish
			.getByRole('listitem')
			.filter({ hasText: '客户说空调已经不响了' })
			.getByText("Source: Technician's own note, not scored")
	).toBeVisible();
	await expect(
		inEnglish
			.getByRole('listitem')
			.filter({ hasText: 'Satisfaction 2/5' })
			.getByText('Source: Customer survey')
	).toBeVisible();
	await supervisor.context.close();
});

test('a station admin reads a job but is offered, and allowed, no decision on it', async ({
	page
}) => {
	await openWangQiang(page);
	const jobNo = await openUnverifiedJob(page);
	const jobUrl = page.url();
	await page.getByRole('button', { name: '退出登录' }).click();
	await expect(page).toHaveURL('/login');

	await signInAs(page, 'admin');
	await page.goto(jobUrl);
	await expect(page.getByRole('heading', { level: 1, name: `工单 ${jobNo}` })).toBeVisible();
	await expect(page.getByText('状态：已完成')).toBeVisible();
	await expect(page.getByRole('heading', { name: '主管操作' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: '审核通过' })).toHaveCount(0);

	// A hand-made form post is refused by the server.
	const refused = await page.request.post(`${jobUrl}?/verify`, {
		form: {},
		headers: { origin: new URL(jobUrl).origin }
	});
	expect(refused.status()).toBe(403);
});
