import { randomBytes } from 'node:crypto';
import { defineConfig, devices } from '@playwright/test';

// E2E_PORT lets a second run (another checkout, a benchmark) use its own server and database.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const BASE_URL = `http://127.0.0.1:${PORT}`;
// A new embedded database per run, so the demo data every test relies on is freshly seeded.
const PGLITE_DIR = `test-results/e2e-pglite-${PORT}`;
// The demo accounts' one password for this run (no password is written in the code). Made
// here, in the runner's process.env: Playwright's workers are child processes that load this
// file again and inherit the environment, so `??=` keeps the runner's value in every worker
// (tests/helpers/demo.ts reads it), and the webServer's seed gets the same one.
process.env.DEMO_PASSWORD ??= `e2e-${randomBytes(12).toString('base64url')}`;

export default defineConfig({
	testDir: 'tests',
	testMatch: '*.spec.ts',
	// Two cores, one server with one embedded database: tests run one after another.
	workers: 1,
	fullyParallel: false,
	forbidOnly: true,
	reporter: 'list',
	// Twice the default: the longest journeys take 12-18 s on a quiet two-core machine, and a
	// busy one (a build beside the run) has been seen to make one take more than 30.
	timeout: 60_000,
	expect: { timeout: 10_000 },
	use: {
		baseURL: BASE_URL,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	projects: [
		// Technicians use phones: every test runs at the narrowest phone width we support, with touch.
		{ name: 'phone', use: { ...devices['Pixel 7'], viewport: { width: 360, height: 780 } } },
		// Supervisors also use tablets: their overview is checked at that size too.
		{ name: 'tablet', use: { ...devices['Galaxy Tab S4'] }, testMatch: 'supervisor.spec.ts' }
	],
	webServer: {
		command: `rm -rf ${PGLITE_DIR} && node scripts/start.mjs`,
		url: `${BASE_URL}/login`,
		// No ORIGIN: served as `npm start` serves a station's network, origin taken from each request.
		env: { PORT: String(PORT), PGLITE_DIR, DEMO_PASSWORD: process.env.DEMO_PASSWORD },
		reuseExistingServer: false,
		timeout: 180_000,
		stdout: 'pipe',
		stderr: 'pipe'
	}
});
