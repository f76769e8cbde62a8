/**
 * The desk takes calls on the tablet: a first call from a new number is saved undispatched;
 * a second call from the same number finds it as it is typed, is opened as a revisit of it and
 * dispatched at once; then it is reassigned, which needs a reason. Signed in as the demo
 * supervisor, who can do everything the desk does (roles.md).
 */
import { expect, test, type Page } from '@playwright/test';
import { DEMO_SUPERVISOR } from '../src/lib/server/demo/catalog';
import { signInAs } from './helpers/demo';

test.use({ viewport: { width: 1024, height: 768 } });

/** A number no demo customer has, so the lookup finds only this test's calls. */
const PHONE = `139${String(Date.now()).slice(-8)}`;

async function openCallForm(page: Page) {
	await page.getByRole('link', { name: '新建来电' }).click();
	await expect(page).toHaveURL('/desk/calls/new');
	await expect(page.getByRole('heading', { level: 1, name: '新建来电' })).toBeVisible();
}

/** The job page a saved call opens, and the job's number from its heading. */
async function savedJobNo(page: Page): Promise<string> {
	await expect(page).toHaveURL(/\/supervisor\/jobs\/[0-9a-f-]{36}$/);
	const heading = page.getByRole('heading', { level: 1, name: /^工单 D\d{6}-\d{3}$/ });
	await expect(heading).toBeVisible();
	return (await heading.innerText()).replace('工单 ', '').trim();
}

test('the desk takes a call, finds the earlier job, opens a revisit and dispatches it', async ({
	page
}) => {
	await signInAs(page, DEMO_SUPERVISOR.login);

	// First call: a new customer, left unassigned.
	await openCallForm(page);
	await page.getByLabel('客户姓名').fill('钱先生');
	await page.getByLabel('联系电话').fill(PHONE);
	await page.getByLabel('地址').fill('幸福路 8 号');
	await page.getByLabel('产品型号').fill('XQG80-B1');
	await page.getByLabel('机身序列号').fill('SN-DESK-0001');
	await page.getByLabel('故障描述').fill('洗衣机不脱水');
	await expect(page.getByLabel('派给技师')).toHaveValue('');
	await page.getByRole('button', { name: '保存来电' }).click();
	const firstNo = await savedJobNo(page);
	const work = page.getByRole('region', { name: '处理', exact: true });
	await expect(work.getByText('信息员来电登记')).toBeVisible();
	await expect(work.getByText(DEMO_SUPERVISOR.name)).toBeVisible();
	await expect(work.getByText('未派工')).toBeVisible();

	// Second call from the same number: the earlier job shows up as the number is typed.
	await openCallForm(page);
	await page.getByLabel('联系电话').pressSequentially(PHONE.slice(0, 7), { delay: 20 });
	const earlier = page.getByRole('region', { name: '以前的工单' });
	const earlierJob = earlier.getByRole('listitem').filter({ hasText: firstNo });
	await expect(earlierJob).toBeVisible();
	await expect(earlierJob.getByText('XQG80-B1 · SN-DESK-0001')).toBeVisible();
	await earlierJob.getByRole('button', { name: '作为此工单的返修登记' }).click();
	await expect(page.getByText(`作为工单 ${firstNo} 的返修登记`)).toBeVisible();
	// The empty fields take the earlier job's customer and device.
	await expect(page.getByLabel('客户姓名')).toHaveValue('钱先生');
	await expect(page.getByLabel('机身序列号')).toHaveValue('SN-DESK-0001');
	await page.getByLabel('联系电话').fill(PHONE);
	await page.getByLabel('故障描述').fill('修过后又不脱水了');
	await page.getByRole('radio', { name: '紧急' }).check();
	await page.getByLabel('派给技师').selectOption({ label: '李娜' });
	await page.getByRole('button', { name: '保存来电' }).click();

	const revisitNo = await savedJobNo(page);
	expect(revisitNo).not.toBe(firstNo);
	await expect(page.getByText('紧急程度：紧急')).toBeVisible();
	await expect(work.getByRole('link', { name: firstNo })).toBeVisible();
	await expect(work.getByRole('link', { name: '李娜' })).toBeVisible();

	// Reassigning needs a reason; with one, the job moves and the history keeps why.
	const reassign = page.getByRole('form', { name: '改派给其他技师' });
	await reassign.getByRole('combobox', { name: '技师' }).selectOption({ label: '王强' });
	const reason = reassign.getByLabel('改派原因');
	await expect(reason).toHaveAttribute('required', '');
	await reason.fill('李娜今天请假');
	await reassign.getByRole('button', { name: '改派' }).click();
	await expect(reassign.getByRole('status')).toHaveText('已改派给 王强。');
	await expect(work.getByRole('link', { name: '王强' })).toBeVisible();
	const history = page.getByRole('region', { name: '修改记录', exact: true });
	const change = history
		.getByRole('row')
		.filter({ has: page.getByRole('rowheader', { name: /^技师/ }) })
		.filter({ hasText: '李娜今天请假' });
	await expect(change.getByRole('cell')).toHaveText([/\d/, DEMO_SUPERVISOR.name, '李娜', '王强']);
});
