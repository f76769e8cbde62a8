/**
 * Times that can be trusted (docs/kpi-rules.md): the phone offers the visit's steps only in
 * order and refuses a corrected time that breaks the order before sending, saying why; a job
 * whose steps all fall in one minute is flagged on the data-quality page, where a supervisor
 * accepts the flag with a reason.
 */
import { expect, test } from '@playwright/test';
import { signInAs } from './helpers/demo';
import { completeJob, createJob, expectSynced, signInTechnician } from './tech-helpers';

/** Today and tomorrow in the demo station's zone (Asia/Shanghai) as the page's period. */
function todayRange(): string {
	const day = (offset: number) =>
		new Date(Date.now() + 8 * 60 * 60 * 1000 + offset * 86_400_000).toISOString().slice(0, 10);
	return `from=${day(-1)}&to=${day(1)}`;
}

test('the phone offers steps in order and says why a corrected time is refused', async ({
	page
}) => {
	await signInTechnician(page, 'yanglei');
	const job = await createJob(page, { customer: '时间顺序的客户' });
	// Neither start nor completion before the arrival.
	await expect(page.getByRole('button', { name: '开始维修' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: '完成工单' })).toHaveCount(0);
	await page.getByRole('button', { name: '已到达' }).click();
	await expect(page.getByRole('button', { name: '完成工单' })).toHaveCount(0);
	await page.getByRole('button', { name: '开始维修' }).click();
	await expect(page.getByRole('button', { name: '完成工单' })).toBeVisible();

	// An arrival typed after the start breaks the order: refused before anything is sent.
	await page.getByRole('button', { name: '修改时间' }).click();
	const arrival = page.getByLabel('到达时间');
	await expect(arrival).toHaveAttribute('max', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
	const later = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000 + 8 * 3_600_000);
	await arrival.fill(later.toISOString().slice(0, 16));
	await page.getByLabel('修改原因').fill('补录到达');
	await page.getByRole('button', { name: '保存时间' }).click();
	await expect(
		page.getByText(`工单 ${job.jobNo} 的时间须按顺序：报修、到达、开始、完成。`)
	).toBeVisible();
	// Before the report, likewise.
	await arrival.fill('2026-03-02T08:00');
	await page.getByRole('button', { name: '保存时间' }).click();
	await expect(page.getByText(`工单 ${job.jobNo} 的时间早于报修时间。`)).toBeVisible();
	await page.getByRole('button', { name: '取消', exact: true }).click();
	await expectSynced(page);
});

test('a supervisor accepts a flag on the data-quality page, with a reason', async ({
	page,
	browser,
	baseURL
}) => {
	// A whole visit in one minute: kept, but flagged.
	const phone = await browser.newContext({ baseURL });
	const tech = await phone.newPage();
	await signInTechnician(tech, 'yanglei');
	const job = await createJob(tech, { customer: '同一分钟的客户' });
	await completeJob(tech, '已修复');
	await expectSynced(tech);
	await phone.close();

	await signInAs(page, 'supervisor');
	await page.goto(`/supervisor/quality?${todayRange()}`);
	await page.locator('details.group summary').filter({ hasText: '杨磊' }).click();
	const row = page.getByRole('row').filter({ hasText: job.jobNo });
	await expect(row).toContainText('各步骤在同一分钟内');
	const accept = row
		.locator('details.accept')
		// Closed, its button is hidden: found by the flag it sends.
		.filter({ has: page.locator('input[name="flag"][value="same_minute"]') });
	await accept.locator('summary').click();
	await accept.getByLabel('可接受的理由').fill('客户在场，确为快速复位');
	await accept.getByRole('button', { name: '接受“各步骤在同一分钟内”' }).click();
	await expect(page.getByText('已接受该标记：它不再降低记录准确率。')).toBeVisible();

	// The page reloads its data in place: the technician's group stays open.
	const accepted = page.getByRole('row').filter({ hasText: job.jobNo });
	await expect(accepted).toContainText('各步骤在同一分钟内 · 已接受');
	await expect(accepted).toContainText('客户在场，确为快速复位');
	await expect(accepted.getByRole('button', { name: '接受“各步骤在同一分钟内”' })).toHaveCount(0);
});
