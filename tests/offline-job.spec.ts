/**
 * A technician works a whole job without a network: creates it, taps arrived / start / complete,
 * adds a part and a follow-up, reloads the app while still offline, and finds everything there;
 * back online it syncs by itself and the supervisor sees the job on the server.
 */
import { expect, test } from '@playwright/test';
import {
	addFollowUpNote,
	addPart,
	completeJob,
	createJob,
	expectAllSynced,
	expectPending,
	serverJob,
	signInTechnician,
	supervisorSession,
	syncBar
} from './tech-helpers';

test('a job done offline survives an offline reload, then syncs and reaches the supervisor', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	await signInTechnician(page, 'wangqiang');
	await context.setOffline(true);
	await expect(syncBar(page).getByText('离线')).toBeVisible();

	const job = await createJob(page, {
		customer: '离线的刘女士',
		phone: '13900000001',
		model: 'KFR-35GW',
		fault: '不制冷'
	});
	await page.getByRole('button', { name: '已到达' }).click();
	await expect(page.getByRole('button', { name: '已到达' })).toHaveCount(0);
	await page.getByRole('button', { name: '开始维修' }).click();
	await expect(page.getByRole('button', { name: '开始维修' })).toHaveCount(0);
	await addPart(page, '电容', '2');
	const line = page.getByRole('list', { name: '使用的配件' }).getByRole('listitem');
	await expect(line).toHaveCount(1);
	await expect(line).toContainText('2 个 × 单价');
	await completeJob(page, '已修复', '更换启动电容');
	await addFollowUpNote(page, '客户说制冷正常了');
	await expectPending(page, 6);
	await expect(page.getByText('此工单有 6 项更改尚未同步。')).toBeVisible();

	// Still offline, the app is reloaded: it comes back from the service worker and the device.
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(job.jobNo);
	await expectPending(page, 6);
	await expect(syncBar(page).getByText('离线')).toBeVisible();
	await expect(page.getByText('离线的刘女士')).toBeVisible();
	await expect(page.getByText('状态：已完成')).toBeVisible();
	await expect(page.getByRole('list', { name: '使用的配件' }).getByRole('listitem')).toHaveCount(1);
	await expect(page.getByText('客户说制冷正常了')).toBeVisible();
	await page.getByRole('link', { name: '我的工单' }).click();
	await expect(page.getByRole('link', { name: new RegExp(job.jobNo) })).toBeVisible();

	// Back online: the app notices and syncs without being asked.
	await context.setOffline(false);
	await expectAllSynced(page);
	await expect(syncBar(page).getByText('在线')).toBeVisible();

	const supervisor = await supervisorSession(browser, baseURL ?? '');
	const onServer = await serverJob(supervisor.request, job.id);
	expect(onServer?.job).toMatchObject({
		jobNo: job.jobNo,
		customerName: '离线的刘女士',
		status: 'completed',
		outcome: 'fixed',
		notes: '更换启动电容'
	});
	expect(onServer?.job.arrivedAt).toBeInstanceOf(Date);
	expect(onServer?.job.startedAt).toBeInstanceOf(Date);
	expect(onServer?.parts).toHaveLength(1);
	expect(onServer?.parts[0].qty).toBe('2.000');
	// The technician's own follow-up is a note: no rating (the customer's survey gives it).
	expect(onServer?.followUps).toMatchObject([{ satisfaction: null, issueResolved: null }]);
	await supervisor.context.close();
});
