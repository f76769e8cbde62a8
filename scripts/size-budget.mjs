#!/usr/bin/env node
/**
 * The phone's JavaScript budget, checked on the production build: `npm test` runs it right
 * after the build; alone, `node scripts/size-budget.mjs` after `npm run build`. The figures
 * depend only on the built files: each is gzipped here at level 9, as the benchmark does.
 *
 * It counts every script the technician's app can load, read from Vite's manifest, in two
 * parts with a budget each:
 * - on opening its screens (the first load), 100 KiB (the issue's budget): SvelteKit's two entry files, the
 *   root layout and root error page (loaded before any route), the /tech page (the screens of
 *   the technician's app it opens on: job list, job page, sync details) and their static
 *   imports. `npm run bench -- client` reports these figures with this code (its types:
 *   size-budget.d.mts) and checks that Chromium opening those screens receives every such file.
 * - on a tap or in a rare case, 30 KiB: the dynamic imports of the above, followed through
 *   (the new-job form, the forms adding a part line, recording a follow-up and correcting times, the search
 *   screen, the job page's notes, corrections, cancelling and earlier jobs, a completed job's
 *   customer survey code with its QR code library, a completed job's appeals, the list of refused changes, the sign-out
 *   flow and the sealing code) and SvelteKit's error template.
 *   Its own budget keeps screens from leaving the first one by becoming lazy.
 * - when scanning starts, 15 KiB: the scanner dialog and, for browsers without a
 *   BarcodeDetector, ZXing's JavaScript (12.2 KiB; its WebAssembly, 0.4 MB gzip, is not
 *   counted: the service worker fetches it with the app, the page never waits for it on opening).
 * Other pages' nodes, which the client's route table imports lazily, are not followed. Not
 * counted: CSS, and the service worker (sw.js, workbox), which the browser fetches itself.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_KIB = 100;
/**
 * 11.5 KiB when this check was written (budget 15 KiB); 12.8 KiB before the customer survey's
 * code (issue 13), which must be drawn on the phone, offline too: its QR code library (lean-qr,
 * 3.4 KiB) and the survey section (1.5 KiB) load only on a completed job's page; 21.9 KiB with
 * a completed job's appeals and the new-job form (1.6 KiB), which left the first load when the
 * job-completeness and rework-link checks (issue 13) took it past 100 KiB; 28.9 KiB with a
 * job's photos (issue 14: their section, compression and upload queue, 6.6 KiB), which load
 * after the job page opens; 31.1 KiB with the scan buttons of the forms and the positions'
 * notice and locating (issue 14), which load with a form or only when the station records
 * positions; 32.1 KiB with the reading of the pull in columns and the pull's record schemas
 * (issue 15, client/pull-columns.ts), which load with the first pull and left the first load;
 * about 39 KiB with the customer's signature (issue 14): the completion form left the first
 * load with the signature pad it opens, the service receipt (2.9 KiB) loads when the
 * technician opens it, and the follow-up section with a completed job.
 */
export const ON_DEMAND_BUDGET_KIB = 40;
/** 13.6 KiB when scanning came (issue 14), 12.2 of it the ZXing reader's glue code. */
export const SCANNING_BUDGET_KIB = 15;
const TECHNICIAN_ROUTE = '/tech';
/** What scanning loads (lib/client/scanning), only when the technician starts to scan. */
const SCANNER = 'src/lib/client/scanning/ScannerDialog.svelte';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLIENT_OUTPUT = path.join(ROOT, '.svelte-kit/output/client');
const MANIFEST = path.join(CLIENT_OUTPUT, '.vite/manifest.json');
const GENERATED = '.svelte-kit/generated/client-optimized';
const APP_ENTRY = `${GENERATED}/app.js`;
const START_ENTRY = 'node_modules/@sveltejs/kit/src/runtime/client/entry.js';
const ERROR_TEMPLATE = '.svelte-kit/generated/shared/error-template.js';

