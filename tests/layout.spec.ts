import { expect, test, type Page } from '@playwright/test';
import { signInAs } from './helpers/demo';

/** The smallest comfortable touch target (WCAG 2.5.5, and what gloved fingers need). */
const MIN_TOUCH = 44;

async function expectPhoneFriendly(page: Page) {
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow, 'the page must not scroll sideways').toBeLessThanOrEqual(0);

	const controls = page
		.getByRole('button')
		.or(page.getByRole('textbox'))
		.or(page.getByRole('link'))
		.or(page.locator('summary'));
	const count = await controls.count();
	expect(count).toBeGreaterThan(0);
	for (let i = 0; i < count; i++) {
		const control = controls.nth(i);
		if (!(await control.isVisible())) continue;
		const box = await control.boundingBox();
		const name = (await control.innerText().catch(() => '')) || (await control.getAttribute('id'));
		expect(box?.height, `height of "${name}"`).toBeGreaterThanOrEqual(MIN_TOUCH);
		expect(box?.width, `width of "${name}"`).toBeGreaterThanOrEqual(MIN_TOUCH);
	}
}

test('the sign-in page fits a phone and has large touch targets', async ({ page }) => {
	await page.goto('/login');
	await page.getByText('其他服务站？').click();
	await expectPhoneFriendly(page);
});

test("the technician's page fits a phone and has large touch targets", async ({ page }) => {
	await signInAs(page, 'zhangwei');
	await expectPhoneFriendly(page);
});
