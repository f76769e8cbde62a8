import { expect, test } from '@playwright/test';
import { signInAs } from './helpers/demo';

/** The demo station's wall-clock time (UTC+8) `hoursAgo` hours ago, as datetime-local text. */
function shanghaiTime(hoursAgo: number): string {
	return new Date(Date.now() + (8 - hoursAgo) * 60 * 60 * 1000).toISOString().slice(0, 16);
}

test('a supervisor calls the oldest customer, records the follow-up, and the job leaves the queue', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await page.goto('/supervisor/follow-ups');
	await expect(page.getByRole('heading', { level: 1, name: '回访队列' })).toBeVisible();
	const countText = await page.getByText(/^共 \d+ 单待回访/).innerText();
	const waiting = Number(/共 (\d+) 单/.exec(countText)![1]);
	expect(waiting).toBeGreaterThan(0);

	const queue = page.getByRole('list', { name: '待回访工单' });
	const oldest = queue.getByRole('listitem').first();
	const jobNo = (await oldest.getByRole('heading', { level: 2 }).innerText())
		.replace(/^工单号\s*/, '')
		.trim();
	const call = oldest.getByRole('link', { name: /^致电/ });
	await expect(call).toHaveAttribute('href', /^tel:\+?\d+$/);

	await oldest.getByLabel(`记录工单 ${jobNo} 的回访`).click();
	await expect(oldest.getByLabel('回访方式')).toHaveValue('phone');
	await oldest.getByRole('radio', { name: '4', exact: true }).check();
	await oldest.getByRole('radio', { name: '已解决' }).check();
	await oldest.getByLabel('备注').fill('客户确认设备运行正常');

	// A time in the future is refused, in Chinese, beside the field, and nothing is saved.
	await oldest.getByLabel('回访时间').fill('2099-01-01T10:00');
	await oldest.getByRole('button', { name: '保存回访' }).click();
	await expect(oldest.getByRole('alert')).toHaveText('请检查标出的项目。');
	await expect(oldest.getByText('回访时间不能晚于现在。')).toBeVisible();
	await expect(oldest.getByLabel('回访时间')).toHaveAttribute('aria-invalid', 'true');
	await expect(oldest.getByRole('radio', { name: '4', exact: true })).toBeChecked();

	await oldest.getByLabel('回访时间').fill(shanghaiTime(1));
	await oldest.getByRole('button', { name: '保存回访' }).click();
	await expect(page.getByRole('status')).toHaveText(`工单 ${jobNo} 的回访已保存，已移出队列。`);
	await expect(queue.getByRole('heading', { level: 2, name: jobNo })).toHaveCount(0);
	await expect(page.getByText(new RegExp(`^共 ${waiting - 1} 单待回访`))).toBeVisible();

	// Still gone after a fresh load, on any page of the queue.
	await page.reload();
	await expect(page.getByRole('heading', { level: 2, name: jobNo })).toHaveCount(0);
});

test('the queue is paged, oldest completion first', async ({ page }) => {
	await signInAs(page, 'supervisor');
	await page.goto('/supervisor/follow-ups');
	const times = await page
		.getByRole('list', { name: '待回访工单' })
		.locator('time')
		.evaluateAll((elements) => elements.map((element) => element.getAttribute('datetime')!));
	expect(times.length).toBe(20);
	expect([...times].sort()).toEqual(times);

	const pages = page.getByRole('navigation', { name: '分页' });
	await pages.getByRole('link', { name: '下一页' }).click();
	await expect(page).toHaveURL('/supervisor/follow-ups?page=2');
	const firstOnPageTwo = await page.locator('time').first().getAttribute('datetime');
	expect(firstOnPageTwo! >= times[times.length - 1]).toBe(true);
	await expect(pages.getByRole('link', { name: '上一页' })).toBeVisible();
});
