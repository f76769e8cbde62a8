/**
 * Benchmark: `npm run import` of a generated station folder (N jobs with a part line each and
 * a follow-up for every other job) against `psql \copy` of the same files into plain tables of
 * text columns, the floor of what loading these bytes can cost. Prints seconds, the ratio
 * and the import's peak RSS; then times an unchanged re-import (which must write nothing).
 * Last, the floor of any loader that keeps the schema: `psql \copy` of the rows the import
 * wrote, in the tables' own shape, back into the emptied app tables (their keys, indexes,
 * foreign keys and triggers), in one transaction as the import's.
 *
 *   npx tsx scripts/bench/import.ts [--jobs 1000000] [--quick]
 *
 * --quick: 20,000 jobs. The database is a scratch one (`bench_import`, dropped and made anew)
 * on the server of BENCH_DATABASE_URL / TEST_DATABASE_URL (default the local server).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openMigratedDatabase } from '../../src/lib/server/db/index';

const { values: options } = parseArgs({
	options: {
		jobs: { type: 'string', default: '1000000' },
		quick: { type: 'boolean', default: false }
	}
});
const JOBS = options.quick ? 20_000 : Number(options.jobs);
const SERVER_URL =
	process.env.BENCH_DATABASE_URL ||
	process.env.TEST_DATABASE_URL ||
	'postgres://postgres@127.0.0.1:5432/test';
const DATABASE = 'bench_import';
const FLOOR_DATABASE = 'bench_import_floor';
const urlOf = (database: string) => {
	const url = new URL(SERVER_URL);
	url.pathname = `/${database}`;
	return url.toString();
};
const benchUrl = urlOf(DATABASE);

const TECHNICIANS = 50;
const CATEGORIES = 10;
const PARTS = 100;

/** The station folder, written as streams (a 1M-job folder is a few hundred MB). */
async function writeFolder(folder: string): Promise<void> {
	const write = async (name: string, header: string, rows: (i: number) => string, n: number) => {
		const out = createWriteStream(path.join(folder, name));
		out.write(`${header}\n`);
		for (let i = 0; i < n; i++) {
			if (!out.write(`${rows(i)}\n`)) await once(out, 'drain');
		}
		out.end();
		await once(out, 'finish');
	};
	const login = (i: number) => `tech${i % TECHNICIANS}`;
	const day = (i: number) => {
		const date = new Date(Date.UTC(2025, 0, 1) + (i % 600) * 86_400_000);
		return date.toISOString().slice(0, 10);
	};
	await write(
		'technicians.csv',
		'login,name,role',
		(i) => `tech${i},技术员${i},technician`,
		TECHNICIANS
	);
	await write(
		'fault_categories.csv',
		'code,name,standard_minutes',
		(i) => `C${i},故障类别${i},${30 + i * 10}`,
		CATEGORIES
	);
	await write(
		'parts.csv',
		'sku,name,unit_cost,unit',
		(i) => `P${i},配件${i},${10 + i}.50,个`,
		PARTS
	);
	await write(
		'jobs.csv',
		'job_no,technician_login,reported_at,status,customer_name,customer_phone,customer_address,product_model,fault_category,arrived_at,started_at,completed_at,outcome',
		(i) =>
			`J${i},${login(i)},${day(i)} 09:00,completed,客户${i},1380000${String(i % 10_000).padStart(4, '0')},` +
			`上海市某路${i}号,KFR-35GW,C${i % CATEGORIES},${day(i)} 10:00,${day(i)} 10:10,${day(i)} 11:30,` +
			(i % 9 === 0 ? 'not_fixed' : 'fixed'),
		JOBS
	);
	await write('job_parts.csv', 'job_no,sku,qty', (i) => `J${i},P${i % PARTS},1`, JOBS);
	await write(
		'follow_ups.csv',
		'job_no,visited_at,channel,satisfaction,issue_resolved',
		(i) => `J${i * 2},${day(i * 2)} 15:00,phone,${1 + (i % 5)},yes`,
		Math.floor(JOBS / 2)
	);
}

