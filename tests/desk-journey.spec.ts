/**
 * A station's day from the tablet and a phone (issue 12): the desk takes a customer's call and
 * dispatches it; the job reaches the technician's phone, which works it with no signal and
 * syncs when back online; the board shows it done today; it waits in the follow-up calls until
 * a call reaches the customer (a call nobody answers keeps it due).
 */
import { expect, test } from '@playwright/test';
import { DEMO_DESK } from '../src/lib/server/demo/catalog';
import { demoTechnicians, signInAs } from './helpers/demo';
import { completeJob, expectAllSynced, expectPending, signInTechnician } from './tech-helpers';

const TECHNICIAN = demoTechnicians.find((technician) => technician.login === 'zhaomin')!;
/** A number no demo customer has, so this job is the only one found by it. */
const PHONE = `137${String(Date.now()).slice(-8)}`;

test('a call becomes a dispatched job, is worked offline on the phone and followed up by the desk', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	const tablet = await browser.newContext({ baseURL, viewport: { width: 1024, height: 768 } });
	const desk = await tablet.newPage();
	await signInAs(desk, DEMO_DESK.login);
	await expect(desk).toHaveURL('/desk');

	// The call, dispatched at once.
	await desk.getByRole('link', { name: '新建来电' }).click();
	await desk.getByLabel('客户姓名').fill('孔女士');
	await desk.getByLabel('联系电话').fill(PHONE);
	await desk.getByLabel('地址').fill('长江路 12 号 3 楼');
	await desk.getByLabel('产品型号').fill('KFR-35GW');
	await desk.getByLabel('故障描述').fill('空调不制冷');
	await desk.getByLabel('派给技师').selectOption({ label: TECHNICIAN.name });
	await desk.getByRole('button', { name: '保存来电' }).click();
	const heading = desk.getByRole('heading', { level: 1, name: /^工单 D\d{6}-\d{3}$/ });
	await expect(heading).toBeVisible();
	const jobNo = (await heading.innerText()).replace('工单 ', '').trim();

	// On the board, waiting for its technician.
	await desk.goto('/desk');
	const technicianGroup = desk.getByRole('region', { name: new RegExp(`^${TECHNICIAN.name} `) });
	await expect(technicianGroup.getByRole('link', { name: jobNo })).toBeVisible();

	// The technician's phone gets it with its sync, marked new, and works it offline.
	const handset = await browser.newContext({
		baseURL,
		viewport: { width: 390, height: 844 },
		isMobile: true,
		hasTouch: true
	});
	const phone = await handset.newPage();
	await signInTechnician(phone, TECHNICIAN.login);
	const card = phone.getByRole('link', { name: new RegExp(`工单号 ${jobNo}`) });
	await expect(card).toBeVisible();
	await expect(card.getByText('新', { exact: true })).toBeVisible();

	await handset.setOffline(true);
	await card.click();
	await expect(phone.getByRole('heading', { level: 1 })).toContainText(jobNo);
	// Arrives, starts and completes, each step tapped in order.
	await completeJob(phone, '已修复', '更换启动电容');
	await expectPending(phone, 3);

	await handset.setOffline(false);
	await expectAllSynced(phone, 30_000);
	await expect(phone.getByText(/被拒绝|未被采用/)).toHaveCount(0);

	// Back on the tablet: done today on the board.
	await desk.reload();
	const doneToday = desk.getByRole('region', { name: /^今天已完成/ });
	await expect(doneToday.getByRole('link', { name: jobNo })).toBeVisible();
	await expect(technicianGroup.getByRole('link', { name: jobNo })).toHaveCount(0);

	// The follow-up call: nobody answers, the job stays due; the customer is reached, it is done.
	await desk.goto('/desk/follow-ups');
	await desk.getByLabel('技师').selectOption({ label: TECHNICIAN.name });
	await desk.getByRole('button', { name: '显示' }).click();
	await expect(desk).toHaveURL(/technician=/);
	const technicianCalls = desk.url();
	const due = desk.getByRole('listitem', { name: `工单 ${jobNo}` });
	await expect(due).toBeVisible();
	await due.getByLabel(`记录工单 ${jobNo} 的回访通话`).click();
	await due.getByRole('radio', { name: '无人接听' }).check();
	await due.getByRole('button', { name: '保存通话' }).click();
	await expect(desk.getByRole('status')).toHaveText(`工单 ${jobNo} 的通话已保存，仍待回访。`);
	await desk.goto(technicianCalls);
	await expect(due).toBeVisible();

	await due.getByLabel(`记录工单 ${jobNo} 的回访通话`).click();
	await due.getByRole('radio', { name: '已联系上' }).check();
	await due.getByRole('radio', { name: '5', exact: true }).check();
	await due.getByRole('radio', { name: '已解决' }).check();
	await due.getByRole('button', { name: '保存通话' }).click();
	await expect(desk.getByRole('status')).toHaveText(`工单 ${jobNo} 已回访。`);
	await desk.goto(technicianCalls);
	await expect(desk.getByRole('list', { name: '待回访工单' })).toBeVisible();
	await expect(due).toHaveCount(0);

	await handset.close();
	await tablet.close();
});
