#!/usr/bin/env node
/**
 * `npm run import`: runs scripts/import.ts with a heap bound sized to the jobs it will hold.
 *
 * It runs as one bundled module (esbuild, the packages left as imports), not through tsx: the
 * messages alone are 1,600 modules, and loading the sources through tsx's hooks took ~210 MB
 * before the first row was read, against ~100 MB bundled (a 1M-job import peaked at 474 MB
 * through tsx, 440–449 MB bundled, and ran no slower).
 *
 * A streamed import keeps only the keys of jobs.csv (and the ids given to them), about 220
 * bytes a job, so a bound of 320 MB holds a million jobs and keeps the process under ~500 MB;
 * without a bound V8 lets garbage grow to gigabytes. A larger station gets a bound to match
 * (jobs.csv's lines counted first, a fraction of a second per million), and a workbook, which
 * is unpacked in memory before it is read, gets a generous one.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	createReadStream,
	existsSync,
	mkdirSync,
	readdirSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { terminalLocale } from '../src/lib/server/interchange/terminal-locale.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

const FLOOR_MB = 320;
const BASE_MB = 100;
const BYTES_PER_JOB = 230;
const WORKBOOK_MB = 1024;

/** The lines of a file, counted as a stream; 0 when it cannot be read. */
async function lineCount(file) {
	let lines = 0;
	try {
		for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
			for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
		}
	} catch {
		return 0;
	}
	return lines;
}

/** Options of import.ts that take a value: the word after them is not the folder. */
const VALUED = new Set(['--station', '--station-name', '--timezone']);

/** The folder or workbook given, as import.ts will read it. */
function sourceArgument() {
	for (let i = 0; i < args.length; i++) {
		if (VALUED.has(args[i])) i += 1;
		else if (!args[i].startsWith('-')) return args[i];
	}
	return undefined;
}

async function heapBoundMb() {
	const source = sourceArgument();
	if (!source) return FLOOR_MB;
	let stats;
	try {
		stats = statSync(source);
	} catch {
		return FLOOR_MB; // import.ts says what is wrong with the path
	}
	if (stats.isFile()) return source.toLowerCase().endsWith('.xlsx') ? WORKBOOK_MB : FLOOR_MB;
	const jobs = await lineCount(path.join(source, 'jobs.csv'));
	return Math.max(FLOOR_MB, BASE_MB + Math.ceil((jobs * BYTES_PER_JOB) / (1 << 20)));
}

/**
 * scripts/import.ts bundled, in node_modules (so that its packages resolve from there), named by
 * its contents: runs at once share one file, and a changed source makes a new one.
 */
async function bundledCli() {
	const { build } = await import('esbuild');
	const { outputFiles } = await build({
		entryPoints: [path.join(root, 'scripts', 'import.ts')],
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		packages: 'external',
		write: false,
		outfile: 'import.mjs',
		logLevel: 'warning'
	});
	const code = outputFiles[0].contents;
	const folder = path.join(root, 'node_modules', '.cache', 'repairscore');
	const name = `import-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
	const file = path.join(folder, name);
	if (!existsSync(file)) {
		mkdirSync(folder, { recursive: true });
		for (const old of readdirSync(folder)) {
			// An earlier version's; a partial file of this one belongs to a run under way.
			if (old.startsWith('import-') && !old.startsWith(name)) {
				rmSync(path.join(folder, old), { force: true });
			}
		}
		const partial = `${file}.${process.pid}`;
		writeFileSync(partial, code);
		renameSync(partial, file);
	}
	return file;
}

/** The bundle; through tsx, as before, where it cannot be written (a read-only node_modules). */
async function cliArguments() {
	try {
		return [await bundledCli()];
	} catch (error) {
		console.error(
			terminalLocale() === 'zh-CN'
				? `（导入改经 tsx 运行，占用内存更多：${error.message}）`
				: `(import runs through tsx, using more memory: ${error.message})`
		);
		return ['--import', 'tsx', path.join(root, 'scripts', 'import.ts')];
	}
}

const run = spawnSync(
	process.execPath,
	[`--max-old-space-size=${await heapBoundMb()}`, ...(await cliArguments()), ...args],
	{ stdio: 'inherit' }
);
process.exitCode = run.status ?? 1;
