/**
 * An appeal from the phone to the supervisor's decision (docs/kpi-rules.md "Appeals and
 * exclusions"): a technician's own revisit makes their earlier job a rework; they appeal it on
 * the job's page, the supervisor accepts it with a reason, and the technician's drill-down shows
 * the job excluded from the repair success rate, with that reason.
 */
import { expect, test, type Page } from '@playwright/test';
import { signInAs } from './helpers/demo';
import { scorecardTable } from './helpers/scorecard';
import { completeJob, createJob, expectSynced, signInTechnician } from './tech-helpers';

async function syncNow(page: Page) {
	await page.getByRole('button', { name: '立即同步' }).click();
	await expectSynced(page);
}

test('a technician appeals a rework from the phone; the supervisor accepts it', async ({
	page,
	browser
}) => {
	const customer = `申诉客户-${Date.now()}`;
	await signInTechnician(page, 'yanglei');
	const first = await createJob(page, { customer, model: 'KFR-35GW' });
	await completeJob(page, '已修复');
	// The revisit names the same customer: the first job now counts as reworked.
	await page.getByRole('link', { name: '返修：新建关联工单' }).click();
	await expect(page.getByText('只能关联您自己的、同一设备或同一客户的早前工单。')).toHaveCount(0);
	await page.getByRole('button', { name: '保存工单' }).click();
	await expect(page).toHaveURL(/\/tech\?job=/);
	await syncNow(page);

	await page.goto(`/tech?job=${first.id}`);
	const appeals = page.getByRole('region', { name: '申诉' });
	await expect(appeals.getByText(/^返修工单：/)).toBeVisible();
	await appeals.getByLabel('申诉事项').selectOption({ label: '返修' });
	await appeals.getByLabel('理由').fill('客户送修的是另一台空调');
	await appeals.getByLabel('证据（可选）').fill('铭牌照片');
	await appeals.getByRole('button', { name: '提交申诉' }).click();
	await expect(appeals.getByText('返修 · 待裁决')).toBeVisible();

	const office = await browser.newPage({ viewport: { width: 1024, height: 768 } });
	await signInAs(office, 'supervisor');
	await office.getByRole('navigation').getByRole('link', { name: '申诉' }).click();
	await expect(office).toHaveURL('/supervisor/appeals');
	const pending = office.getByRole('listitem').filter({ hasText: first.jobNo });
	await expect(pending).toContainText('客户送修的是另一台空调');
	await expect(pending).toContainText('铭牌照片');
	await pending.getByLabel('裁决理由').fill('核实铭牌，不是同一台');
	await pending.getByRole('button', { name: `通过 ${first.jobNo} 的申诉` }).click();
	await expect(office.getByRole('status')).toHaveText(
		`已通过 ${first.jobNo} 的申诉：该工单已排除在对应指标之外。`
	);

	// The technician's drill-down for this month: the job, the KPI and the reason.
	await office.goto('/supervisor');
	await scorecardTable(office).getByRole('link', { name: '杨磊' }).click();
	const excluded = office.getByRole('region', { name: '申诉通过而排除的工单' });
	const row = excluded.getByRole('row').filter({ hasText: first.jobNo });
	await expect(row).toContainText('核实铭牌，不是同一台');
	await expect(row).toContainText('已排除出');

	// And the phone shows the decision and the exclusion.
	await page.reload();
	await expect(appeals.getByText('返修 · 已通过')).toBeVisible();
	await expect(appeals.getByText(/^已排除出.+：核实铭牌，不是同一台$/)).toBeVisible();
	await office.close();
});
