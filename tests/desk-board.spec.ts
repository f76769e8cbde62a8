/**
 * The open-jobs board, the desk's start page: the demo's desk account lands on it, sees the
 * undispatched calls first and the overdue jobs marked, a job completed elsewhere leaves the board
 * without a reload, and offline the board still reads from the copy kept on the tablet.
 */
import { expect, test, type Page } from '@playwright/test';
import superjson from 'superjson';
import { signInAs } from './helpers/demo';
import { expectServiceWorkerControl } from './helpers/pwa';
import { supervisorSession } from './tech-helpers';

test.use({ viewport: { width: 1024, height: 768 } });

/** The jobs done today, listed after the open ones. */
const doneToday = (page: Page) => page.getByRole('region', { name: /^今天已完成/ });
/** The board's groups of open jobs (one section per technician, the unassigned ones first). */
const groups = (page: Page) =>
	page
		.getByRole('main')
		.getByRole('region')
		.filter({ hasNot: page.getByRole('heading', { name: /^今天已完成/ }) });
const jobRows = (page: Page) =>
	groups(page)
		.getByRole('row')
		.filter({ has: page.getByRole('link') });

test('the desk works from the board: unassigned first, overdue marked, kept fresh and offline', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	// The board's next poll comes up to 20 s after the change.
	test.setTimeout(120_000);
	await page.goto('/login');
	await expectServiceWorkerControl(page);
	await signInAs(page, 'desk');
	await expect(page.getByRole('heading', { level: 1, name: '在办工单' })).toBeVisible();
	await expect(page.getByText(/超过 12 小时为迟缓，超过 24 小时为超时/)).toBeVisible();

	// The calls nobody was dispatched to come first, each linking to its job.
	const first = groups(page).first();
	await expect(first.getByRole('heading', { level: 2 })).toHaveText(/^未派工 \d+$/);
	await expect(first.getByRole('link')).not.toHaveCount(0);
	await expect(first.getByRole('link').first()).toHaveAttribute('href', /^\/supervisor\/jobs\//);
	// Overdue jobs are marked so, with the technician's counts saying how many.
	const overdue = jobRows(page).filter({ hasText: '超时' });
	await expect(overdue).not.toHaveCount(0);
	const counts = page.getByRole('table', { name: '各技师未完工工单数' });
	await expect(counts.getByRole('columnheader').first()).toHaveText('未派工');

	// The supervisor completes a dispatched job from elsewhere: it leaves the board unreloaded.
	const dispatched = groups(page).nth(1);
	const jobLink = dispatched.getByRole('link').first();
	const jobNo = await jobLink.innerText();
	const jobId = (await jobLink.getAttribute('href'))!.split('/').pop()!;
	await expect(groups(page).getByRole('link', { name: jobNo, exact: true })).toBeVisible();
	const supervisor = await supervisorSession(browser, baseURL ?? '');
	const completed = await supervisor.request.post('/api/trpc/jobs.complete', {
		data: superjson.serialize({ jobId, completedAt: new Date(), outcome: 'fixed' })
	});
	expect(completed.ok()).toBe(true);
	await supervisor.context.close();
	// The board asks again every 20 s while it is visible: the job moves to today's done ones.
	await expect(groups(page).getByRole('link', { name: jobNo, exact: true })).toHaveCount(0, {
		timeout: 45_000
	});
	await expect(doneToday(page).getByRole('link', { name: jobNo, exact: true })).toBeVisible();
	await expect(page.getByText(/离线查看/)).toHaveCount(0);
	const shown = await jobRows(page).count();

	// Offline, the board reloads from the copy kept on the tablet, marked with its time.
	await page.waitForLoadState('networkidle');
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByText(/^离线查看：这是 .+ 时的数据。$/)).toBeVisible();
	await expect(groups(page).first().getByRole('heading', { level: 2 })).toHaveText(/^未派工 \d+$/);
	await expect(jobRows(page)).toHaveCount(shown);
	await expect(groups(page).getByRole('link', { name: jobNo, exact: true })).toHaveCount(0);
	// Filters never viewed online have no copy: the board says so instead of failing.
	await counts.getByRole('link', { name: '未派工' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'当前离线，本设备上没有按这些条件筛选的看板副本。'
	);

	await context.setOffline(false);
});

test('a supervisor reaches the board from the navigation and filters it', async ({ page }) => {
	await signInAs(page, 'supervisor');
	await page
		.getByRole('navigation', { name: '主管功能' })
		.getByRole('link', { name: '在办工单' })
		.click();
	await expect(page).toHaveURL('/desk');
	// The tablet shows the board without scrolling sideways.
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
	await page.getByLabel('等待时间').selectOption({ label: '仅超时' });
	await page.getByRole('button', { name: '筛选' }).click();
	await expect(page).toHaveURL(/age=overdue/);
	const rows = jobRows(page);
	await expect(rows).not.toHaveCount(0);
	for (const row of await rows.all()) await expect(row).toContainText('超时');
	await page.getByRole('link', { name: '清除筛选' }).click();
	await expect(page).toHaveURL('/desk');
});

test('a technician is not shown the board', async ({ page }) => {
	await signInAs(page, 'zhangwei');
	const response = await page.request.get('/desk/data.json');
	expect(response.status()).toBe(403);
});
