/**
 * Shared steps of the technician app's end-to-end tests (tests/tech-*.spec.ts and
 * tests/offline-*.spec.ts): signing in with the service worker in control, reading the sync
 * status bar, and asking the server (as the supervisor would) what it holds.
 */
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import superjson from 'superjson';
import { DEMO_PASSWORD } from './helpers/demo';
import type { JobOutcome, JobStatus } from '../src/lib/shared/domain';
import { expectServiceWorkerControl } from './helpers/pwa';

/**
 * Signs in on /login once the service worker controls the page, as on a phone that has opened
 * the app before: /tech is then kept for offline use from its first load.
 */
export async function signInTechnician(page: Page, login: string): Promise<void> {
	await page.goto('/login');
	await expectServiceWorkerControl(page);
	await page.getByLabel('账号').fill(login);
	await page.getByLabel('密码').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page).toHaveURL('/tech');
	await expectSynced(page);
}

/** Nothing waits and a sync has succeeded (the jobs, catalog and categories are on the device). */
export async function expectSynced(page: Page, timeout = 20_000): Promise<void> {
	await expectAllSynced(page, timeout);
	await expect(syncBar(page).getByText(/^上次同步 /)).toBeVisible({ timeout });
}

/** The always-visible sync status bar. */
export function syncBar(page: Page) {
	return page.getByRole('region', { name: '同步状态' });
}

export async function expectPending(page: Page, count: number): Promise<void> {
	await expect(page.getByTestId('pending-count')).toHaveText(`${count} 项更改待同步`);
}

export async function expectAllSynced(page: Page, timeout = 20_000): Promise<void> {
	await expect(page.getByTestId('pending-count')).toHaveText('全部已同步', { timeout });
}

export interface NewJob {
	customer: string;
	phone?: string;
	/** Default: a placeholder model, as a technician's job must name the device. */
	model?: string;
	fault?: string;
}

/** Fills and saves the new-job form; returns the job's id (from the address) and number. */
export async function createJob(page: Page, job: NewJob): Promise<{ id: string; jobNo: string }> {
	await page.getByRole('link', { name: '新建工单' }).click();
	await page.getByLabel('客户姓名').fill(job.customer);
	if (job.phone) await page.getByLabel('客户电话').fill(job.phone);
	// A technician's job names its device (the server refuses an empty job).
	await page.getByLabel('产品型号').fill(job.model ?? '测试型号');
	await page.getByLabel('故障类别').selectOption({ index: 1 });
	if (job.fault) await page.getByLabel('故障描述').fill(job.fault);
	await page.getByRole('button', { name: '保存工单' }).click();
	await expect(page).toHaveURL(/\/tech\?job=/);
	const id = new URL(page.url()).searchParams.get('job') ?? '';
	const heading = page.getByRole('heading', { level: 1 });
	await expect(heading).toHaveText(/\d{6}-[0-9A-Z]{6}-\d+$/);
	const jobNo = (await heading.innerText()).replace(/^工单号\s*/, '').trim();
	return { id, jobNo };
}

/** Adds a part found by SKU or name in the cached catalog; returns the line shown. */
export async function addPart(page: Page, search: string, qty: string) {
	await page.getByRole('button', { name: '添加配件' }).click();
	await page.getByLabel('搜索配件（编码或名称）').fill(search);
	await page.getByRole('list', { name: '匹配的配件' }).getByRole('button').first().click();
	await page.getByLabel('数量').fill(qty);
	await page.getByRole('button', { name: '添加', exact: true }).click();
}

export async function completeJob(page: Page, outcome: '已修复' | '未修复', notes = '') {
	// Steps only in order: a technician completes after arriving and starting.
	const arrived = page.getByRole('button', { name: '已到达' });
	if (await arrived.isVisible()) {
		await arrived.click();
		await expect(arrived).toHaveCount(0);
	}
	const start = page.getByRole('button', { name: '开始维修' });
	if (await start.isVisible()) {
		await start.click();
		await expect(start).toHaveCount(0);
	}
	await page.getByRole('button', { name: '完成工单' }).click();
	await page.getByRole('radio', { name: outcome }).check();
	if (notes) await page.getByLabel('维修说明（可选）').fill(notes);
	await page.getByRole('button', { name: '确认完成' }).click();
	await expect(page.getByRole('button', { name: '完成工单' })).toHaveCount(0);
}

/** A technician's own follow-up: notes only (the customer rates through the survey). */
export async function addFollowUpNote(page: Page, comment: string) {
	await page.getByRole('button', { name: '添加回访' }).click();
	await page.getByLabel('客户意见').fill(comment);
	await page.getByRole('button', { name: '保存回访' }).click();
	await expect(page.getByRole('button', { name: '保存回访' })).toHaveCount(0);
}

/** A job as the server holds it, read through the API with the supervisor's session. */
export interface ServerJob {
	job: {
		id: string;
		jobNo: string;
		status: JobStatus;
		outcome: JobOutcome | null;
		customerName: string;
		arrivedAt: Date | null;
		startedAt: Date | null;
		completedAt: Date | null;
		technicianId: string;
		notes: string;
	};
	parts: Array<{ id: string; sku: string; qty: string; unitCost: string }>;
	followUps: Array<{ id: string; satisfaction: number | null; issueResolved: boolean | null }>;
}

export async function serverJob(request: APIRequestContext, jobId: string) {
	const input = encodeURIComponent(JSON.stringify(superjson.serialize({ id: jobId })));
	const response = await request.get(`/api/trpc/jobs.get?input=${input}`);
	if (!response.ok()) return null;
	const body = (await response.json()) as {
		result: { data: Parameters<typeof superjson.deserialize>[0] };
	};
	return superjson.deserialize<ServerJob>(body.result.data);
}

/** A separate browser session signed in as the demo supervisor, for reading the server. */
export async function supervisorSession(browser: Browser, baseURL: string) {
	const context = await browser.newContext({ baseURL });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('账号').fill('supervisor');
	await page.getByLabel('密码').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: '登录', exact: true }).click();
	await expect(page).toHaveURL(/\/supervisor/);
	return { context, request: context.request };
}

/** Two strokes across the pad, as a finger or mouse would draw them. */
export async function signOnPad(page: Page) {
	const pad = page.getByRole('img', { name: '签名区：请客户用手指在此签名' });
	const box = (await pad.boundingBox())!;
	const at = (x: number, y: number) => [box.x + box.width * x, box.y + box.height * y] as const;
	await page.mouse.move(...at(0.1, 0.6));
	await page.mouse.down();
	await page.mouse.move(...at(0.3, 0.2), { steps: 8 });
	await page.mouse.move(...at(0.5, 0.7), { steps: 8 });
	await page.mouse.up();
	await page.mouse.move(...at(0.6, 0.3));
	await page.mouse.down();
	await page.mouse.move(...at(0.9, 0.5), { steps: 8 });
	await page.mouse.up();
	await expect(page.getByText('已签 2 笔')).toBeVisible();
}
