/**
 * The production build (`vite build`), as `npm start` and `npm test` run it.
 *
 * Once, on this two-core machine, a build stopped in the middle of the server bundle and never
 * ended (19 minutes without a line, until killed); the same build, run again, took 30 s.
 * Rolldown, Vite's bundler, has open reports of such hangs on small machines
 * (rolldown/rolldown#10102, #3452). A build normally ends within a minute or two, so one that
 * has not after ten is stopped and started once more, saying so, rather than holding up a
 * start or a CI run until its own time limit.
 */
import { spawnSync } from 'node:child_process';

const BUILD_TIMEOUT_MS = 10 * 60_000;
const ATTEMPTS = 2;

/** Builds the app into build/; exits the process when the build fails. */
export function buildApp() {
	for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
		const result = spawnSync(
			process.execPath,
			['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'],
			{ stdio: 'inherit', timeout: BUILD_TIMEOUT_MS, killSignal: 'SIGKILL' }
		);
		if (result.status === 0) return;
		const hung = result.error?.code === 'ETIMEDOUT';
		if (!hung) {
			console.error(`\n✗ vite build failed (exit ${result.status ?? result.signal}).`);
			process.exit(result.status || 1);
		}
		console.error(
			`\n✗ vite build had not ended after ${BUILD_TIMEOUT_MS / 60_000} minutes and was stopped` +
				(attempt < ATTEMPTS ? '; building again.' : '.')
		);
	}
	process.exit(1);
}
