import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from './helpers/demo';

test('Chinese is the default language', async ({ page }) => {
	await page.goto('/login');
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
	await expect(page.getByRole('button', { name: '中文' })).toHaveAttribute('aria-pressed', 'true');
});

test('switching to English works on the sign-in page and is remembered', async ({ page }) => {
	await page.goto('/login');
	await page.getByRole('button', { name: 'English' }).click();

	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);

	await page.reload();
	await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

	await page.getByLabel('Login').fill('zhaomin');
	await page.getByLabel('Password').fill('not-the-password');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByRole('alert')).toHaveText('Wrong login or password.');

	await page.getByLabel('Password').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page).toHaveURL('/tech');
	await expect(page.getByRole('heading', { level: 1, name: 'My jobs' })).toBeVisible();
	await expect(page.getByRole('banner')).toContainText('(Technician)');
	await expect(
		page
			.getByRole('main')
			.getByText(/^Status: (Open|In progress|Completed|Cancelled)$/)
			.first()
	).toBeVisible();

	await page.getByRole('button', { name: '中文' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '我的工单' })).toBeVisible();
	await page.reload();
	await expect(page.getByRole('heading', { level: 1, name: '我的工单' })).toBeVisible();
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('the language switch still works and returns to the same page', async ({ page }) => {
		await page.goto('/login');
		await page.getByRole('button', { name: 'English' }).click();
		await expect(page).toHaveURL('/login');
		await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	});
});
