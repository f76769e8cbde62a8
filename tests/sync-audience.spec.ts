/**
 * Who pulls (issue 15, docs/sync.md "First sync"): a technician's phone pulls its own history; a
 * supervisor's tablet pulls nothing, the station's whole history least of all: its pages read
 * the server, and the technician app sends it to its own start page.
 */
import { expect, test, type Page } from '@playwright/test';
import { demoTechnicians, signInAs } from './helpers/demo';

/** The sync calls a page makes while it is watched. */
function syncCalls(page: Page): string[] {
	const calls: string[] = [];
	page.on('request', (request) => {
		const { pathname } = new URL(request.url());
		if (pathname.startsWith('/api/trpc/sync.')) calls.push(pathname);
	});
	return calls;
}

test('a supervisor’s tablet never pulls the station; a technician’s phone pulls its own', async ({
	browser
}) => {
	const tablet = await browser.newContext();
	const supervisor = await tablet.newPage();
	const supervisorCalls = syncCalls(supervisor);
	await signInAs(supervisor, 'supervisor');
	await expect(supervisor.getByRole('heading', { level: 1, name: '服务站首页' })).toBeVisible();
	await supervisor.goto('/tech');
	await expect(supervisor).not.toHaveURL(/\/tech/);
	await expect(supervisor.getByRole('heading', { level: 1, name: '服务站首页' })).toBeVisible();
	await supervisor.waitForLoadState('networkidle');

	const phone = await browser.newContext();
	const technician = await phone.newPage();
	const technicianCalls = syncCalls(technician);
	await signInAs(technician, demoTechnicians[0].login);
	await expect(technician).toHaveURL('/tech');
	await expect.poll(() => technicianCalls).toContain('/api/trpc/sync.pullColumns');

	expect(supervisorCalls).toEqual([]);
	await tablet.close();
	await phone.close();
});
