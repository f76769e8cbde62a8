#!/usr/bin/env node
/**
 * `npm run import`: runs scripts/import.ts with a heap bound sized to the jobs it will hold.
 *
 * A streamed import keeps only the keys of jobs.csv (and the ids given to them), about 220
 * bytes a job, so a bound of 320 MB holds a million jobs and keeps the process under ~500 MB;
 * without a bound V8 lets garbage grow to gigabytes. A larger station gets a bound to match
 * (jobs.csv's lines counted first, a fraction of a second per million), and a workbook, which
 * is unpacked in memory before it is read, gets a generous one.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

const run = spawnSync(
	process.execPath,
	[
		`--max-old-space-size=${await heapBoundMb()}`,
		'--import',
		'tsx',
		path.join(root, 'scripts', 'import.ts'),
		...args
	],
	{ stdio: 'inherit' }
);
process.exitCode = run.status ?? 1;
