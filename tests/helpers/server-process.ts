/**
 * A production server of its own for a test (scripts/serve.mjs on the build the Playwright
 * config made), with the environment the test needs: a real Postgres database, ORIGIN,
 * ALLOWED_HOSTS... The shared e2e server cannot be restarted with other settings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createStation, createUser } from '../../src/lib/server/testing/fixtures';
import { createSession, SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { openMigratedDatabase } from '../../src/lib/server/db/index';

export interface ServerProcess {
	url: string;
	child: ChildProcess;
	/** Everything the server wrote, stdout and stderr. */
	log: () => string;
	stop(): Promise<void>;
}

export async function startServer(
	port: number,
	env: Record<string, string>
): Promise<ServerProcess> {
	const child = spawn(process.execPath, ['scripts/serve.mjs'], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited at start:\n${output}`);
		try {
			if ((await fetch(`${url}/healthz`)).ok) break;
		} catch {
			// Not listening yet.
		}
		if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return {
		url,
		child,
		log: () => output,
		stop: async () => {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	};
}

export interface ScratchDatabase {
	url: string;
	name: string;
	/** The session cookie of a technician of station OUT. */
	technicianCookie: string;
	drop(): Promise<void>;
}

/** A migrated scratch database on the server of TEST_DATABASE_URL, with a signed-in technician. */
export async function scratchPostgres(serverUrl: string): Promise<ScratchDatabase> {
	const name = `rs_http_${randomBytes(6).toString('hex')}`;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	const handle = await openMigratedDatabase({ kind: 'postgres', url: url.toString() });
	let technicianCookie: string;
	try {
		const station = await createStation(handle.db, 'OUT');
		const technician = await createUser(handle.db, station, 'tech1');
		const { token } = await createSession(handle.db, technician);
		technicianCookie = `${SESSION_COOKIE}=${token}`;
	} finally {
		await handle.close();
	}
	return {
		url: url.toString(),
		name,
		technicianCookie,
		drop: async () => {
			const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
			await dropper.unsafe(`drop database if exists ${name} with (force)`);
			await dropper.end();
		}
	};
}
