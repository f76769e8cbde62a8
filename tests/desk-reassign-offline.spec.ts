/**
 * Reassignment never throws offline work away (issue 12): a technician's phone, offline, records
 * the arrival and the completion of their job while a supervisor (who does everything the desk
 * does) gives the job to a colleague. Back online the phone syncs with no refused change, the
 * job leaves it, the server keeps the work, and the desk finds the overlap on /desk/overlaps
 * and gives the job back.
 */
import { expect, test } from '@playwright/test';
import {
	completeJob,
	createJob,
	expectAllSynced,
	expectSynced,
	serverJob,
	signInTechnician,
	supervisorSession,
	syncBar
} from './tech-helpers';

test('offline work on a job reassigned meanwhile is kept and shown to the desk', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	// Two devices and a sign-in each, on a shared machine.
	test.setTimeout(120_000);
	await signInTechnician(page, 'chenjing');
	const job = await createJob(page, { customer: '改派前的孙先生', fault: '漏水' });
	await expectSynced(page);

	await context.setOffline(true);
	await expect(syncBar(page).getByText('离线')).toBeVisible();
	await page.getByRole('button', { name: '已到达' }).click();
	await expect(page.getByRole('button', { name: '已到达' })).toHaveCount(0);
	await page.getByRole('button', { name: '开始维修' }).click();
	await expect(page.getByRole('button', { name: '开始维修' })).toHaveCount(0);
	await completeJob(page, '已修复', '更换密封圈');

	// Meanwhile, on the tablet: the job goes to 杨磊.
	const desk = await supervisorSession(browser, baseURL!);
	const tablet = await desk.context.newPage();
	await tablet.setViewportSize({ width: 1024, height: 768 });
	await tablet.goto(`/supervisor/jobs/${job.id}`);
	const reassign = tablet.getByRole('form', { name: '改派给其他技师' });
	await reassign.getByRole('combobox', { name: '技师' }).selectOption({ label: '杨磊' });
	await reassign.getByLabel('改派原因').fill('陈静手头的活太多');
	await reassign.getByRole('button', { name: '改派' }).click();
	await expect(reassign.getByRole('status')).toHaveText('已改派给 杨磊。');

	// Back online: everything is taken, nothing refused, and the job leaves this phone.
	await context.setOffline(false);
	await expectAllSynced(page);
	await expect(syncBar(page).getByRole('link', { name: /被服务器拒绝/ })).toHaveCount(0);
	await page.getByRole('link', { name: '我的工单' }).click();
	await expect(page.getByRole('link', { name: new RegExp(job.jobNo) })).toHaveCount(0);
	await expect(syncBar(page).getByRole('link', { name: /被服务器拒绝/ })).toHaveCount(0);

	const kept = await serverJob(desk.request, job.id);
	expect(kept?.job).toMatchObject({ status: 'completed', outcome: 'fixed', notes: '更换密封圈' });
	expect(kept?.job.arrivedAt).not.toBeNull();

	// The desk sees the overlap and gives the job back to the technician who did the work.
	await tablet.goto('/desk/overlaps');
	await expect(tablet.getByRole('heading', { level: 1, name: '重叠工作' })).toBeVisible();
	const row = tablet.getByRole('row', { name: new RegExp(job.jobNo) });
	await expect(row.getByRole('cell', { name: '陈静', exact: true })).toBeVisible();
	await expect(row.getByRole('cell', { name: '杨磊', exact: true })).toBeVisible();
	await expect(row.getByText(/到达/)).toBeVisible();
	await expect(row.getByText(/完工/)).toBeVisible();
	await row.getByRole('button', { name: '改派回 陈静' }).click();
	await expect(tablet.getByRole('status')).toHaveText(`工单 ${job.jobNo} 已改派回 陈静。`);
	await expect(tablet.getByText('没有待处理的重叠工作。')).toBeVisible();

	// The job comes back to the phone with the next sync.
	await page.reload();
	await expectSynced(page);
	await expect(page.getByRole('link', { name: new RegExp(job.jobNo) })).toBeVisible({
		timeout: 20_000
	});
	await desk.context.close();
});
