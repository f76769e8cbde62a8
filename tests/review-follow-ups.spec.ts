import { expect, test } from '@playwright/test';
import { signInAs } from './helpers/demo';

test.use({ viewport: { width: 1024, height: 768 } });

test('the old follow-up queue opens the desk worklist, paged, the longest due first', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await page
		.getByRole('navigation', { name: '主管功能' })
		.getByRole('link', { name: '回访电话' })
		.click();
	await expect(page).toHaveURL('/desk/follow-ups');
	await page.goto('/supervisor/follow-ups?page=2');
	await expect(page).toHaveURL('/desk/follow-ups?page=2');
	await page.goto('/desk/follow-ups');

	const list = page.getByRole('list', { name: '待回访工单' });
	// Nobody called these yet: each is due since its completion, the first <time> of its card.
	const completedTimes = () =>
		list
			.getByRole('listitem')
			.evaluateAll((items) =>
				items.map((item) => item.querySelector('time')!.getAttribute('datetime')!)
			);
	const times = await completedTimes();
	expect(times.length).toBe(20);
	expect([...times].sort()).toEqual(times);
	await expect(list.getByRole('link', { name: /^☎/ }).first()).toHaveAttribute(
		'href',
		/^tel:\+?\d+$/
	);

	const pages = page.getByRole('navigation', { name: '分页' });
	await pages.getByRole('link', { name: '下一页' }).click();
	await expect(page).toHaveURL('/desk/follow-ups?page=2');
	const firstOnPageTwo = (await completedTimes())[0];
	expect(firstOnPageTwo >= times[times.length - 1]).toBe(true);
	await expect(pages.getByRole('link', { name: '上一页' })).toBeVisible();
});
