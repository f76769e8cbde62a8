/**
 * Issue 14's "done when", in one visit: a technician with no signal scans the device's serial
 * (a Code 128 label seen by Chromium's fake camera), photographs the device, gets the customer's
 * signature and completes; online again, everything arrives exactly once, and the supervisor sees
 * it all on the job page.
 */
import { chromium, devices, expect, test } from '@playwright/test';
import superjson from 'superjson';
import { writeCode128Video } from './helpers/barcode-video';
import { expectServiceWorkerControl } from './helpers/pwa';
import {
	expectAllSynced,
	signInTechnician,
	signOnPad,
	supervisorSession,
	syncBar
} from './tech-helpers';

const SERIAL = 'SN-VISIT-2026-0042';

test.describe.configure({ timeout: 120_000 });

test('offline: scan, photograph, sign, complete; online: all of it once, on the supervisor’s job page', async ({
	browser: testBrowser,
	baseURL
}) => {
	const testInfo = test.info();
	const video = testInfo.outputPath('serial.y4m');
	writeCode128Video(video, SERIAL);
	const { launchOptions } = testInfo.project.use;
	const browser = await chromium.launch({
		...launchOptions,
		args: [
			...(launchOptions?.args ?? []),
			'--use-fake-device-for-media-stream',
			`--use-file-for-fake-video-capture=${video}`,
			'--use-fake-ui-for-media-stream'
		]
	});
	try {
		const context = await browser.newContext({
			...devices['Pixel 7'],
			viewport: { width: 360, height: 780 },
			baseURL
		});
		const page = await context.newPage();
		await signInTechnician(page, 'wangqiang');
		// What the phone needs offline (the scanner's code and its WebAssembly) is precached.
		await expectServiceWorkerControl(page);
		const photo = await page.evaluate(async () => {
			const canvas = new OffscreenCanvas(640, 480);
			const context = canvas.getContext('2d')!;
			context.fillStyle = '#2a6';
			context.fillRect(0, 0, 640, 480);
			const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
			return [...new Uint8Array(await blob.arrayBuffer())];
		});

		await context.setOffline(true);
		await expect(syncBar(page).getByText('离线')).toBeVisible();
		await page.getByRole('link', { name: '新建工单' }).click();
		await page.getByLabel('客户姓名').fill('现场取证的钱女士');
		await page.getByLabel('客户电话').fill('13900004242');
		await page.getByLabel('产品型号').fill('KFR-50LW');
		await page.getByLabel('故障类别').selectOption({ index: 1 });
		await page.getByRole('button', { name: '扫码填入序列号' }).click();
		await expect(page.getByLabel('机身序列号')).toHaveValue(SERIAL, { timeout: 20_000 });
		await page.getByRole('button', { name: '保存工单' }).click();
		await expect(page).toHaveURL(/\/tech\?job=/);
		const jobId = new URL(page.url()).searchParams.get('job')!;

		await page.getByLabel('照片类型').selectOption({ label: '维修前' });
		await page
			.getByLabel('拍照')
			.setInputFiles({ name: 'device.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(photo) });
		const photos = page.getByRole('list', { name: '照片' }).getByRole('listitem');
		await expect(photos.filter({ hasText: '待上传' })).toHaveCount(1);

		for (const step of ['已到达', '开始维修']) {
			const button = page.getByRole('button', { name: step });
			await button.click();
			await expect(button).toHaveCount(0);
		}
		await page.getByRole('button', { name: '完成工单' }).click();
		await page.getByRole('radio', { name: '已修复' }).check();
		await page.getByRole('button', { name: '请客户签名' }).click();
		await signOnPad(page);
		await page.getByLabel('签名人姓名').fill('钱女士');
		await page.getByRole('button', { name: '确认完成' }).click();
		await expect(page.getByRole('button', { name: '完成工单' })).toHaveCount(0);

		await context.setOffline(false);
		await expectAllSynced(page, 30_000);
		await expect(photos.filter({ hasText: '已上传' })).toHaveCount(1, { timeout: 30_000 });

		const supervisor = await supervisorSession(testBrowser, baseURL!);
		const input = encodeURIComponent(JSON.stringify(superjson.serialize({ jobId })));
		const files = superjson.deserialize<Array<{ kind: string; stored: boolean }>>(
			(await (await supervisor.request.get(`/api/trpc/files.ofJob?input=${input}`)).json()).result
				.data
		);
		expect(files.map((file) => [file.kind, file.stored])).toEqual([['before', true]]);

		const jobPage = await supervisor.context.newPage();
		await jobPage.goto(`/supervisor/jobs/${jobId}`);
		await expect(jobPage.getByText(SERIAL, { exact: true })).toBeVisible();
		await expect(jobPage.getByRole('img', { name: /维修前/ })).toHaveCount(1);
		const signed = jobPage.getByRole('region', { name: '客户签名' });
		await expect(signed.getByRole('img')).toHaveCount(1);
		await expect(signed).toContainText(/钱女士，签于 /);
		await supervisor.context.close();
	} finally {
		await browser.close();
	}
});