/** The client nodes (layouts, error pages, page) that SvelteKit loads for `route`. */
function routeNodes(route) {
	const app = readFileSync(path.join(ROOT, APP_ENTRY), 'utf8');
	const line = new RegExp(`^\\s*${JSON.stringify(route)}: (\\[.*\\]),?$`, 'm').exec(app);
	if (!line) throw new Error(`${route} is not in the client's route table (${APP_ENTRY}).`);
	// `[page, [layouts], [errors]]`; `~page` marks a page with a server load.
	const [page, layouts = [], errors = []] = JSON.parse(line[1].replace(/~/g, ''));
	// The root layout (0) and root error page (1) load before any route.
	const nodes = new Set([0, 1, page, ...layouts, ...errors].filter((n) => n !== undefined));
	return [...nodes].map((node) => `${GENERATED}/nodes/${node}.js`);
}

/** The built files reached from `starts` through the manifest's imports (and dynamic imports). */
function reachedFiles(manifest, starts, { dynamic, skipped = [] }) {
	const reached = new Set();
	const queue = [...starts];
	for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
		if (reached.has(key) || skipped.includes(key)) continue;
		const chunk = manifest[key];
		if (!chunk) throw new Error(`${key} is not in the build's manifest (${MANIFEST}).`);
		reached.add(key);
		queue.push(...(chunk.imports ?? []));
		// The app entry's dynamic imports are every route's nodes: only the starts count.
		if (dynamic && key !== APP_ENTRY) queue.push(...(chunk.dynamicImports ?? []));
	}
	return new Set([...reached].map((key) => manifest[key].file).filter((f) => f.endsWith('.js')));
}

/**
 * Gzipped size of every script the technician's app can load, largest first: `onOpen` when
 * its screens open, `onDemand` only on a tap or in a rare case, `onScanning` when scanning starts.
 */
export function technicianScripts() {
	const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
	const starts = [START_ENTRY, APP_ENTRY, ...routeNodes(TECHNICIAN_ROUTE)];
	const onOpen = reachedFiles(manifest, starts, { dynamic: false });
	const all = reachedFiles(manifest, [...starts, ERROR_TEMPLATE], { dynamic: true });
	const allButScanning = reachedFiles(manifest, [...starts, ERROR_TEMPLATE], {
		dynamic: true,
		skipped: [SCANNER]
	});
	const sizes = (files) =>
		[...files]
			.map((file) => {
				const code = readFileSync(path.join(CLIENT_OUTPUT, file));
				return { file, raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
			})
			.sort((a, b) => b.gzip - a.gzip);
	return {
		onOpen: sizes(onOpen),
		onDemand: sizes([...allButScanning].filter((f) => !onOpen.has(f))),
		onScanning: sizes([...all].filter((f) => !allButScanning.has(f)))
	};
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const sum = (scripts) => scripts.reduce((total, script) => total + script.gzip, 0);

/**
 * Prints the technician's scripts (`technicianScripts()` unless given) and their totals; false
 * when over a budget.
 */
export function checkTechnicianBudget({ largest = 6, scripts = technicianScripts() } = {}) {
	const { onOpen, onDemand, onScanning } = scripts;
	const checks = [
		['first load (opening its screens)', onOpen, BUDGET_KIB],
		['on a tap or in a rare case', onDemand, ON_DEMAND_BUDGET_KIB],
		['when scanning starts', onScanning, SCANNING_BUDGET_KIB]
	];
	let ok = true;
	console.log('Technician app JavaScript, gzip -9:');
	for (const [when, scripts, budget] of checks) {
		const total = sum(scripts);
		const within = total <= budget * 1024;
		ok &&= within;
		console.log(
			`${within ? '✓' : '✗'} ${when}: ${kib(total)} (${total} bytes) in ${scripts.length} files, ` +
				`budget ${budget} KiB` +
				(within ? '' : `: OVER by ${kib(total - budget * 1024)}`)
		);
		for (const script of scripts.slice(0, largest)) {
			console.log(`    ${kib(script.gzip).padStart(9)}  ${script.file}`);
		}
		if (scripts.length > largest)
			console.log(`    … and ${scripts.length - largest} smaller files`);
	}
	const everything = sum(onOpen) + sum(onDemand) + sum(onScanning);
	console.log(`  everything the technician's app can load: ${kib(everything)}`);
	return ok;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	if (!checkTechnicianBudget({ largest: Infinity })) process.exitCode = 1;
}
