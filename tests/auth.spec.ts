import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_STATION, demoAccount, signInAs, submitSignIn } from './helpers/demo';

// Each test that signs in with a wrong password uses its own account: failures count towards
// that account's lock, and other tests must be able to sign in with theirs.

test('an unauthenticated visit to any page lands on the sign-in page', async ({ page }) => {
	for (const path of ['/tech', '/supervisor', '/']) {
		await page.goto(path);
		await expect(page).toHaveURL('/login');
		await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
	}
});

test('a wrong password gets a clear message and signs nobody in', async ({ page }) => {
	await submitSignIn(page, 'chenjing', 'not-the-password');
	await expect(page.getByRole('alert')).toHaveText('账号或密码不正确。');
	await expect(page).toHaveURL('/login');
	await expect(page.getByLabel('账号')).toHaveValue('chenjing');

	await page.goto('/tech');
	await expect(page).toHaveURL('/login');
});

test('an unknown login gets the same message as a wrong password', async ({ page }) => {
	await submitSignIn(page, 'nobody-here', 'whatever-password');
	await expect(page.getByRole('alert')).toHaveText('账号或密码不正确。');
});

test('an empty form names the missing fields', async ({ page }) => {
	await page.goto('/login');
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page.getByRole('alert')).toHaveText('请检查标出的字段。');
	await expect(page.getByLabel('账号')).toHaveAccessibleDescription('请填写账号。');
	await expect(page.getByLabel('密码')).toHaveAccessibleDescription('请填写密码。');
});

test('repeated wrong passwords lock the account and say how long to wait', async ({ page }) => {
	for (let attempt = 1; attempt <= 5; attempt++) {
		await submitSignIn(page, 'yanglei', `wrong-password-${attempt}`);
		await expect(page.getByRole('alert')).toHaveText('账号或密码不正确。');
	}
	// Even the right password is refused while the lock lasts.
	await submitSignIn(page, 'yanglei', DEMO_PASSWORD);
	await expect(page.getByRole('alert')).toHaveText(/^登录失败次数过多，请在 \d+ 秒后再试。$/);
	const waitSeconds = Number(/(\d+) 秒/.exec(await page.getByRole('alert').innerText())?.[1]);
	expect(waitSeconds).toBeGreaterThan(0);
	expect(waitSeconds).toBeLessThanOrEqual(30);
	await expect(page).toHaveURL('/login');
});

test('the station code is optional and can be given under "other station"', async ({ page }) => {
	await page.goto('/login');
	await expect(page.getByLabel('服务站代码')).toBeHidden();
	await page.getByText('其他服务站？').click();
	await page.getByLabel('服务站代码').fill(DEMO_STATION.code);
	await page.getByLabel('账号').fill('liuyang');
	await page.getByLabel('密码').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page).toHaveURL('/tech');
	await expect(page.getByText(demoAccount('liuyang').name, { exact: false })).toBeVisible();
});

test('"other station" opened before the page’s script has run stays open once it runs', async ({
	page
}) => {
	// The app's scripts wait until the tap is made, as on a slow phone.
	let release = () => {};
	const tapped = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await tapped;
		await route.continue();
	});
	await page.goto('/login', { waitUntil: 'domcontentloaded' });
	await page.getByText('其他服务站？').click();
	await expect(page.getByLabel('服务站代码')).toBeVisible();
	release();
	// Every script arrived and ran (half a second without requests): the page is hydrated.
	await page.waitForLoadState('networkidle');
	await expect(page.getByLabel('服务站代码')).toBeVisible();
});

test('signing out ends the session', async ({ page }) => {
	await signInAs(page, 'lina');
	await page.getByRole('button', { name: '退出登录' }).click();
	await expect(page).toHaveURL('/login');
	await expect(page.getByRole('button', { name: '退出登录' })).toHaveCount(0);

	await page.goto('/tech');
	await expect(page).toHaveURL('/login');
});

