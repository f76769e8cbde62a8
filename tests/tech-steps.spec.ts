/**
 * A step of a visit (arrived, started) is one tap: a double tap records it once. The second tap
 * of a double tap lands where the first one was, on the same button while it is being written,
 * or on the next step's button that takes its place; neither may record anything.
 */
import { expect, test } from '@playwright/test';
import { createJob, expectPending, signInTechnician } from './tech-helpers';

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
	const box = await arrived.boundingBox();
	expect(box).not.toBeNull();
	const x = box!.x + box!.width / 2;
	const y = box!.y + box!.height / 2;
	// Two taps on the same spot, as quickly as a finger does.
	await page.touchscreen.tap(x, y);
	await page.waitForTimeout(120);
	await page.touchscreen.tap(x, y);

	await expect(arrived).toHaveCount(0);
	await expect(page.getByRole('button', { name: '开始维修' })).toBeVisible();
	await expectPending(page, 2);

	// A later, deliberate tap on the next step still works, once.
	await page.waitForTimeout(700);
	const start = page.getByRole('button', { name: '开始维修' });
	await start.dblclick();
	await expect(start).toHaveCount(0);
	await expectPending(page, 3);
	await page.waitForTimeout(1000);
	await expectPending(page, 3);
});
