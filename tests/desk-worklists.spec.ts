/**
 * The desk's worklists on the supervisor's tablet (a supervisor does everything the desk does):
 * follow-up calls that stay due until a call reaches the customer, bulk verification, and the
 * reworks side by side.
 */
import { expect, test } from '@playwright/test';
import { signInAs } from './helpers/demo';

test.use({ viewport: { width: 1024, height: 768 } });

test('a call nobody answers keeps the job due; a reached call with satisfaction clears it', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await page.goto('/desk/follow-ups');
	await expect(page.getByRole('heading', { level: 1, name: '回访电话' })).toBeVisible();
	const list = page.getByRole('list', { name: '待回访工单' });
	const first = list.getByRole('listitem').first();
	const jobNo = (await first.getByRole('heading', { level: 2 }).innerText())
		.replace(/^工单号\s*/, '')
		.trim();
	const job = page.getByRole('listitem', { name: `工单 ${jobNo}` });

	await job.getByLabel(`记录工单 ${jobNo} 的回访通话`).click();
	// Satisfaction belongs to a reached call only.
	await expect(job.getByRole('group', { name: '满意度' })).toHaveCount(0);
	await job.getByRole('radio', { name: '无人接听' }).check();
	await job.getByLabel('备注').fill('响铃无人接');
	await job.getByRole('button', { name: '保存通话' }).click();
	await expect(page.getByRole('status')).toHaveText(`工单 ${jobNo} 的通话已保存，仍待回访。`);

	// Still due, shown with its attempt and when to try again (filtered by the last outcome).
	await page.getByLabel('上次通话').selectOption({ label: '无人接听' });
	await page.getByRole('button', { name: '显示' }).click();
	await expect(page).toHaveURL(/outcome=no_answer/);
	await expect(job).toBeVisible();
	await expect(job.getByText(/\d{2}:\d{2} 后再拨/)).toBeVisible();
	await expect(job.getByText('无人接听 ·')).toBeVisible();

	await job.getByLabel(`记录工单 ${jobNo} 的回访通话`).click();
	await job.getByRole('radio', { name: '已联系上' }).check();
	await job.getByRole('radio', { name: '4', exact: true }).check();
	await job.getByRole('radio', { name: '已解决' }).check();
	await job.getByRole('button', { name: '保存通话' }).click();
	await expect(page.getByRole('status')).toHaveText(`工单 ${jobNo} 已回访。`);
	await expect(job).toHaveCount(0);

	// Gone from the whole list, after a fresh load too.
	await page.goto('/desk/follow-ups');
	await expect(page.getByRole('list', { name: '待回访工单' })).toBeVisible();
	await expect(page.getByRole('listitem', { name: `工单 ${jobNo}` })).toHaveCount(0);
});

test('a supervisor verifies two jobs at once', async ({ page }) => {
	await signInAs(page, 'supervisor');
	await page.goto('/supervisor/verify');
	await expect(page.getByRole('heading', { level: 1, name: '工单审核' })).toBeVisible();
	const total = Number(
		/共 (\d+) 张工单/.exec(await page.getByText(/^共 \d+ 张工单/).innerText())![1]
	);
	expect(total).toBeGreaterThan(2);

	const boxes = page.getByRole('checkbox', { name: /^选择工单/ });
	const picked: string[] = [];
	for (const index of [0, 1]) {
		const box = boxes.nth(index);
		picked.push((await box.getAttribute('aria-label'))!.replace('选择工单 ', ''));
		await box.check();
	}
	await page.getByRole('button', { name: '审核所选（2）' }).click();
	await expect(page.getByRole('status')).toHaveText('已审核 2 张工单。');
	await expect(page.getByText(new RegExp(`^共 ${total - 2} 张工单`))).toBeVisible();
	for (const jobNo of picked) {
		await expect(page.getByRole('checkbox', { name: `选择工单 ${jobNo}` })).toHaveCount(0);
	}
});

test('the reworks page shows each reworked job beside its rework', async ({ page }) => {
	await signInAs(page, 'supervisor');
	// Last month, complete, in the station's time zone (UTC+8).
	const now = new Date(Date.now() + 8 * 3600_000);
	const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
	await page.goto(`/desk/reworks?period=${lastMonth.toISOString().slice(0, 7)}`);
	await expect(page.getByRole('heading', { level: 1, name: '返修' })).toBeVisible();

	const pair = page
		.getByRole('list', { name: '被返修的工单及其返修' })
		.getByRole('listitem')
		.first();
	const original = pair.getByRole('region', { name: '原工单' });
	const rework = pair.getByRole('region', { name: '返修工单' });
	await expect(original.getByRole('link')).toBeVisible();
	await expect(rework.getByRole('link')).toBeVisible();
	await expect(original.getByText('序列号')).toBeVisible();
	const left = (await original.boundingBox())!;
	const right = (await rework.boundingBox())!;
	expect(left.x + left.width).toBeLessThanOrEqual(right.x);
	expect(Math.abs(left.y - right.y)).toBeLessThan(5);
});
