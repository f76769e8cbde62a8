/**
 * Shared phones and tablets: signing out warns about changes still waiting and offers to send
 * them; online or offline it leaves nothing of the person who left readable in the browser, and
 * the server ends their session at its next contact; their waiting changes are kept sealed and
 * sent when they sign in again, while the next person only learns that such changes exist.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { demoAccount } from './helpers/demo';
import {
	createJob,
	expectPending,
	serverJob,
	signInTechnician,
	supervisorSession
} from './tech-helpers';

/** What the browser keeps for this site, as a page script can read it. */
async function browserStorage(page: Page) {
	return page.evaluate(async () => {
		const databases = (await indexedDB.databases()).map((database) => database.name ?? '');
		// Every byte of the parked changes, to search for what must not be readable.
		let parked = '';
		if (databases.includes('repairscore-parked')) {
			const idb = await new Promise<IDBDatabase>((resolve, reject) => {
				const request = indexedDB.open('repairscore-parked');
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
			const rows = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
				const all = idb.transaction('parcels').objectStore('parcels').getAll();
				all.onsuccess = () => resolve(all.result);
				all.onerror = () => reject(all.error);
			});
			idb.close();
			const decoder = new TextDecoder();
			parked = rows
				.map(({ sealed, ...rest }) => JSON.stringify(rest) + decoder.decode(sealed as ArrayBuffer))
				.join('\n');
		}
		return {
			databases,
			caches: await caches.keys(),
			localStorage: Object.keys(localStorage),
			sessionStorage: Object.fromEntries(Object.entries(sessionStorage)),
			parked
		};
	});
}

/** Before signing out: the technician's device store and the remembered identity are there. */
async function expectSomethingPersonal(page: Page) {
	await expect
		.poll(async () => {
			const storage = await browserStorage(page);
			return (
				storage.databases.some((name) => name.startsWith('repairscore-user-')) &&
				storage.localStorage.length > 0
			);
		})
		.toBe(true);
}

/** Nothing of any user left: no device store, no cache but the app's code, no web storage. */
async function expectNothingPersonal(page: Page) {
	const storage = await browserStorage(page);
	expect(storage.databases.filter((name) => name.startsWith('repairscore-user-'))).toEqual([]);
	expect(storage.caches.filter((name) => !name.startsWith('workbox-precache'))).toEqual([]);
	expect(storage.localStorage).toEqual([]);
	// SvelteKit itself writes scroll positions (numbers) and page snapshots at every navigation,
	// so after the move to /login; no page of this app exports a snapshot, so none holds data.
	const {
		'sveltekit:scroll': scroll,
		'sveltekit:snapshot': snapshot,
		...others
	} = storage.sessionStorage;
	expect(others).toEqual({});
	expect(snapshot ?? '{}').toBe('{}');
	expect(scroll ?? '{}').toMatch(/^\{("\d+":\{"x":\d+,"y":\d+\},?)*\}$/);
	return storage;
}

async function sessionCookie(context: BrowserContext) {
	const cookie = (await context.cookies()).find((candidate) => candidate.name === 'rs_session');
	if (!cookie) throw new Error('not signed in');
	return cookie;
}

/** Whether a session cookie still opens the technician app on the server. */
async function sessionStillValid(context: BrowserContext, cookie: { value: string }) {
	const response = await context.request.get('/tech', {
		headers: { cookie: `rs_session=${cookie.value}` },
		maxRedirects: 0
	});
	return response.status() === 200;
}

const signOutButton = (page: Page) => page.getByRole('button', { name: '退出登录' });
const warning = (page: Page) => page.getByRole('dialog', { name: '还有更改未发送' });

test('signing out with nothing waiting leaves the browser empty and ends the session', async ({
	page,
	context
}) => {
	await signInTechnician(page, 'lina');
	await expectSomethingPersonal(page);
	const cookie = await sessionCookie(context);

	await signOutButton(page).click();
	await expect(page).toHaveURL('/login');
	await expect(warning(page)).toHaveCount(0);
	await expect(page.getByLabel('账号')).toBeVisible();
	const storage = await expectNothingPersonal(page);
	expect(storage.parked).toBe('');
	expect(await sessionStillValid(context, cookie)).toBe(false);
});