test('signing in as another person ends the previous session on the server', async ({
	page,
	context,
	playwright,
	baseURL
}) => {
	// A second tab of the same browser still shows the sign-in form when lina signs in.
	const otherTab = await context.newPage();
	await otherTab.goto('/login');
	await signInAs(page, 'lina');
	const linaCookie = (await context.cookies()).find((cookie) => cookie.name === 'rs_session');
	expect(linaCookie?.value).toBeTruthy();

	await otherTab.getByLabel('账号').fill('supervisor');
	await otherTab.getByLabel('密码').fill(DEMO_PASSWORD);
	await otherTab.getByRole('button', { name: '登录', exact: true }).click();
	await expect(otherTab).toHaveURL('/supervisor');

	// lina's token, presented from anywhere (a copy of the cookie), no longer opens anything.
	const copied = await playwright.request.newContext({
		baseURL,
		extraHTTPHeaders: { cookie: `rs_session=${linaCookie?.value}` }
	});
	expect((await copied.get('/api/trpc/auth.me')).status()).toBe(401);
	await copied.dispose();
	// The browser itself now belongs to the supervisor.
	await page.goto('/');
	await expect(page).toHaveURL('/supervisor');
});

test('a late answer to the previous person’s request leaves the next person signed in', async ({
	page,
	context
}) => {
	// lina's phone app was still talking to the server when the supervisor signed in on another
	// tab: the answer to her last request, sent with her cookie, arrives after the new cookie.
	const otherTab = await context.newPage();
	await otherTab.goto('/login');
	await signInAs(page, 'lina');
	const linaCookie = (await context.cookies()).find((cookie) => cookie.name === 'rs_session');
	expect(linaCookie?.value).toBeTruthy();
	await otherTab.getByLabel('账号').fill('supervisor');
	await otherTab.getByLabel('密码').fill(DEMO_PASSWORD);
	await otherTab.getByRole('button', { name: '登录', exact: true }).click();
	await expect(otherTab).toHaveURL('/supervisor');

	// The browser's own request API shares its cookie jar, and takes what the answer sets in it.
	const late = await context.request.get('/api/trpc/auth.me', {
		headers: { cookie: `rs_session=${linaCookie?.value}` }
	});
	expect(late.status()).toBe(401);

	await otherTab.reload();
	await expect(otherTab).toHaveURL('/supervisor');
	await expect(otherTab.getByRole('button', { name: '退出登录' })).toBeVisible();
});

test('a signed-in person opening the sign-in page goes to their start page', async ({ page }) => {
	await signInAs(page, 'lina');
	await page.goto('/login');
	await expect(page).toHaveURL('/tech');
});

test('technicians cannot open the supervisor page', async ({ page }) => {
	await signInAs(page, 'lina');
	const response = await page.goto('/supervisor');
	expect(response?.status()).toBe(403);
	await expect(page.getByText('你没有权限打开此页面。')).toBeVisible();
	await expect(page.getByRole('table')).toHaveCount(0);
});

test('supervisors and admins are sent from the technician page to theirs', async ({ page }) => {
	await signInAs(page, 'supervisor');
	await page.goto('/tech');
	await expect(page).toHaveURL('/supervisor');

	await page.getByRole('button', { name: '退出登录' }).click();
	// Let the sign-out finish first: a new navigation would cut it off.
	await expect(page).toHaveURL('/login');
	await signInAs(page, 'admin');
	await page.goto('/tech');
	await expect(page).toHaveURL('/supervisor/import');
	await page.goto('/');
	await expect(page).toHaveURL('/supervisor/import');
});

test('a station admin is offered, and may open, only the import page among the supervisor pages', async ({
	page
}) => {
	await signInAs(page, 'admin');
	await expect(page).toHaveURL('/supervisor/import');
	const sections = page.getByRole('navigation', { name: '主管功能' }).getByRole('link');
	await expect(sections).toHaveText(['导入', '账号管理']);

	for (const path of ['/supervisor/settings', '/supervisor/follow-ups']) {
		const response = await page.goto(path);
		expect(response?.status()).toBe(403);
		await expect(page.getByText('你没有权限打开此页面。')).toBeVisible();
	}
	await page.goto('/supervisor');
	await expect(page.getByText('你没有权限打开此页面。')).toBeVisible();
	await expect(page.getByRole('table')).toHaveCount(0);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('signing in, a wrong password and signing out still work', async ({ page }) => {
		await submitSignIn(page, 'huangtao', 'not-the-password');
		await expect(page.getByRole('alert')).toHaveText('账号或密码不正确。');

		await signInAs(page, 'huangtao');
		await expect(page.getByRole('heading', { name: '我的工单' })).toBeVisible();

		await page.getByRole('button', { name: '退出登录' }).click();
		await expect(page).toHaveURL('/login');
	});
});
