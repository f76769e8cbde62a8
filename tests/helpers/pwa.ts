/** Service worker checks shared by the PWA specs. */
import { expect, type Page } from '@playwright/test';

/** The URL vite-plugin-pwa gives the generated service worker. */
export const SERVICE_WORKER_PATH = '/sw.js';

/** Waits until the app's service worker is active and controls this page (no reload needed). */
export async function expectServiceWorkerControl(page: Page): Promise<void> {
	await page.evaluate(() => navigator.serviceWorker.ready);
	await expect
		.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null))
		.toBe(new URL(SERVICE_WORKER_PATH, page.url()).href);
}
