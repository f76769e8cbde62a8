/**
 * The technician app open in two tabs of one browser: one tab syncs at a time (a Web Lock), and
 * the other shows what it did through the shared local database. The app also asks the browser
 * to keep its storage (navigator.storage.persist) once a technician is signed in.
 */
import { expect, test, type Page } from '@playwright/test';
import {
	createJob,
	expectAllSynced,
	expectPending,
	expectSynced,
	serverJob,
	signInTechnician,
	supervisorSession
} from './tech-helpers';

test.use({ viewport: { width: 390, height: 844 } });

test('two tabs of one technician sync one at a time and show the same jobs', async ({
	context,
	page,
	browser,
	baseURL
}) => {
	// Counts the app's requests for persistent storage, in every tab of this browser.
	await context.addInitScript(() => {
		const storage = navigator.storage;
		const persist = storage.persist.bind(storage);
		Object.assign(window, { persistRequests: 0 });
		storage.persist = () => {
			Object.assign(window, {
				persistRequests: (window as never as { persistRequests: number }).persistRequests + 1
			});
			return persist();
		};
	});
	const persistRequests = (tab: Page) =>
		tab.evaluate(() => (window as never as { persistRequests: number }).persistRequests);

	await signInTechnician(page, 'wangqiang');
	const other = await context.newPage();
	await other.goto('/tech');
	await expectSynced(other);

	// Every push waits at the server's door until the test lets it through.
	const pushesFrom = new Map<Page, number>([
		[page, 0],
		[other, 0]
	]);
	for (const tab of [page, other]) {
		tab.on('request', (request) => {
			if (request.url().includes('/api/trpc/sync.push')) {
				pushesFrom.set(tab, pushesFrom.get(tab)! + 1);
			}
		});
	}
	let openDoor!: () => void;
	const door = new Promise<void>((resolve) => (openDoor = resolve));
	await context.route('**/api/trpc/sync.push**', async (route) => {
		await door;
		await route.continue();
	});

	// The first tab saves a job and starts pushing it; the second tab's sync finds it busy.
	const job = await createJob(page, { customer: '两个标签页的客户' });
	await expect.poll(() => pushesFrom.get(page)).toBe(1);
	await expectPending(other, 1);
	await other.getByRole('button', { name: '立即同步' }).click();
	await other.waitForTimeout(1_000);
	expect(pushesFrom.get(other)).toBe(0);

	openDoor();
	await expectSynced(page);
	// The second tab sees the job and its synced state through the shared database.
	await expectAllSynced(other);
	await expect(other.getByRole('link', { name: new RegExp(job.jobNo) })).toHaveCount(1);
	expect(pushesFrom.get(page)! + pushesFrom.get(other)!).toBe(1);

	const supervisor = await supervisorSession(browser, baseURL ?? '');
	const onServer = await serverJob(supervisor.request, job.id);
	expect(onServer?.job).toMatchObject({ jobNo: job.jobNo, customerName: '两个标签页的客户' });
	await supervisor.context.close();

	expect(await persistRequests(page)).toBeGreaterThan(0);
	expect(await persistRequests(other)).toBeGreaterThan(0);
});
