/**
 * Renders the app icons in static/icons/ from the same artwork as static/favicon.svg, with the
 * Chromium the e2e tests use, so the PNGs can be remade whenever the artwork changes:
 *
 *   npx tsx scripts/pwa-icons.ts
 *
 * "any" icons keep the favicon's rounded corners on a transparent background. The maskable
 * icon fills the whole square with the brand colour, because launchers crop it to their own
 * shape; the glyph already sits inside the safe zone (the centred circle of 40% radius).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const favicon = readFileSync(path.join(root, 'static/favicon.svg'), 'utf8');
/** The favicon without its rounded corners: the launcher supplies the shape. */
const fullBleed = favicon.replace(/<rect ([^>]*?)rx="[^"]*"/, '<rect $1');
if (fullBleed === favicon) throw new Error('static/favicon.svg no longer has a rounded <rect>');

const icons = [
	{ file: 'icon-192.png', size: 192, svg: favicon },
	{ file: 'icon-512.png', size: 512, svg: favicon },
	{ file: 'icon-maskable-512.png', size: 512, svg: fullBleed },
	// iOS ignores the manifest's icons and rounds the corners itself.
	{ file: 'apple-touch-icon-180.png', size: 180, svg: fullBleed }
];

const outDir = path.join(root, 'static/icons');
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu']
});
try {
	const page = await browser.newPage();
	for (const icon of icons) {
		await page.setViewportSize({ width: icon.size, height: icon.size });
		const sized = icon.svg.replace('<svg ', `<svg width="${icon.size}" height="${icon.size}" `);
		await page.setContent(
			`<html><body style="margin:0;background:transparent">${sized}</body></html>`
		);
		await page.locator('svg').screenshot({
			path: path.join(outDir, icon.file),
			omitBackground: true
		});
		console.log(`static/icons/${icon.file} (${icon.size}×${icon.size})`);
	}
} finally {
	await browser.close();
}
