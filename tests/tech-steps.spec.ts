/**
 * A step of a visit (arrived, started) is one tap: a double tap records it once. The second tap
 * of a double tap lands where the first one was: on the same button while it is being written,
 * or on the next step's button once that has taken its place. Neither may record anything.
 */
import { expect, test, type Page } from '@playwright/test';
import { createJob, expectPending, signInTechnician } from './tech-helpers';

/** The second click of a double click at a point, alone (`detail` 2), as the browser sends it. */
async function secondClickOfDoubleClick(page: Page, x: number, y: number) {
	const cdp = await page.context().newCDPSession(page);
	for (const type of ['mousePressed', 'mouseReleased'] as const) {
		await cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 2 });
	}
	await cdp.detach();
}

test('a double tap on a step records the step once, and not the next one', async ({
	page,
	context
}) => {
	await signInTechnician(page, 'zhangwei');
	await createJob(page, { customer: '双击测试' });
	// Offline, what the taps recorded waits in the outbox, where it can be counted.
	await context.setOffline(true);
	await expectPending(page, 1);

	const arrived = page.getByRole('button', { name: '已到达' });
	const start = page.getByRole('button', { name: '开始维修' });
	const box = await arrived.boundingBox();
	expect(box).not.toBeNull();
	const x = box!.x + box!.width / 2;
	const y = box!.y + box!.height / 2;

	await page.mouse.dblclick(x, y);
	await expect(arrived).toHaveCount(0);
	await expectPending(page, 2);

	// "Start repair" now sits where "arrived" was: a double tap's second click there is ignored.
	const startBox = await start.boundingBox();
	expect(Math.abs(startBox!.y + startBox!.height / 2 - y)).toBeLessThan(startBox!.height / 2);
	await secondClickOfDoubleClick(page, x, y);
	await page.waitForTimeout(500);
	await expect(start).toBeVisible();
	await expectPending(page, 2);

	// A tap of its own records the step, once, whatever follows it.
	await start.dblclick();
	await expect(start).toHaveCount(0);
	await expectPending(page, 3);
	await page.waitForTimeout(500);
	await expectPending(page, 3);
});
