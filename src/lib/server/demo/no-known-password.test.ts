/**
 * Issue 10, "no known password on any install": `npm start`'s database preparation
 * (scripts/prepare-db.ts) run as a child process, as `npm start` runs it, on a fresh
 * embedded database, and on an empty real database (DATABASE_URL) when one is available.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/password';
import { openMigratedDatabase, type DatabaseHandle } from '../db';
import { queryRows } from '../db/rows';
import { DEMO_ACCOUNTS } from './catalog';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const run = promisify(execFile);
// Child processes that migrate and build the demo on a busy machine.
const CHILD_TIMEOUT = 600_000;

async function prepareDb(env: NodeJS.ProcessEnv, args: string[] = []) {
	const { stdout } = await run(
		process.execPath,
		['--import', 'tsx', 'scripts/prepare-db.ts', ...args],
		{ cwd: repoRoot, env, timeout: CHILD_TIMEOUT }
	);
	return stdout;
}

/** The environment of `npm start` with nothing of the test run's own (no DEMO_PASSWORD). */
function startEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
	delete env.DEMO_PASSWORD;
	if (!extra.DATABASE_URL) delete env.DATABASE_URL;
	return env;
}

/**
 * Every quoted string near the word "password" in the code, tests and docs: any password the
 * project ever wrote down. Shorter than 8 characters could never be set (the oldest minimum).
 */
function passwordsWrittenInTheProject(): string[] {
	const files: string[] = [];
	const walk = (entry: string) => {
		const full = path.join(repoRoot, entry);
		if (statSync(full).isDirectory()) {
			if (entry.endsWith('paraglide')) return;
			for (const child of readdirSync(full)) walk(path.join(entry, child));
		} else if (/\.(ts|js|mjs|svelte|md|json)$/.test(entry)) {
			files.push(full);
		}
	};
	for (const entry of ['src', 'scripts', 'tests', 'docs', 'messages', 'README.md']) walk(entry);
	const found = new Set<string>(['demo1234']);
	for (const file of files) {
		const lines = readFileSync(file, 'utf8').split('\n');
		lines.forEach((line, index) => {
			if (!/passw|密码/i.test(line)) return;
			for (const near of lines.slice(index, index + 3)) {
				for (const match of near.matchAll(/(['"`])([^'"`\n]{8,64})\1/g)) found.add(match[2]);
			}
		});
	}
	return [...found];
}

describe('a fresh embedded database (npm start)', () => {
	let dataDir: string;
	let firstStart: string;
	let handle: DatabaseHandle | null = null;

	beforeAll(async () => {
		dataDir = mkdtempSync(path.join(tmpdir(), 'rs-prepare-db-'));
		firstStart = await prepareDb(startEnvironment({ PGLITE_DIR: dataDir }));
	}, CHILD_TIMEOUT);
	afterAll(async () => {
		await handle?.close();
		rmSync(dataDir, { recursive: true, force: true });
	});

	it(
		'prints each demo account’s new password once; the next start shows none',
		async () => {
			const printed = new Map<string, string>();
			for (const account of DEMO_ACCOUNTS) {
				const line = firstStart
					.split('\n')
					.find((text) => text.trim().split(/\s+/)[1] === account.login);
				const password = line?.trim().split(/\s+/)[2];
				expect(password, account.login).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
				printed.set(account.login, password as string);
			}
			expect(new Set(printed.values()).size).toBe(DEMO_ACCOUNTS.length);

			const secondStart = await prepareDb(startEnvironment({ PGLITE_DIR: dataDir }));
			for (const password of printed.values()) expect(secondStart).not.toContain(password);
			expect(secondStart).toContain('npm run seed -- --reset');

			handle = await openMigratedDatabase({ kind: 'pglite', dir: dataDir });
			const rows = await queryRows<{ login: string; password_hash: string }>(
				handle.db,
				sql`SELECT login, password_hash FROM users`
			);
			for (const row of rows) {
				expect(row.password_hash).toMatch(/^\$argon2id\$/);
				expect(await verifyPassword(row.password_hash, printed.get(row.login) as string)).toBe(
					true
				);
			}
		},
		CHILD_TIMEOUT
	);

	it(
		'has no account whose password is written anywhere in the code or the docs',
		async () => {
			handle ??= await openMigratedDatabase({ kind: 'pglite', dir: dataDir });
			const rows = await queryRows<{ login: string; password_hash: string }>(
				handle.db,
				sql`SELECT login, password_hash FROM users WHERE password_hash IS NOT NULL`
			);
			expect(rows.length).toBe(DEMO_ACCOUNTS.length);
			const candidates = passwordsWrittenInTheProject();
			expect(candidates.length).toBeGreaterThan(50);
			const checks = rows.flatMap((row) =>
				candidates.map((candidate) => ({ login: row.login, hash: row.password_hash, candidate }))
			);
			const known: string[] = [];
			// A few at a time: argon2 verifies on libuv's thread pool.
			for (let start = 0; start < checks.length; start += 8) {
				await Promise.all(
					checks.slice(start, start + 8).map(async ({ login, hash, candidate }) => {
						if (await verifyPassword(hash, candidate)) known.push(`${login}: ${candidate}`);
					})
				);
			}
			expect(known).toEqual([]);
		},
		CHILD_TIMEOUT
	);
});

const serverUrl = process.env.TEST_DATABASE_URL;

describe.runIf(serverUrl)('an empty real database (DATABASE_URL)', () => {
	const name = `rs_test_start_${randomBytes(6).toString('hex')}`;
	let databaseUrl: string;

	beforeAll(async () => {
		const admin = postgres(serverUrl as string, { max: 1, onnotice: () => {} });
		try {
			await admin.unsafe(`create database ${name}`);
		} finally {
			await admin.end();
		}
		const url = new URL(serverUrl as string);
		url.pathname = `/${name}`;
		databaseUrl = url.toString();
	});
	afterAll(async () => {
		const admin = postgres(serverUrl as string, { max: 1, onnotice: () => {} });
		try {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
		} finally {
			await admin.end();
		}
	});

	async function countAccounts() {
		const handle = await openMigratedDatabase({ kind: 'postgres', url: databaseUrl });
		try {
			const [row] = await queryRows<{ stations: number; users: number }>(
				handle.db,
				sql`SELECT (SELECT count(*) FROM stations)::int AS stations,
					(SELECT count(*) FROM users)::int AS users`
			);
			return row;
		} finally {
			await handle.close();
		}
	}

	it(
		'gets no demo and no account, and is told how to create the first administrator',
		async () => {
			const output = await prepareDb(startEnvironment({ DATABASE_URL: databaseUrl }));
			expect(await countAccounts()).toEqual({ stations: 0, users: 0 });
			expect(output).toContain('npm run user -- add --station HQ');
			expect(output).toContain('--role system_admin');
			expect(output).toContain('npm start -- --demo');
		},
		CHILD_TIMEOUT
	);

	it(
		'gets the demo when asked with --demo',
		async () => {
			const output = await prepareDb(startEnvironment({ DATABASE_URL: databaseUrl }), ['--demo']);
			expect(output).toContain('created the demo station');
			expect(await countAccounts()).toEqual({ stations: 1, users: DEMO_ACCOUNTS.length });
		},
		CHILD_TIMEOUT
	);
});
