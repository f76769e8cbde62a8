/**
 * Scanning with the camera (issue 14): Chromium's fake camera plays a video the test makes of
 * a QR code or a Code 128 barcode (what part and serial labels carry), and the phone reads it
 * as it would a label: Debian's Chromium has no BarcodeDetector, so this is the ZXing reader
 * the app loads when scanning starts.
 */
import { chromium, devices, expect, test, type Page, type TestInfo } from '@playwright/test';
import { writeCode128Video, writeQrVideo } from './helpers/barcode-video';
import { createJob, signInTechnician } from './tech-helpers';

/**
 * A phone (its own browser: the fake camera is a launch flag) whose camera sees `text` as a QR
 * code (or a Code 128 barcode), signed in as a technician. `camera` false: the technician
 * refuses the camera.
 */
async function phoneSeeing(
	testInfo: TestInfo,
	text: string,
	{ camera = true, symbology = 'qr' }: { camera?: boolean; symbology?: 'qr' | 'code128' } = {}
) {
	const video = testInfo.outputPath('camera.y4m');
	(symbology === 'qr' ? writeQrVideo : writeCode128Video)(video, text);
	const { launchOptions, baseURL } = testInfo.project.use;
	const browser = await chromium.launch({
		...launchOptions,
		args: [
			...(launchOptions?.args ?? []),
			'--use-fake-device-for-media-stream',
			`--use-file-for-fake-video-capture=${video}`,
			// Answers the camera prompt: "allow", unless the test grants nothing (below).
			...(camera ? ['--use-fake-ui-for-media-stream'] : [])
		]
	});
	const context = await browser.newContext({
		...devices['Pixel 7'],
		viewport: { width: 360, height: 780 },
		baseURL
	});
	const page = await context.newPage();
	/** Every WebAssembly file the page asked for, wherever from (the service worker included). */
	const wasmRequests: string[] = [];
	context.on('request', (request) => {
		if (new URL(request.url()).pathname.endsWith('.wasm')) wasmRequests.push(request.url());
	});
	await signInTechnician(page, 'lina');
	return { browser, context, page, wasmRequests };
}

// Each test launches a browser of its own and signs in before it scans.
test.describe.configure({ timeout: 60_000 });

async function openNewJob(page: Page, customer: string, phone: string) {
	await page.getByRole('link', { name: '新建工单' }).click();
	await page.getByLabel('客户姓名').fill(customer);
	await page.getByLabel('客户电话').fill(phone);
	await page.getByLabel('产品型号').fill('KFR-35GW');
	await page.getByLabel('故障类别').selectOption({ index: 1 });
}

