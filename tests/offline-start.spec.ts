/**
 * The installed app started with no network, the way a phone opens it from its icon: at the
 * manifest's start_url. Signed in, the technician's jobs open; signed out, a sign-in page that
 * says why it cannot sign in now. SvelteKit's generic error page ("出错了 (500)") never shows,
 * and its "back to the start page" leads out of it, not back in.
 */
import { expect, test, type Page } from '@playwright/test';
import { demoAccount, signInAs } from './helpers/demo';
import { expectServiceWorkerControl } from './helpers/pwa';
import { signInTechnician } from './tech-helpers';

/** The start URL the installed app opens, as the manifest gives it (read online, once). */
async function manifestStartUrl(page: Page): Promise<string> {
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	expect(href).toBeTruthy();
	const manifest = await (await page.request.get(href!)).json();
	expect(typeof manifest.start_url).toBe('string');
	return new URL(manifest.start_url, page.url()).pathname;
}

async function expectNoGenericError(page: Page) {
	await expect(page.getByRole('heading', { name: /出错了/ })).toHaveCount(0);
}

test("offline from the start URL, a signed-in technician's jobs open", async ({
	page,
	context
}) => {
	await signInTechnician(page, 'zhangwei');
	await expectServiceWorkerControl(page);
	const startUrl = await manifestStartUrl(page);
	// The list fills from the device store after the first pull: wait for it before counting.
	const jobLinks = page.getByRole('main').getByRole('link', { name: /工单号/ });
	await expect(jobLinks.first()).toBeVisible();
	const jobCount = await jobLinks.count();
	await context.setOffline(true);

	const response = await page.goto(startUrl);
	expect(response?.fromServiceWorker()).toBe(true);
	await expect(page).toHaveURL('/tech');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的工单');
	await expect(page.getByRole('banner')).toContainText(`${demoAccount('zhangwei').name}（技师）`);
	await expect(jobLinks).toHaveCount(jobCount);
	await expectNoGenericError(page);

	// A reload of the jobs themselves works the same way.
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的工单');
	await expect(jobLinks).toHaveCount(jobCount);
});

test('offline from the start URL, nobody signed in: a sign-in page that says to connect', async ({
	page,
	context
}) => {
	await page.goto('/login');
	await expectServiceWorkerControl(page);
	const startUrl = await manifestStartUrl(page);
	await context.setOffline(true);

	await page.goto(startUrl);
	await expect(page).toHaveURL('/login');
	await expect(page.getByRole('alert')).toHaveText(
		'当前离线。登录需要网络连接：请连接网络后再登录。'
	);
	await expectNoGenericError(page);

	// Trying anyway keeps the page and its explanation, not the error page.
	await page.getByLabel('账号').fill('zhangwei');
	await page.getByLabel('密码').fill('not-sent-anyway');
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page).toHaveURL('/login');
	await expect(page.getByRole('alert')).toHaveText(
		'当前离线。登录需要网络连接：请连接网络后再登录。'
	);
	await expectNoGenericError(page);

	// Back online the notice goes and signing in works.
	await context.setOffline(false);
	await expect(page.getByRole('alert')).toHaveCount(0);
});

test('offline, a page that needs the server says so, and "back to the start page" leaves it', async ({
	page,
	context
}) => {
	await page.goto('/login');
	await expectServiceWorkerControl(page);
	await signInAs(page, 'supervisor');
	await page.waitForLoadState('networkidle');
	const startUrl = await manifestStartUrl(page);
	await context.setOffline(true);

	// A page that reads the server and keeps no copy (docs/pwa.md): it says so.
	await page.goto('/desk/follow-ups');
	await expect(page).toHaveURL('/desk/follow-ups');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('当前离线');
	await expect(page.getByText('本设备上没有这个页面的副本')).toBeVisible();
	await expectNoGenericError(page);

	await page.getByRole('link', { name: '返回首页' }).click();
	await expect(page).toHaveURL('/supervisor');
	await expect(page.getByRole('heading', { level: 1, name: '当前离线' })).toHaveCount(0);
	await expectNoGenericError(page);

	// The start URL leads a supervisor to their own start page, offline too.
	await page.goto(startUrl);
	await expect(page).toHaveURL('/supervisor');
	await expectNoGenericError(page);
});
