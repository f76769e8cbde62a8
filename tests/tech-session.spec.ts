/**
 * Sessions and the device store: an expired session pauses syncing without losing anything and
 * resumes after signing in again; another person signing in on the same browser never sees or
 * sends the first person's data.
 */
import { expect, test } from '@playwright/test';
import {
	createJob,
	expectPending,
	expectSynced,
	serverJob,
	signInTechnician,
	supervisorSession,
	syncBar
} from './tech-helpers';
import { DEMO_PASSWORD } from './helpers/demo';

test('a session that expires mid-sync keeps the changes, and signing in again sends them', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	await signInTechnician(page, 'yanglei');
	await context.setOffline(true);
	const job = await createJob(page, { customer: '会话过期时的客户' });
	await expectPending(page, 1);

	// The session is gone (expired, or signed out elsewhere) when the network comes back.
	await context.clearCookies();
	await context.setOffline(false);
	const prompt = syncBar(page).getByRole('alert');
	await expect(prompt).toContainText('登录已过期。1 项更改安全地保存在本机');
	await expectPending(page, 1);
	await expect(page.getByRole('heading', { level: 1 })).toContainText(job.jobNo);

	await prompt.getByRole('link', { name: '重新登录' }).click();
	await page.getByLabel('账号').fill('yanglei');
	await page.getByLabel('密码').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page).toHaveURL('/tech');
	await expectSynced(page);
	await expect(page.getByRole('link', { name: new RegExp(job.jobNo) })).toBeVisible();

	const supervisor = await supervisorSession(browser, baseURL ?? '');
	expect((await serverJob(supervisor.request, job.id))?.job.customerName).toBe('会话过期时的客户');
	await supervisor.context.close();
});

test('a session that ends between push and pull: nothing lost, nothing applied twice', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	await signInTechnician(page, 'chenjing');
	await context.setOffline(true);
	const job = await createJob(page, { customer: '推送后会话结束的客户' });
	await expectPending(page, 1);

	// The push reaches the server and is applied; the session ends before the pull that would
	// confirm it, so the pull is answered 401 by the real server.
	let pushes = 0;
	await context.route('**/api/trpc/sync.push**', async (route) => {
		pushes += 1;
		await route.continue();
	});
	await context.route('**/api/trpc/sync.pull**', async (route) => {
		await context.clearCookies();
		const headers = { ...route.request().headers() };
		delete headers.cookie;
		await route.continue({ headers });
	});
	await context.setOffline(false);
	const prompt = syncBar(page).getByRole('alert');
	await expect(prompt).toContainText('登录已过期');
	expect(pushes).toBeGreaterThan(0);
	// Unconfirmed, so still waiting on the device.
	await expectPending(page, 1);
	await context.unrouteAll();

	await prompt.getByRole('link', { name: '重新登录' }).click();
	await page.getByLabel('账号').fill('chenjing');
	await page.getByLabel('密码').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page).toHaveURL('/tech');
	await expectSynced(page);
	await expect(page.getByRole('link', { name: new RegExp(job.jobNo) })).toHaveCount(1);

	// The resent push was recognised as already applied, not refused as a second create.
	await expect(syncBar(page).getByRole('link', { name: /被服务器拒绝/ })).toHaveCount(0);
	const supervisor = await supervisorSession(browser, baseURL ?? '');
	const onServer = await serverJob(supervisor.request, job.id);
	expect(onServer?.job).toMatchObject({ jobNo: job.jobNo, customerName: '推送后会话结束的客户' });
	await supervisor.context.close();
});

test("another technician signing in on the same browser neither sees nor sends the first one's work", async ({
	page,
	context,
	browser,
	baseURL
}) => {
	await signInTechnician(page, 'zhaomin');
	// Zhao Min's change cannot reach the server yet.
	await context.route('**/api/trpc/sync.push**', (route) => route.abort('connectionrefused'));
	const job = await createJob(page, { customer: '只属于赵敏的客户' });
	await expectPending(page, 1);

	// In a second tab, Zhao Min signs out, keeping her change on the device, and Huang Tao signs in.
	const other = await context.newPage();
	await other.goto('/tech');
	await other.getByRole('button', { name: '退出登录' }).click();
	await other.getByRole('dialog').getByRole('button', { name: '仍然退出' }).click();
	await expect(other).toHaveURL('/login');
	// Her first tab lets go of her device store and leaves with her: nothing of hers stays open.
	await expect(page).toHaveURL('/login');
	await expect(page.getByText('只属于赵敏的客户')).toHaveCount(0);
	await context.unroute('**/api/trpc/sync.push**');
	await other.getByLabel('账号').fill('huangtao');
	await other.getByLabel('密码').fill(DEMO_PASSWORD);
	await other.getByRole('button', { name: '登录', exact: true }).click();
	await expect(other).toHaveURL('/tech');
	await expectSynced(other);
	await expect(other.getByText('只属于赵敏的客户')).toHaveCount(0);
	await expect(other.getByRole('link', { name: new RegExp(job.jobNo) })).toHaveCount(0);
	// His syncing did not send her change.
	const supervisor = await supervisorSession(browser, baseURL ?? '');
	expect(await serverJob(supervisor.request, job.id)).toBeNull();

	// Zhao Min signs in again: her change goes out, as hers.
	await other.getByRole('button', { name: '退出登录' }).click();
	// Let the sign-out finish first: a new navigation would cut it off.
	await expect(other).toHaveURL('/login');
	await signInTechnician(other, 'zhaomin');
	await expect(other.getByRole('link', { name: new RegExp(job.jobNo) })).toBeVisible();
	expect((await serverJob(supervisor.request, job.id))?.job.customerName).toBe('只属于赵敏的客户');
	await supervisor.context.close();
});
