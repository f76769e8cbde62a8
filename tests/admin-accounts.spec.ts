/**
 * Account administration in the UI (issue 12, item 5), with the server on the embedded
 * database: the station administrator adds a technician, who signs in at once on another
 * device with the password shown once; deactivating the account ends that session.
 */
import { expect, test } from '@playwright/test';
import { DEMO_STATION, signInAs, submitSignIn } from './helpers/demo';

test.use({ viewport: { width: 1024, height: 768 } });

test('an administrator adds a technician who signs in at once; deactivating ends their session', async ({
	page,
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	await signInAs(page, 'admin');
	await page.getByRole('link', { name: '账号管理' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: `${DEMO_STATION.name}的账号` })
	).toBeVisible();

	const newAccount = page.getByRole('region', { name: '添加账号' });
	await newAccount.getByLabel('登录账号').fill('e2e-newtech');
	await newAccount.getByLabel('姓名').fill('新来的技师');
	await newAccount.getByLabel('角色').selectOption({ label: '技师' });
	await expect(newAccount.getByLabel('由系统生成（推荐）')).toBeChecked();
	await newAccount.getByLabel('原因（可选）').fill('新员工入职');
	await newAccount.getByRole('button', { name: '添加账号' }).click();

	const created = page.getByRole('status').filter({ hasText: '账号“e2e-newtech”已创建。' });
	const shown = created.getByLabel('密码（只显示这一次）');
	await expect(shown).toHaveText(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
	const password = (await shown.innerText()).trim();

	// The technician, on their own phone, signs in with it straight away.
	const phone = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } });
	const technician = await phone.newPage();
	await submitSignIn(technician, 'e2e-newtech', password);
	await expect(technician).toHaveURL('/tech');
	expect((await (await technician.request.get('/api/session')).json()).user).toMatchObject({
		login: 'e2e-newtech',
		role: 'technician'
	});

	// Shown once: after a reload the password is nowhere on the page.
	await page.reload();
	await expect(page.getByText(password)).toHaveCount(0);
	const row = page
		.getByRole('row')
		.filter({ has: page.getByRole('rowheader', { name: 'e2e-newtech' }) });
	await expect(row).toContainText('新来的技师');
	await expect(row).toContainText('技师');
	await expect(row).toContainText('在用');
	await expect(row).toContainText('已设置');

	await row.getByRole('link', { name: 'e2e-newtech' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '账号 e2e-newtech' })).toBeVisible();
	const deactivate = page.getByRole('region', { name: '停用账号' });
	await deactivate.getByLabel('原因（可选）').fill('试用期结束');
	await deactivate.getByRole('button', { name: '停用账号' }).click();
	await expect(page.getByRole('status')).toContainText('账号已停用，它的所有登录已结束。');

	const history = page.getByRole('table', { name: '变更记录' });
	await expect(history.getByRole('row').nth(1)).toContainText('停用');
	await expect(history.getByRole('row').nth(1)).toContainText('DEMO/admin');
	await expect(history.getByRole('row').nth(1)).toContainText('试用期结束');
	await expect(history.getByRole('row').nth(2)).toContainText('新员工入职');

	// The technician's session is over, and the password no longer signs in.
	expect((await (await technician.request.get('/api/session')).json()).user).toBeNull();
	await submitSignIn(technician, 'e2e-newtech', password);
	await expect(technician).toHaveURL(/\/login/);
	await phone.close();
});
