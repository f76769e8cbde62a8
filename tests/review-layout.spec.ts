import { expect, test, type Page } from '@playwright/test';
import { signInAs } from './helpers/demo';

const PAGES = ['alerts', 'follow-ups', 'quality', 'import'];

async function horizontalOverflow(page: Page): Promise<number> {
	return page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
}

for (const viewport of [
	{ width: 360, height: 780 },
	{ width: 768, height: 1024 },
	{ width: 1280, height: 800 }
]) {
	test.describe(`${viewport.width}×${viewport.height}`, () => {
		test.use({ viewport });

		test('the review pages fit the screen without scrolling sideways', async ({ page }) => {
			await signInAs(page, 'supervisor');
			for (const path of PAGES) {
				await page.goto(`/supervisor/${path}`);
				await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
				// Open the first call form and the first quality group: the widest content.
				const disclosure = page.locator('main details summary').first();
				if (await disclosure.isVisible()) await disclosure.click();
				expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
			}
		});
	});
}
