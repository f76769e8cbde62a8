/**
 * Offline, the scorecards (and job pages) viewed last stay readable from the copies the browser
 * kept, marked with the time they were computed, after a reload too; a page never viewed says so
 * instead of failing.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { signInAs } from './helpers/demo';
import { expectServiceWorkerControl } from './helpers/pwa';
import {
	lastQuarter,
	openQuarter,
	quarterTitle,
	rowLogins,
	scorecardTable
} from './helpers/scorecard';
import { previousPeriod } from '../src/lib/shared/time/periods';

/**
 * Going offline is only meaningful once the page runs as an app (see openQuarter): before its
 * scripts have started, a click on a link is a browser navigation, which offline shows the
 * browser's own error page.
 */
async function goOfflineOnceStarted(page: Page, context: BrowserContext) {
	await page.waitForLoadState('networkidle');
	await context.setOffline(true);
}

test.use({ viewport: { width: 1024, height: 768 } });

test('offline, the last viewed scorecards are shown as of the time they were loaded', async ({
	page,
	context
}) => {
	await signInAs(page, 'supervisor');
	const quarter = lastQuarter();
	const before = previousPeriod(quarter);
	await openQuarter(page, quarter);
	const logins = await rowLogins(scorecardTable(page));
	await expect(page.getByText(/离线查看/)).toHaveCount(0);

	// One more period viewed online, then the connection drops.
	await page.getByRole('link', { name: /^上一期/ }).click();
	await expect(scorecardTable(page)).toContainText(quarterTitle(before));
	await goOfflineOnceStarted(page, context);

	await page.getByRole('link', { name: /^下一期/ }).click();
	const table = scorecardTable(page);
	await expect(table).toContainText(quarterTitle(quarter));
	expect(await rowLogins(table)).toEqual(logins);
	await expect(page.getByText(/^离线查看：这是 .+ 时的数据。$/)).toBeVisible();
	// The download needs the server: it is not offered offline.
	await expect(page.getByRole('link', { name: '下载 CSV' })).toHaveCount(0);

	// A period never viewed on this device cannot be shown, and the page says why.
	await page.getByRole('link', { name: /^上一期/ }).click();
	await expect(page.getByRole('heading', { level: 2, name: quarterTitle(before) })).toBeVisible();
	await page.getByRole('link', { name: /^上一期/ }).click();
	await expect(page.getByRole('alert')).toHaveText('当前离线，本设备上没有这一期成绩单的副本。');
	await expect(scorecardTable(page)).toHaveCount(0);

	// Back online, the numbers come fresh from the server, without the note.
	await context.setOffline(false);
	await page.getByRole('link', { name: /^下一期/ }).click();
	await expect(scorecardTable(page)).toContainText(quarterTitle(before));
	await expect(page.getByText(/离线查看/)).toHaveCount(0);
	await expect(page.getByRole('link', { name: '下载 CSV' })).toBeVisible();
});

test("offline, a technician's page viewed before is shown from the copy too", async ({
	page,
	context
}) => {
	await signInAs(page, 'supervisor');
	const quarter = lastQuarter();
	await openQuarter(page, quarter);
	await scorecardTable(page).getByRole('link', { name: '张伟' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '张伟的成绩单' })).toBeVisible();
	await page.getByRole('link', { name: /^上一期/ }).click();
	await expect(
		page.getByRole('heading', { level: 2, name: quarterTitle(previousPeriod(quarter)) })
	).toBeVisible();
	await goOfflineOnceStarted(page, context);

	await page.getByRole('link', { name: /^下一期/ }).click();
	await expect(page.getByRole('heading', { level: 2, name: quarterTitle(quarter) })).toBeVisible();
	await expect(page.getByText(/^离线查看：这是 .+ 时的数据。$/)).toBeVisible();
	await expect(page.getByRole('table', { name: /^张伟各项指标/ })).toBeVisible();
});

test('offline, the scorecard, a technician and a job seen online reload from their copies; pages never seen say so', async ({
	page,
	context
}) => {
	await page.goto('/login');
	await expectServiceWorkerControl(page);
	await signInAs(page, 'supervisor');
	const quarter = lastQuarter();
	await openQuarter(page, quarter);
	const scorecardUrl = page.url();
	const table = scorecardTable(page);
	const technicianLinks = table.getByRole('link', { name: /^\p{Script=Han}+$/u });
	const otherTechnicianUrl = await technicianLinks
		.filter({ hasNotText: '张伟' })
		.first()
		.getAttribute('href');

	// Opened inside the app (client-side navigations), as a supervisor does.
	await table.getByRole('link', { name: '张伟' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '张伟的成绩单' })).toBeVisible();
	const technicianUrl = page.url();
	const jobLinks = page.getByRole('main').locator('a[href^="/supervisor/jobs/"]');
	const otherJobUrl = await jobLinks.nth(1).getAttribute('href');
	await jobLinks.first().click();
	await expect(page.getByRole('heading', { level: 1, name: /^工单 / })).toBeVisible();
	const jobTitle = await page.getByRole('heading', { level: 1 }).innerText();
	await expect(page.getByRole('button', { name: '改派' })).toBeVisible();
	await goOfflineOnceStarted(page, context);

	const asOf = page.getByText(/^离线查看：这是 .+ 时的数据。$/);
	// Reloaded: the browser asks the (absent) server, the service worker answers with the app
	// shell, and the page comes back from the device's copy.
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(jobTitle);
	await expect(asOf).toBeVisible();
	// Decisions need the server: not offered on a copy.
	await expect(page.getByRole('button', { name: '改派' })).toHaveCount(0);

	await page.goto(technicianUrl);
	await expect(page.getByRole('heading', { level: 1, name: '张伟的成绩单' })).toBeVisible();
	await expect(page.getByRole('table', { name: /^张伟各项指标/ })).toBeVisible();
	await expect(asOf).toBeVisible();

	await page.goto(scorecardUrl);
	await expect(scorecardTable(page)).toContainText(quarterTitle(quarter));
	await expect(asOf).toBeVisible();

	// Never opened on this device: said plainly, inside the app, not an error page or a blank one.
	await page.goto(otherTechnicianUrl!);
	await expect(page.getByRole('alert')).toHaveText('当前离线，本设备上没有这一期成绩单的副本。');
	await page.goto(otherJobUrl!);
	await expect(page.getByRole('alert')).toHaveText('当前离线，本设备上没有这个工单的副本。');
	await expect(page.getByRole('heading', { name: /出错了/ })).toHaveCount(0);
});

test('offline, the alerts seen online reload from their copy; a review page never seen says so', async ({
	page,
	context
}) => {
	await page.goto('/login');
	await expectServiceWorkerControl(page);
	await signInAs(page, 'supervisor');
	await page
		.getByRole('navigation', { name: '主管功能' })
		.getByRole('link', { name: '预警' })
		.click();
	await expect(page.getByRole('heading', { level: 1, name: '预警' })).toBeVisible();
	const summary = await page.getByRole('main').getByRole('status').first().innerText();
	await goOfflineOnceStarted(page, context);

	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: '预警' })).toBeVisible();
	await expect(page.getByText(/^离线查看：这是 .+ 时的数据。$/)).toBeVisible();
	await expect(page.getByRole('main').getByText(summary)).toBeVisible();

	await page.goto('/supervisor/quality');
	await expect(page.getByRole('heading', { level: 1, name: '数据质量' })).toBeVisible();
	await expect(page.getByRole('alert')).toHaveText('当前离线，本设备上没有这一期此页面的副本。');
	await expect(page.getByRole('heading', { name: /出错了/ })).toHaveCount(0);
});
