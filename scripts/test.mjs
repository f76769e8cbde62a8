#!/usr/bin/env node
/**
 * `npm test`: every test, in order: unit and integration (vitest; on in-memory PGlite and on
 * the PostgreSQL server of TEST_DATABASE_URL), then the production build, the technician app's
 * JavaScript budget on the built files, and the Playwright end-to-end suite in Debian's Chromium. Nothing is skipped silently: what cannot run says
 * so and fails the run, except the real-Postgres suite when no server is configured or
 * reachable, which is announced loudly. With a real server, the PgBouncer and the hot-standby
 * replica of the scaling suite (db/scaling.test.ts) are set up first by scripts/test-infra.sh.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './build.mjs';
import { checkTechnicianBudget } from './size-budget.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

function step(title) {
	console.log(`\n━━ ${title}`);
}

function run(command, args, env = {}) {
	const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	if (result.status !== 0) {
		console.error(
			`\n✗ ${[command, ...args].join(' ')} failed (exit ${result.status ?? result.signal}).`
		);
		process.exit(result.status || 1);
	}
}

function ensureChromium() {
	if (existsSync(CHROMIUM)) return;
	const install = 'apt-get update && apt-get install -y chromium';
	if (process.getuid?.() === 0) {
		step(`Chromium not found at ${CHROMIUM}: installing Debian's package`);
		run('sh', ['-c', `DEBIAN_FRONTEND=noninteractive ${install}`]);
		if (existsSync(CHROMIUM)) return;
	}
	console.error(
		`\n✗ The end-to-end tests need Chromium at ${CHROMIUM} and it is not installed.\n` +
			`  Run as root:  ${install}\n` +
			'  (or set CHROMIUM_PATH to a Chromium binary). No browser download is attempted.'
	);
	process.exit(1);
}

function reachable(url) {
	const { hostname, port } = new URL(url);
	return new Promise((resolve) => {
		const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port) || 5432 });
		socket.setTimeout(2000);
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('timeout', () => (socket.destroy(), resolve(false)));
		socket.once('error', () => resolve(false));
	});
}

async function postgresForTests() {
	if (process.env.TEST_DATABASE_URL) {
		if (!(await reachable(process.env.TEST_DATABASE_URL))) {
			console.error(`\n✗ TEST_DATABASE_URL is set but its server does not answer.`);
			process.exit(1);
		}
		return process.env.TEST_DATABASE_URL;
	}
	if (await reachable(LOCAL_POSTGRES)) {
		console.log(`TEST_DATABASE_URL is not set; using the local server ${LOCAL_POSTGRES}.`);
		return LOCAL_POSTGRES;
	}
	console.warn(
		'\n' +
			'!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' +
			'!! NOT RUN: the integration suites on a real PostgreSQL server.                    !!\n' +
			'!! No TEST_DATABASE_URL and nothing on 127.0.0.1:5432. Set TEST_DATABASE_URL to run  !!\n' +
			'!! them; they still run on the embedded PGlite.                                     !!\n' +
			'!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
	);
	return '';
}

/**
 * PgBouncer and the replica beside the local server (scripts/test-infra.sh, idempotent). Only
 * root can make them; anyone else is told the command, and the scaling suite then fails.
 */
function ensureScalingInfrastructure(databaseUrl) {
	const { hostname } = new URL(databaseUrl);
	if (!['127.0.0.1', 'localhost'].includes(hostname)) return;
	const setup = 'sudo bash scripts/test-infra.sh';
	if (process.getuid?.() !== 0) {
		console.warn(`\n! Not root: PgBouncer and the read replica are not set up. Run:  ${setup}`);
		return;
	}
	step('PgBouncer and the hot-standby replica (scripts/test-infra.sh)');
	run('bash', ['scripts/test-infra.sh']);
}

const started = Date.now();
ensureChromium();
const testDatabaseUrl = await postgresForTests();
if (testDatabaseUrl) ensureScalingInfrastructure(testDatabaseUrl);
const env = testDatabaseUrl ? { TEST_DATABASE_URL: testDatabaseUrl } : {};

mkdirSync('test-results', { recursive: true });
const VITEST_REPORT = 'test-results/vitest.json';
const PLAYWRIGHT_REPORT = 'test-results/playwright.json';

// Vitest runs without the Paraglide Vite plugin, so the message modules must exist first.
step('Compile translations (Paraglide)');
run(process.execPath, [
	'node_modules/@inlang/paraglide-js/bin/run.js',
	'compile',
	'--project',
	'./project.inlang',
	'--outdir',
	'./src/lib/paraglide'
]);

step('Unit and integration tests (vitest)');
run(
	process.execPath,
	[
		'node_modules/vitest/vitest.mjs',
		'run',
		'--reporter=default',
		'--reporter=json',
		`--outputFile.json=${VITEST_REPORT}`
	],
	env
);
// Read now: Playwright empties test-results/ (its output folder) when it starts.
const vitest = JSON.parse(readFileSync(VITEST_REPORT, 'utf8'));

step('Production build');
buildApp();
writeFileSync(path.join('build', '.build-stamp'), new Date().toISOString());

// Right after the build, before the long end-to-end run: the sizes depend only on the built files.
step('Technician JavaScript budget (built files, gzip)');
if (!checkTechnicianBudget()) {
	console.error('\n✗ The technician app is over its JavaScript budget (scripts/size-budget.mjs).');
	process.exit(1);
}

step('End-to-end tests (Playwright, Chromium)');
run(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--reporter=list,json'], {
	...env,
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
	PLAYWRIGHT_JSON_OUTPUT_NAME: PLAYWRIGHT_REPORT
});

// One plain closing line over both runners, so CI reads the whole count.
const playwright = JSON.parse(readFileSync(PLAYWRIGHT_REPORT, 'utf8')).stats;
// The budget check counts as one test (it passed, or the run stopped above).
const passed = vitest.numPassedTests + 1 + playwright.expected;
const failed = vitest.numFailedTests + playwright.unexpected + playwright.flaky;
const skipped = vitest.numPendingTests + vitest.numTodoTests + playwright.skipped;
console.log(`\nAll tests passed in ${Math.round((Date.now() - started) / 1000)} s.`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
// A skipped test hides a failure; the only ones allowed are the real-Postgres suites, and
// only when no server was found (announced above).
if (failed > 0 || (skipped > 0 && testDatabaseUrl)) process.exit(1);
