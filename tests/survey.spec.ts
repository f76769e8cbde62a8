/**
 * The customer survey (docs/survey.md): a technician completes a job with no network, and the
 * phone shows the job's survey QR code all the same (made on the device). The QR code read from
 * the screen opens the public page in a fresh browser without a session; the customer's answer
 * reaches the supervisor's job page and the technician's phone. The technician's own signed-in
 * browser is refused the page.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test, type Locator } from '@playwright/test';
import {
	completeJob,
	createJob,
	expectAllSynced,
	signInTechnician,
	supervisorSession,
	syncBar
} from './tech-helpers';

const require = createRequire(import.meta.url);
const JSQR_SOURCE = readFileSync(require.resolve('jsqr/dist/jsQR.js'), 'utf8');

/** The text a QR code image on the page encodes, read from its pixels with jsQR in the page. */
async function decodeQr(image: Locator): Promise<string | null> {
	await image.page().evaluate(JSQR_SOURCE);
	return image.evaluate((element: HTMLImageElement) => {
		const canvas = document.createElement('canvas');
		canvas.width = element.naturalWidth;
		canvas.height = element.naturalHeight;
		const context = canvas.getContext('2d')!;
		context.fillStyle = '#fff';
		context.fillRect(0, 0, canvas.width, canvas.height);
		context.drawImage(element, 0, 0);
		const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
		type Decoder = (data: Uint8ClampedArray, width: number, height: number) => { data: string };
		const jsQR = (self as unknown as { jsQR: Decoder }).jsQR;
		return jsQR(pixels.data, canvas.width, canvas.height)?.data ?? null;
	});
}

test('the customer answers the survey from the QR code of a job completed offline', async ({
	page,
	context,
	browser,
	baseURL
}) => {
	// A whole journey across three browsers: longer than one step's default.
	test.setTimeout(120_000);
	await signInTechnician(page, 'wangqiang');
	await context.setOffline(true);
	await expect(syncBar(page).getByText('离线')).toBeVisible();

	const job = await createJob(page, { customer: '扫码的陈先生', model: 'KFR-26GW' });
	await page.getByRole('button', { name: '已到达' }).click();
	await page.getByRole('button', { name: '开始维修' }).click();
	await expect(page.getByRole('button', { name: '开始维修' })).toHaveCount(0);
	await completeJob(page, '已修复');

	// Offline, the code is made on the phone; the link beside it is the one it encodes.
	const survey = page.getByRole('region', { name: '客户满意度问卷' });
	const qr = survey.getByRole('img', { name: '客户问卷链接的二维码' });
	await expect(qr).toBeVisible();
	const link = await survey.getByTestId('survey-link').innerText();
	expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{92}$/);
	const decoded = await decodeQr(qr);
	expect(decoded).toBe(link);
	// The technician records a note, not a rating.
	await page.getByRole('button', { name: '添加回访' }).click();
	await expect(page.getByText('您的回访仅作记录')).toBeVisible();
	await expect(page.getByRole('radio', { name: '5', exact: true })).toHaveCount(0);
	await page.getByRole('button', { name: '取消' }).click();

	await context.setOffline(false);
	await expectAllSynced(page);

	// The technician's own browser (a staff session) is refused the survey.
	const asStaff = await page.request.get(decoded!);
	expect(await asStaff.text()).toContain('工作人员不能填写客户问卷');

	// The customer's phone: a fresh browser, no session.
	const customer = await browser.newContext({ baseURL });
	const answering = await customer.newPage();
	await answering.goto(decoded!);
	await expect(answering.getByRole('heading', { name: '服务满意度调查' })).toBeVisible();
	await expect(answering.getByText('示范服务站 近期为您上门维修')).toBeVisible();
	await expect(answering.getByText('扫码的陈先生')).toHaveCount(0);
	await answering.getByRole('radio', { name: '2 · 不满意' }).check();
	await answering.getByRole('radio', { name: '未解决' }).check();
	await answering.getByLabel('其他意见（选填）').fill('空调还是有点吵');
	await answering.getByRole('button', { name: '提交' }).click();
	await expect(answering.getByText('谢谢！您的评价已提交。')).toBeVisible();
	// One answer per job.
	await answering.goto(decoded!);
	await expect(answering.getByText('此问卷已经提交过了')).toBeVisible();
	await customer.close();

	// The supervisor sees the customer's rating on the job.
	const supervisor = await supervisorSession(browser, baseURL ?? '');
	const [supervisorPage] = supervisor.context.pages();
	await supervisorPage.goto(`/supervisor/jobs/${job.id}`);
	const followUps = supervisorPage.getByRole('region', { name: '回访' });
	await expect(followUps).toContainText('满意度 2/5');
	await expect(followUps).toContainText('空调还是有点吵');
	await supervisor.context.close();

	// And it reaches the technician's phone with the next sync.
	await page.getByRole('button', { name: '立即同步' }).click();
	await expectAllSynced(page);
	await expect(page.getByText('满意度 2/5')).toBeVisible();
});