test('signing out with changes waiting warns, and sends them first when asked', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	await signInTechnician(page, 'liuyang');
	await context.route('**/api/trpc/sync.push**', (route) => route.abort('connectionrefused'));
	const job = await createJob(page, { customer: '退出前发送的客户' });
	await expectPending(page, 1);

	// Cancel keeps everything as it was.
	await signOutButton(page).click();
	await expect(warning(page)).toContainText('本机有 1 项更改尚未发送到服务器。');
	await warning(page).getByRole('button', { name: '取消' }).click();
	await expect(warning(page)).toBeHidden();
	await expect(page).toHaveURL(/\/tech/);
	await expectPending(page, 1);

	// Sending fails while the server cannot be reached: the warning says so and stays.
	await signOutButton(page).click();
	await warning(page).getByRole('button', { name: '发送后退出' }).click();
	await expect(warning(page).getByRole('alert')).toHaveText('1 项更改未能发送：无法连接服务器。');
	await expect(page).toHaveURL(/\/tech/);

	await context.unroute('**/api/trpc/sync.push**');
	await warning(page).getByRole('button', { name: '发送后退出' }).click();
	await expect(page).toHaveURL('/login');
	const storage = await expectNothingPersonal(page);
	// Sent, so nothing had to be kept.
	expect(storage.parked).toBe('');

	const supervisor = await supervisorSession(browser, baseURL ?? '');
	expect((await serverJob(supervisor.request, job.id))?.job.customerName).toBe('退出前发送的客户');
	await supervisor.context.close();
});

test('signed out offline: the next person sees nothing of the previous one, who gets the changes sent on return', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	const leaving = demoAccount('yanglei');
	await signInTechnician(page, leaving.login);
	await expectSomethingPersonal(page);
	const cookie = await sessionCookie(context);

	await context.setOffline(true);
	const job = await createJob(page, { customer: '共用手机上的客户', phone: '13700001111' });
	await expectPending(page, 1);
	await signOutButton(page).click();
	await warning(page).getByRole('button', { name: '仍然退出' }).click();
	await expect(page).toHaveURL('/login');

	// Still offline: no page, store or cache shows who left or their customers.
	const storage = await expectNothingPersonal(page);
	for (const secret of ['共用手机上的客户', '13700001111', job.jobNo, leaving.name]) {
		expect(storage.parked).not.toContain(secret);
	}
	await expect(signOutButton(page)).toHaveCount(0);
	for (const path of ['/tech', `/tech?job=${job.id}`]) {
		await page.goto(path);
		await expect(page.getByText('共用手机上的客户')).toHaveCount(0);
		await expect(page.getByText(leaving.name)).toHaveCount(0);
		await expect(signOutButton(page)).toHaveCount(0);
	}

	// The network returns: the first request ends the session whose cookie the page could not delete.
	await context.setOffline(false);
	await page.goto('/tech');
	await expect(page).toHaveURL('/login');
	expect(await sessionStillValid(context, cookie)).toBe(false);

	// The next person is told that someone's changes wait here, and nothing about them.
	await signInTechnician(page, 'chenjing');
	const notice = page.getByRole('note');
	await expect(notice).toHaveText('本机加密保存着另外 1 个账号未发送的更改，待其本人登录后发送。');
	await expect(page.getByText('共用手机上的客户')).toHaveCount(0);
	await expect(page.getByText(leaving.name)).toHaveCount(0);
	await signOutButton(page).click();
	await expect(page).toHaveURL('/login');

	// The first technician returns: the kept change comes back and goes to the server.
	await signInTechnician(page, leaving.login);
	await expect(page.getByRole('note')).toHaveCount(0);
	await expect(page.getByRole('link', { name: new RegExp(job.jobNo) })).toBeVisible();
	const supervisor = await supervisorSession(browser, baseURL ?? '');
	expect((await serverJob(supervisor.request, job.id))?.job).toMatchObject({
		jobNo: job.jobNo,
		customerName: '共用手机上的客户'
	});
	await supervisor.context.close();
	expect((await browserStorage(page)).parked).toBe('');
});

test('the warning speaks English too', async ({ page, context }) => {
	await signInTechnician(page, 'wangqiang');
	await page.getByRole('group', { name: '语言' }).getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await context.setOffline(true);
	await page.getByRole('link', { name: 'New job' }).click();
	await page.getByLabel('Customer name').fill('English customer');
	await page.getByLabel('Product model').fill('KFR-35GW');
	await page.getByLabel('Fault category').selectOption({ index: 1 });
	await page.getByRole('button', { name: 'Save job' }).click();
	await expect(page.getByTestId('pending-count')).toHaveText('1 change(s) waiting');

	await page.getByRole('button', { name: 'Sign out' }).click();
	const dialog = page.getByRole('dialog', { name: 'Changes not sent yet' });
	await expect(dialog).toContainText('1 change(s) on this device have not reached the server.');
	await dialog.getByRole('button', { name: 'Send, then sign out' }).click();
	await expect(dialog.getByRole('alert')).toHaveText(
		'1 change(s) could not be sent: no connection to the server.'
	);
	await dialog.getByRole('button', { name: 'Sign out anyway' }).click();
	await expect(page).toHaveURL('/login');
	await expectNothingPersonal(page);
});