test('a scanned serial fills the field and a recent job of the device is offered as reworked', async () => {
	const testInfo = test.info();
	const { browser, page } = await phoneSeeing(testInfo, ' sn-scan-2026-0001 ');
	try {
		// The customer's earlier job, its serial scanned afterwards in a correction of its details.
		await openNewJob(page, '扫码客户', '13900001111');
		await page.getByRole('button', { name: '保存工单' }).click();
		await expect(page).toHaveURL(/\/tech\?job=/);
		const earlierNo = (await page.getByRole('heading', { level: 1 }).innerText())
			.replace(/^工单号\s*/, '')
			.trim();
		await page.getByRole('button', { name: '更正信息' }).click();
		await page.getByRole('button', { name: '扫码填入序列号' }).click();
		await expect(page.getByLabel('机身序列号')).toHaveValue('sn-scan-2026-0001', {
			timeout: 15_000
		});
		await page.getByRole('button', { name: '保存更正' }).click();
		await expect(page.getByText('sn-scan-2026-0001', { exact: true })).toBeVisible();

		await page.getByRole('link', { name: '← 我的工单' }).click();
		await openNewJob(page, '扫码客户', '13900001111');
		await page.getByRole('button', { name: '扫码填入序列号' }).click();
		const scanner = page.getByRole('dialog', { name: '扫码填入序列号' });
		// Read (at once: the reader is loaded), the dialog closes and the field holds the code
		// as printed, trimmed.
		await expect(page.getByLabel('机身序列号')).toHaveValue('sn-scan-2026-0001', {
			timeout: 15_000
		});
		await expect(scanner).toBeHidden();

		const warning = page.getByRole('status').filter({ hasText: '可能是返修' });
		await expect(warning).toHaveText(
			new RegExp(`该设备 30 天内已有工单 ${earlierNo}，可能是返修。`)
		);
		await warning.getByRole('button', { name: '关联为上一次工单（返修）' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('返修工单');
		await expect(page.getByText(`关联上一次工单 ${earlierNo}。`)).toBeVisible();
		await expect(warning).toBeHidden();

		await page.getByRole('button', { name: '保存工单' }).click();
		await expect(page).toHaveURL(/\/tech\?job=/);
		await expect(page.getByText('全部已同步')).toBeVisible({ timeout: 20_000 });
	} finally {
		await browser.close();
	}
});

test('a scanned part code adds its catalog line, offline, with the reader from this app', async () => {
	const testInfo = test.info();
	const { browser, context, page, wasmRequests } = await phoneSeeing(testInfo, 'AC-CAP-35');
	try {
		await createJob(page, { customer: '扫码配件客户' });
		// The reader's WebAssembly was precached with the app: no signal is needed to scan.
		await context.setOffline(true);
		await page.getByRole('button', { name: '添加配件' }).click();
		await page.getByRole('button', { name: '扫码添加配件' }).click();
		const parts = page.getByRole('list', { name: '使用的配件' });
		await expect(parts.getByText('AC-CAP-35 · 压缩机启动电容 35μF')).toBeVisible({
			timeout: 15_000
		});
		await expect(page.getByRole('dialog')).toBeHidden();
		expect(wasmRequests.length).toBeGreaterThan(0);
		const origin = new URL(page.url()).origin;
		expect(wasmRequests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
	} finally {
		await browser.close();
	}
});

test('a Code 128 part label adds its catalog line', async () => {
	const testInfo = test.info();
	const { browser, page, wasmRequests } = await phoneSeeing(testInfo, 'AC-PCB-IN', {
		symbology: 'code128'
	});
	try {
		await createJob(page, { customer: '条码配件客户' });
		await page.getByRole('button', { name: '添加配件' }).click();
		await page.getByRole('button', { name: '扫码添加配件' }).click();
		const parts = page.getByRole('list', { name: '使用的配件' });
		await expect(parts.getByText('AC-PCB-IN · 空调内机主板')).toBeVisible({ timeout: 15_000 });
		await expect(page.getByRole('dialog')).toBeHidden();
		// Read by ZXing's WebAssembly, the path of browsers without a BarcodeDetector.
		expect(wasmRequests.length).toBeGreaterThan(0);
	} finally {
		await browser.close();
	}
});

test('a Code 128 serial label fills the serial of a new job, saved with it', async () => {
	const testInfo = test.info();
	const { browser, page, wasmRequests } = await phoneSeeing(testInfo, 'SN-C128-2026-0042', {
		symbology: 'code128'
	});
	try {
		await openNewJob(page, '条码序列号客户', '13900003333');
		await page.getByRole('button', { name: '扫码填入序列号' }).click();
		await expect(page.getByLabel('机身序列号')).toHaveValue('SN-C128-2026-0042', {
			timeout: 15_000
		});
		await expect(page.getByRole('dialog', { name: '扫码填入序列号' })).toBeHidden();
		expect(wasmRequests.length).toBeGreaterThan(0);
		await page.getByRole('button', { name: '保存工单' }).click();
		await expect(page).toHaveURL(/\/tech\?job=/);
		await expect(page.getByText('SN-C128-2026-0042', { exact: true })).toBeVisible();
	} finally {
		await browser.close();
	}
});

test('an unknown part code says so and adds nothing', async () => {
	const testInfo = test.info();
	const { browser, page } = await phoneSeeing(testInfo, 'XX-NO-SUCH-PART');
	try {
		await createJob(page, { customer: '扫码未知配件' });
		await page.getByRole('button', { name: '添加配件' }).click();
		await page.getByRole('button', { name: '扫码添加配件' }).click();
		await expect(page.getByRole('alert')).toHaveText('未找到编码为 XX-NO-SUCH-PART 的配件。', {
			timeout: 15_000
		});
		await expect(page.getByText('还没有添加配件。')).toBeVisible();
	} finally {
		await browser.close();
	}
});

test('a refused camera is explained, and the serial can still be typed', async () => {
	const testInfo = test.info();
	const { browser, page } = await phoneSeeing(testInfo, 'SN-NEVER-READ', { camera: false });
	try {
		await openNewJob(page, '拒绝相机', '13900002222');
		await page.getByRole('button', { name: '扫码填入序列号' }).click();
		const scanner = page.getByRole('dialog', { name: '扫码填入序列号' });
		await expect(scanner.getByRole('alert')).toHaveText(/相机权限被拒绝/);
		await scanner.getByRole('button', { name: '取消扫码' }).click();
		await expect(scanner).toBeHidden();
		await page.getByLabel('机身序列号').fill('SN-TYPED');
		await expect(page.getByLabel('机身序列号')).toHaveValue('SN-TYPED');
	} finally {
		await browser.close();
	}
});
