/**
 * The pages work under the Content-Security-Policy (svelte.config.js kit.csp): signing in, the
 * technician app, the supervisor's scorecard and a technician's Chart.js trends run without a
 * single violation report, so nothing the app needs is blocked.
 */
import { expect, test, type Page } from '@playwright/test';
import { demoTechnicians, signInAs } from './helpers/demo';
import { scorecardTable } from './helpers/scorecard';

/** Every CSP violation the page reports, from the DOM event and from the console. */
function recordViolations(page: Page): string[] {
	const violations: string[] = [];
	page.on('console', (message) => {
		if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
	});
	void page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) => {
			console.error(
				`Refused to load: CSP violation of ${event.violatedDirective} by ${event.blockedURI}`
			);
		});
	});
	return violations;
}

test('sign-in and the technician app run without a CSP violation', async ({ page }) => {
	const violations = recordViolations(page);
	await page.goto('/login');
	await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
	await signInAs(page, demoTechnicians[0].login);
	await expect(page.getByRole('region', { name: '同步状态' })).toBeVisible();
	// The service worker registered and took the page: its script ran under the policy too.
	await expect
		.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), {
			timeout: 20_000
		})
		.toBe(true);
	await page.reload();
	await expect(page.getByRole('region', { name: '同步状态' })).toBeVisible();
	expect(violations).toEqual([]);
});

test('the supervisor pages and Chart.js trends run without a CSP violation', async ({ page }) => {
	test.setTimeout(60_000);
	await page.setViewportSize({ width: 1024, height: 768 });
	const violations = recordViolations(page);
	await signInAs(page, 'supervisor');
	await expect(scorecardTable(page)).toBeVisible();
	await scorecardTable(page).getByRole('link').first().click();
	const trends = page.getByRole('region', { name: '近 12 个月趋势' });
	await expect(trends.locator('canvas')).toHaveCount(10);
	await expect(trends.getByText('正在加载图表…')).toHaveCount(0);
	expect(violations).toEqual([]);
});
