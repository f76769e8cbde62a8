/** The web manifest, its icons, and what Chromium itself says about installing the app. */
import { expect, test } from '@playwright/test';
import { expectServiceWorkerControl } from './helpers/pwa';

const MANIFEST_PATH = '/manifest.webmanifest';

test('every page links the web manifest, which has the fields an installed app needs', async ({
	page
}) => {
	await page.goto('/login');
	await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', MANIFEST_PATH);

	const response = await page.request.get(MANIFEST_PATH);
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toContain('application/manifest+json');
	const manifest = await response.json();
	expect(manifest).toMatchObject({
		id: '/',
		name: 'RepairScore 维修绩效',
		short_name: 'RepairScore',
		start_url: '/',
		scope: '/',
		display: 'standalone',
		theme_color: '#0b5cad',
		background_color: expect.stringMatching(/^#[0-9a-f]{6}$/),
		lang: 'zh-CN'
	});
	// One manifest, described in both languages: Chinese as the default, both as localised variants.
	expect(manifest.description).toMatch(/[\u4e00-\u9fff]/);
	expect(manifest.description_localized['zh-CN']).toBe(manifest.description);
	expect(manifest.description_localized.en).toMatch(/^[\x20-\x7e]+$/);
	expect(manifest.description_localized.en).toContain('technician');
});

test('the manifest icons load as PNGs of the declared size; the maskable one fills its square', async ({
	page
}) => {
	await page.goto('/login');
	const manifest = await (await page.request.get(MANIFEST_PATH)).json();
	const icons: { src: string; sizes: string; type: string; purpose: string }[] = manifest.icons;
	expect(icons.map((icon) => `${icon.sizes} ${icon.purpose}`).sort()).toEqual([
		'192x192 any',
		'512x512 any',
		'512x512 maskable'
	]);

	for (const icon of icons) {
		const response = await page.request.get(icon.src);
		expect(response.status(), icon.src).toBe(200);
		expect(response.headers()['content-type'], icon.src).toBe('image/png');
		expect(icon.type).toBe('image/png');

		const decoded = await page.evaluate(async (src) => {
			const image = new Image();
			image.src = src;
			await image.decode();
			const canvas = document.createElement('canvas');
			canvas.width = image.naturalWidth;
			canvas.height = image.naturalHeight;
			const context = canvas.getContext('2d');
			if (!context) throw new Error('no 2D canvas');
			context.drawImage(image, 0, 0);
			return {
				size: `${image.naturalWidth}x${image.naturalHeight}`,
				cornerAlpha: context.getImageData(0, 0, 1, 1).data[3],
				topEdgeAlpha: context.getImageData(image.naturalWidth / 2, 2, 1, 1).data[3]
			};
		}, icon.src);
		expect(decoded.size, icon.src).toBe(icon.sizes);
		expect(decoded.topEdgeAlpha, `${icon.src} is not blank`).toBe(255);
		// Launchers crop maskable icons to their own shape, so it must not have see-through corners;
		// the "any" icons keep the favicon's rounded corners.
		expect(decoded.cornerAlpha, `corner of ${icon.src}`).toBe(
			icon.purpose === 'maskable' ? 255 : 0
		);
	}
});

test('Chromium reports no installability errors', async ({ playwright, baseURL }, testInfo) => {
	// Test contexts are incognito, where Chromium never installs apps ("in-incognito"): ask a
	// browser with a profile of its own, as a phone's would be.
	const context = await playwright.chromium.launchPersistentContext(
		testInfo.outputPath('profile'),
		{
			...testInfo.project.use.launchOptions,
			baseURL
		}
	);
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto('/login');
		await expectServiceWorkerControl(page);
		const cdp = await context.newCDPSession(page);

		const { url, errors } = await cdp.send('Page.getAppManifest');
		expect(url).toBe(new URL(MANIFEST_PATH, page.url()).href);
		expect(errors).toEqual([]);

		const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
		expect(installabilityErrors).toEqual([]);
	} finally {
		await context.close();
	}
});
