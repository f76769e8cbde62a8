/** The demo station's people, as seeded by scripts/start.mjs on the fresh e2e database. */
import { expect, type Page } from '@playwright/test';
import { DEMO_ACCOUNTS, DEMO_STATION, type DemoAccount } from '../../src/lib/server/demo/catalog';

export { DEMO_STATION };

/**
 * The password of every demo account in this test run: made at random by playwright.config.ts
 * and handed to the server's seed as DEMO_PASSWORD (a variable only test runs set).
 */
export const DEMO_PASSWORD: string = (() => {
	const password = process.env.DEMO_PASSWORD;
	if (!password)
		throw new Error('DEMO_PASSWORD is not set: run the tests through playwright.config.ts');
	return password;
})();

export const demoTechnicians = DEMO_ACCOUNTS.filter((account) => account.role === 'technician');

export function demoAccount(login: string): DemoAccount {
	const account = DEMO_ACCOUNTS.find((candidate) => candidate.login === login);
	if (!account) throw new Error(`The demo has no account "${login}"`);
	return account;
}

/** Fills the Chinese (default language) sign-in form the way a person would and submits it. */
export async function submitSignIn(page: Page, login: string, password: string): Promise<void> {
	await page.goto('/login');
	await page.getByLabel('账号').fill(login);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** Where each role lands after signing in (roles.md: a station admin's only station page). */
const START_PAGES: Record<string, string> = {
	technician: '/tech',
	supervisor: '/supervisor',
	admin: '/supervisor/import',
	dispatcher: '/desk'
};

export async function signInAs(page: Page, login: string): Promise<void> {
	await submitSignIn(page, login, DEMO_PASSWORD);
	await expect(page).toHaveURL(START_PAGES[demoAccount(login).role]);
}

/** One technician's row of the supervisor's table, as numbers. */
export async function technicianCounts(page: Page, technicianName: string) {
	const row = page
		.getByRole('table', { name: `${DEMO_STATION.name}的技师及其工单数` })
		.getByRole('row')
		.filter({ has: page.getByRole('rowheader', { name: technicianName }) });
	const cells = row.getByRole('cell');
	const number = async (index: number) => Number(await cells.nth(index).innerText());
	return {
		total: await number(0),
		completed: await number(1),
		open: await number(2),
		lastCompleted: (await cells.nth(3).innerText()).trim()
	};
}
