/**
 * A supervisor closes last month on the station home (docs/kpi-rules.md, "Closed periods"): a
 * confirmation first, then the closed badge with who closed it and the (empty) list of changes
 * since; reopening asks for a reason and brings the live scorecard back. The running month
 * offers no closing. The test reopens what it closed, so the other tests read live numbers.
 */
import { expect, test } from '@playwright/test';
import { demoAccount, signInAs } from './helpers/demo';
import { stationToday } from './helpers/scorecard';
import { periodContaining, periodKey, previousPeriod } from '../src/lib/shared/time/periods';

test('a supervisor closes last month, sees it closed, and reopens it with a reason', async ({
	page
}) => {
	const running = periodContaining('month', stationToday());
	const last = previousPeriod(running);
	const [year, month] = last.from.split('-').map(Number);
	const title = `${year}年${month}月`;
	await signInAs(page, 'supervisor');

	await page.goto(`/supervisor?period=${periodKey(running)}`);
	await expect(page.getByRole('heading', { level: 1, name: '服务站首页' })).toBeVisible();
	await expect(page.getByRole('button', { name: '月度关账' })).toHaveCount(0);

	await page.goto(`/supervisor?period=${periodKey(last)}`);
	await page.getByRole('button', { name: '月度关账' }).click();
	await expect(page.getByText(`关账后，${title} 的成绩单按现在的数字`)).toBeVisible();
	await page.getByRole('button', { name: `关账 ${title}` }).click();

	await expect(page.getByRole('status').getByText(`${title} 已关账。`)).toBeVisible();
	const badge = page.getByText(new RegExp(`^${title}：\\s*已关账$`));
	await expect(badge).toBeVisible();
	await expect(page.getByText(`由 ${demoAccount('supervisor').name} 于`)).toBeVisible();
	await expect(page.getByRole('heading', { level: 3, name: '关账后的修改' })).toBeVisible();
	await expect(page.getByText('关账后本月工单没有被修改。')).toBeVisible();
	await expect(
		page.getByRole('link', { name: '下载本月按当前工单计算的数字（CSV）以便对比' })
	).toBeVisible();
	await expect(page.getByRole('button', { name: '月度关账' })).toHaveCount(0);

	// The month's alerts say they are the stored numbers' too.
	await page.goto(`/supervisor/alerts?period=${periodKey(last)}`);
	await expect(page.getByText(/关账：提醒按关账时保存的数字，之后的修改不计入。/)).toBeVisible();
	await page.goto(`/supervisor?period=${periodKey(last)}`);

	await page.getByRole('button', { name: '重新开放', exact: true }).click();
	await page.getByLabel(`为什么重新开放 ${title}？`).fill('e2e：核对配件成本后重新统计');
	await page.getByRole('button', { name: `重新开放 ${title}` }).click();

	await expect(page.getByRole('status').getByText(`${title} 已重新开放`)).toBeVisible();
	await expect(badge).toHaveCount(0);
	await expect(page.getByRole('button', { name: '月度关账' })).toBeVisible();
});
