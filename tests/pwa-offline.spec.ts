/**
 * Offline behaviour of the service worker: navigations fall back to the cached app shell, in
 * which SvelteKit's client router renders the route asked for (technician screens from the
 * device store, with the person remembered on the device); /api/ is never answered from the cache.
 */
import { expect, test, type Page } from '@playwright/test';
import { demoAccount } from './helpers/demo';
import { signInTechnician } from './tech-helpers';
import { expectServiceWorkerControl } from './helpers/pwa';

/** The login form's field, only in the server-rendered page: the shell has no page in it. */
const SERVER_RENDERED_LOGIN_FORM = 'name="login"';

/**
 * The shell's body is empty: what shows was rendered in the browser by SvelteKit's client
 * router, which started at the URL asked for (the language switch returns to that URL).
 */
async function expectAppStartedAt(page: Page, path: string) {
	await expect(page).toHaveURL(path);
	const header = page.getByRole('banner');
	await expect(header.getByRole('link', { name: 'RepairScore 维修绩效' })).toBeVisible();
	await expect(header.getByRole('group', { name: '语言' })).toBeVisible();
	await expect(header.locator('input[name="returnTo"]')).toHaveValue(path);
}

test('the service worker controls the page from the first visit, without a reload', async ({
	page
}) => {
	await page.goto('/login');
	await expectServiceWorkerControl(page);
	expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
});

test('online, pages still come from the server, not from the cache', async ({ page }) => {
	await page.goto('/login');
	await expectServiceWorkerControl(page);

	const response = await page.goto('/login');
	expect(response?.status()).toBe(200);
	expect(await response?.text()).toContain(SERVER_RENDERED_LOGIN_FORM);
	await expect(page.getByLabel('账号')).toBeVisible();
});

test('offline, a navigation is answered with the app shell, and the app starts in it', async ({
	page,
	context
}) => {
	await page.goto('/login');
	await expectServiceWorkerControl(page);
	await context.setOffline(true);

	// Nobody has signed in on this device, so every page leads to the sign-in page, rendered in
	// the browser; two levels down too, which needs absolute asset paths (docs/pwa.md).
	for (const path of ['/login', '/supervisor', '/supervisor/technicians/someone']) {
		const response = await page.goto(path);
		expect(response?.fromServiceWorker(), `${path} answered by the service worker`).toBe(true);
		expect(response?.status()).toBe(200);
		expect(await response?.text()).not.toContain(SERVER_RENDERED_LOGIN_FORM);
		await expectAppStartedAt(page, '/login');
		await expect(page.getByLabel('账号')).toBeVisible();
	}
});

test('offline, every technician screen opens in the app shell, for the remembered technician', async ({
	page,
	context
}) => {
	await signInTechnician(page, 'zhangwei');
	const jobLink = page
		.getByRole('main')
		.getByRole('link', { name: /工单号/ })
		.first();
	const jobNo = (await jobLink.innerText()).match(/工单号\s*(\S+)/)?.[1] ?? '';
	const jobPath = (await jobLink.getAttribute('href')) ?? '';
	await context.setOffline(true);

	const screens: [string, RegExp | string][] = [
		['/tech', '我的工单'],
		['/tech?view=new', '新建工单'],
		[jobPath, new RegExp(jobNo)]
	];
	for (const [path, heading] of screens) {
		const response = await page.goto(path);
		expect(response?.fromServiceWorker(), `${path} answered by the service worker`).toBe(true);
		await expect(page).toHaveURL(path);
		await expect(page.getByRole('banner')).toContainText(`${demoAccount('zhangwei').name}（技师）`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
	}
});

test('offline, /api/ requests fail instead of being answered from the cache', async ({
	page,
	context
}) => {
	await page.goto('/login');
	await expectServiceWorkerControl(page);
	const callApi = () =>
		page.evaluate(() =>
			fetch('/api/trpc/no.such.procedure').then(
				(response) => `answered ${response.status}`,
				() => 'failed'
			)
		);
	expect(await callApi()).toBe('answered 404');

	await context.setOffline(true);
	expect(await callApi()).toBe('failed');
	// Not even a navigation to /api/ gets the app shell.
	await expect(page.goto('/api/trpc/no.such.procedure')).rejects.toThrow(
		/ERR_INTERNET_DISCONNECTED/
	);
});