/** Runs a command under /usr/bin/time; its wall seconds and peak RSS (MB). */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv) {
	const started = performance.now();
	const result = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', command, ...args], {
		env,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024
	});
	const seconds = (performance.now() - started) / 1000;
	if (result.status !== 0) {
		console.error(result.stdout.slice(-2000), result.stderr.slice(-2000));
		throw new Error(`${command} failed (exit ${result.status})`);
	}
	const rss = Number(/maxrss_kb=(\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024;
	return { seconds, rssMb: rss, stdout: result.stdout };
}

const PLAIN_TABLES: Record<string, string[]> = {
	technicians: ['login', 'name', 'role'],
	fault_categories: ['code', 'name', 'standard_minutes'],
	parts: ['sku', 'name', 'unit_cost', 'unit'],
	jobs: [
		'job_no',
		'technician_login',
		'reported_at',
		'status',
		'customer_name',
		'customer_phone',
		'customer_address',
		'product_model',
		'fault_category',
		'arrived_at',
		'started_at',
		'completed_at',
		'outcome'
	],
	job_parts: ['job_no', 'sku', 'qty'],
	follow_ups: ['job_no', 'visited_at', 'channel', 'satisfaction', 'issue_resolved']
};

/** The tables an import of jobs writes rows of, parents first. */
const WRITTEN_TABLES = ['jobs', 'job_step_entries', 'job_parts', 'follow_ups'];

/**
 * Seconds `psql \copy` takes to put the rows the import wrote back into the app's tables,
 * emptied, in a copy of the imported database: what loading them costs with the schema's
 * indexes, keys and triggers and no checks or merge at all.
 */
async function schemaFloorSeconds(folder: string, env: NodeJS.ProcessEnv): Promise<number> {
	const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`DROP DATABASE IF EXISTS ${FLOOR_DATABASE} WITH (FORCE)`);
		await admin.unsafe(`CREATE DATABASE ${FLOOR_DATABASE} TEMPLATE ${DATABASE}`);
		const floorUrl = urlOf(FLOOR_DATABASE);
		const rowsFile = (table: string) => `'${path.join(folder, `written_${table}.copy`)}'`;
		const psqlScript = (name: string, lines: string[]) => {
			const file = path.join(folder, name);
			writeFileSync(file, lines.join('\n'));
			return ['-q', '-v', 'ON_ERROR_STOP=1', floorUrl, '-f', file];
		};
		timed(
			'psql',
			psqlScript('floor-out.sql', [
				...WRITTEN_TABLES.map((table) => `\\copy ${table} TO ${rowsFile(table)}`),
				// The KPI staleness queue too, so that its inserts are timed as the import's are.
				'TRUNCATE jobs, job_kpi_stale CASCADE;',
				'VACUUM ANALYZE;'
			]),
			env
		);
		const load = timed(
			'psql',
			[
				'-1',
				...psqlScript(
					'floor-in.sql',
					WRITTEN_TABLES.map((table) => `\\copy ${table} FROM ${rowsFile(table)}`)
				)
			],
			env
		);
		return load.seconds;
	} finally {
		await admin.unsafe(`DROP DATABASE IF EXISTS ${FLOOR_DATABASE} WITH (FORCE)`);
		await admin.end();
	}
}

async function main() {
	const folder = mkdtempSync(path.join(tmpdir(), 'bench-import-'));
	try {
		console.log(`Generating ${JOBS.toLocaleString('en')} jobs in ${folder} …`);
		await writeFolder(folder);

		const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
		await admin.unsafe(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
		await admin.unsafe(`CREATE DATABASE ${DATABASE}`);
		await admin.end();
		// Migrations are not part of the import's time.
		const handle = await openMigratedDatabase({ kind: 'postgres', url: benchUrl });
		await handle.close();

		const copyScript = Object.entries(PLAIN_TABLES)
			.map(
				([table, columns]) =>
					`CREATE TABLE plain_${table} (${columns.map((c) => `${c} text`).join(', ')});\n` +
					`\\copy plain_${table} FROM '${path.join(folder, `${table}.csv`)}' CSV HEADER`
			)
			.join('\n');
		const env = { ...process.env, DATABASE_URL: benchUrl };
		const psql = timed('psql', ['-q', '-v', 'ON_ERROR_STOP=1', benchUrl, '-c', 'SELECT 1'], env);
		const copyFile = path.join(folder, 'copy.sql');
		writeFileSync(copyFile, copyScript);
		const copy = timed('psql', ['-q', '-v', 'ON_ERROR_STOP=1', benchUrl, '-f', copyFile], env);
		const copySeconds = copy.seconds - psql.seconds;

		// As `npm run import` runs it (package.json), its heap bound included.
		const importCommand = ['run', '--silent', 'import', '--', folder, '--station', 'BENCH'];
		const first = timed('npm', importCommand, env);
		const again = timed('npm', importCommand, env);
		const floorSeconds = (await schemaFloorSeconds(folder, env)) - psql.seconds;
		const ratio = first.seconds / copySeconds;
		console.log(
			[
				`import of ${JOBS.toLocaleString('en')} jobs (+ as many part lines, half as many follow-ups):`,
				`  psql \\copy into plain tables: ${copySeconds.toFixed(2)} s`,
				`  npm run import:                ${first.seconds.toFixed(2)} s, peak RSS ${first.rssMb.toFixed(0)} MB  (${ratio.toFixed(1)}× psql \\copy; goal ≤ 5×, < 500 MB)`,
				`  unchanged re-import:           ${again.seconds.toFixed(2)} s, peak RSS ${again.rssMb.toFixed(0)} MB`,
				`  psql \\copy of the rows the import wrote into the app's own tables (keys, indexes,`,
				`    triggers), one transaction: ${floorSeconds.toFixed(2)} s (${(floorSeconds / copySeconds).toFixed(1)}× the plain tables; the import is ${(first.seconds / floorSeconds).toFixed(2)}× it)`,
				...again.stdout
					.split('\n')
					.filter((line) => /unchanged/.test(line))
					.map((line) => `    ${line.trim()}`)
			].join('\n')
		);
	} finally {
		if (!process.env.BENCH_KEEP) rmSync(folder, { recursive: true, force: true });
	}
}

await main();
