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

/** How much of the viewport's height the sync bar covers right now (0 when scrolled away). */
function syncBarCover(page: Page): Promise<number> {
	return page.getByRole('region', { name: '同步状态' }).evaluate((bar) => {
		const box = bar.getBoundingClientRect();
		const visible = Math.min(box.bottom, innerHeight) - Math.max(box.top, 0);
		return Math.max(0, visible) / innerHeight;
	});
}

test('the sync bar stays in view while scrolling, but never covers a third of the screen at 200 % text', async ({
	page
}) => {
	await signInAs(page, 'zhangwei');
	await expect(
		page
			.getByRole('main')
			.getByRole('link', { name: /工单号/ })
			.first()
	).toBeVisible();

	// Normal text: a thin strip that stays at the top as the list scrolls under it.
	await page.evaluate(() => scrollTo(0, 600));
	await expect.poll(() => syncBarCover(page)).toBeGreaterThan(0);
	expect(await syncBarCover(page)).toBeLessThan(0.15);

	// Text at 200 %, as the phone's accessibility setting makes it (the app's root size doubled).
	await page.evaluate(() => {
		document.documentElement.style.fontSize = '212.5%';
		scrollTo(0, 0);
	});
	for (const scrolled of [400, 1200, 2400]) {
		await page.evaluate((y) => scrollTo(0, y), scrolled);
		await expect
			.poll(() => syncBarCover(page), `covered after scrolling ${scrolled}px`)
			.toBeLessThan(1 / 3);
	}
});

/** Sums the page's layout shifts not caused by input, as CLS does (read as `window.layoutShift`). */
function observeLayoutShifts() {
	const total = window as unknown as { layoutShift: number };
	total.layoutShift = 0;
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries() as (PerformanceEntry & {
			value: number;
			hadRecentInput: boolean;
		})[]) {
			if (!entry.hadRecentInput) total.layoutShift += entry.value;
		}
	}).observe({ type: 'layout-shift', buffered: true });
}

test('the technician page does not shift while it opens (CLS under 0.1)', async ({ page }) => {
	// Signed in once: the device store holds the jobs, as on every later start.
	await signInAs(page, 'zhangwei');
	await page.addInitScript(observeLayoutShifts);
	// A slow network: the start-up sync answers after the list is on screen, as on a phone, so
	// whatever its answer changes on the page happens in view.
	await page.route('**/api/trpc/**', async (route) => {
		await new Promise((resolve) => setTimeout(resolve, 800));
		await route.continue();
	});
	for (const attempt of ['first', 'second']) {
		await page.goto('/tech');
		await expect(
			page
				.getByRole('main')
				.getByRole('link', { name: /工单号/ })
				.first()
		).toBeVisible();
		// Until the start-up sync has answered and the page is still.
		await expect(page.getByTestId('pending-count')).toHaveText('全部已同步');
		await page.waitForLoadState('networkidle');
		await page.waitForTimeout(1000);
		const cls = await page.evaluate(
			() => (window as unknown as { layoutShift: number }).layoutShift
		);
		// The target is CLS under 0.1 ("good"); the page reserves its space, so nothing should
		// move at all: a shift of a line of the sync bar alone (~0.1 here) fails this.
		expect(cls, `cumulative layout shift of /tech (${attempt} load)`).toBeLessThan(0.05);
	}
});
