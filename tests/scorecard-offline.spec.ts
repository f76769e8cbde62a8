/**
 * Offline, the scorecards viewed last stay readable from the copies the browser kept, marked
 * with the time they were computed; a period never viewed says so instead of failing.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { signInAs } from './helpers/demo';
import {
	lastQuarter,
	openQuarter,
	quarterTitle,
	rowLogins,
	scorecardTable
} from './helpers/scorecard';
import { previousPeriod } from '../src/lib/client/scorecard/period';

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
