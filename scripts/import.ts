/**
 * npm run import -- <folder or workbook.xlsx> --station <code> [--station-name <name>] [--timezone <tz>] [--dry-run]
 *
 * Imports a folder of interchange CSV files (import-format.md), or an .xlsx workbook with one
 * sheet per file (interchange/xlsx.ts), into the station, creating
 * the station when no station has that code (name: the code, time zone: Asia/Shanghai,
 * unless given). All or nothing: any problem is listed as `file:line: column: reason` and
 * nothing is changed. Problems are in the terminal's language: Chinese when LC_ALL,
 * LC_MESSAGES or LANG names zh, else English. Uses the server's database (DATABASE_URL, else PGLITE_DIR).
 * --dry-run checks and merges everything as an import would, prints what would be added,
 * changed and removed per file, and rolls it all back. A progress line goes to stderr.
 * Exit codes: 0 imported (or a clean dry run), 1 refused (problems listed), 2 bad arguments.
 */
import { openMigratedDatabase } from '../src/lib/server/db/index';
import {
	optionValue,
	parseCommandLine,
	runCli,
	UsageError
} from '../src/lib/server/interchange/cli';
import {
	FolderError,
	importStationFiles,
	readImportSource,
	renderProblemReport,
	terminalLocale,
	type ImportProgress,
	type ImportSummary
} from '../src/lib/server/interchange/index';
import type { ProblemReport } from '../src/lib/server/interchange/problems';
import { atSheetRows } from '../src/lib/server/interchange/xlsx';
import { m } from '../src/lib/paraglide/messages.js';
import { stationCodeSchema } from '../src/lib/shared/schemas';

const USAGE =
	'Usage: npm run import -- <folder> --station <code> [--station-name <name>] [--timezone <tz>] [--dry-run]\n' +
	'  <folder>: a folder of CSV files, or an .xlsx workbook with one sheet per file';

/**
 * Rows one file may have here: the operator's import of a whole station's history (the upload
 * page keeps IMPORT_LIMITS.rows, which bounds what a request costs the server).
 */
const COMMAND_LINE_MAX_ROWS = 5_000_000;

await runCli(USAGE, async (argv) => {
	const started = performance.now();
	const { values, positionals } = parseCommandLine(
		argv,
		['station', 'station-name', 'timezone'],
		['<folder>'],
		['dry-run']
	);
	const [folder] = positionals;
	const stationCode = optionValue('station', stationCodeSchema, values.station);
	let source;
	try {
		source = await readImportSource(folder);
	} catch (error) {
		if (error instanceof FolderError) throw new UsageError(error.message);
		throw error;
	}
	if (!source.ok) return refused(source.problems, folder);

	const handle = await openMigratedDatabase();
	try {
		console.error(`Database: ${handle.kind} at ${handle.location}`);
		const progress = progressLine();
		const result = await importStationFiles(
			handle.db,
			{ stationCode, stationName: values['station-name'], timeZone: values.timezone },
			source.files,
			{
				dryRun: values['dry-run'] ?? false,
				onProgress: progress.show,
				maxRows: COMMAND_LINE_MAX_ROWS
			}
		);
		progress.end();
		if (!result.ok) return refused(atSheetRows(result, source.sheetRows), folder);
		printSummary(folder, result.summary);
	} finally {
		await handle.close();
	}
	console.log(`Done in ${((performance.now() - started) / 1000).toFixed(2)} s.`);
	return 0;
});

/** Lists the problems in the terminal's language (LANG), as the import page speaks the page's. */
function refused(report: ProblemReport, folder: string): number {
	const locale = terminalLocale();
	for (const line of renderProblemReport(report, locale)) console.error(line);
	const count = report.problems.length + report.omitted;
	const message = count === 1 ? m.ix_cli_refused_one : m.ix_cli_refused;
	console.error(message({ count, folder }, { locale }));
	return 1;
}

/**
 * The progress line on stderr: rewritten in place on a terminal, one line per file and stage
 * otherwise (a log stays short).
 */
function progressLine() {
	const terminal = process.stderr.isTTY;
	let shown = '';
	let stage = '';
	return {
		show: ({ phase, file, rows }: ImportProgress) => {
			shown = `${phase} ${file}: ${rows.toLocaleString('en')} rows`;
			if (terminal) process.stderr.write(`\r\x1b[K${shown}`);
			else if (`${phase} ${file}` !== stage) {
				// Off a terminal only a stage's start is logged: its count is known only for writing.
				console.error(phase === 'writing' ? shown : `${phase} ${file}`);
			}
			stage = `${phase} ${file}`;
		},
		end: () => {
			if (terminal && shown !== '') process.stderr.write('\r\x1b[K');
		}
	};
}

function printSummary(folder: string, summary: ImportSummary): void {
	const { station } = summary;
	const which = station.created ? 'the new station' : 'station';
	if (summary.dryRun) {
		console.log(
			`Dry run: nothing was written. Importing ${folder} into ${which} ${station.code} would:`
		);
		const keyed = [
			['technicians', summary.technicians],
			['fault categories', summary.faultCategories],
			['parts', summary.parts],
			['jobs', summary.jobs]
		] as const;
		for (const [label, counts] of keyed) {
			console.log(
				`  ${`${label}:`.padEnd(18)} add ${counts.inserted}, change ${counts.updated}, ` +
					`remove 0 (${counts.unchanged} unchanged)`
			);
		}
		const children = [
			['part lines', summary.partLines, 'job_parts.csv'],
			['follow-ups', summary.followUps, 'follow_ups.csv']
		] as const;
		for (const [label, counts, file] of children) {
			console.log(
				`  ${`${label}:`.padEnd(18)} ` +
					(counts
						? `add ${counts.written}, change 0, remove ${counts.removed} (${counts.unchanged} unchanged)`
						: `leave as they are (no ${file})`)
			);
		}
		return;
	}
	console.log(
		`Imported ${folder} into ${which} ${station.code} (${station.name}, ${station.timeZone}).`
	);
	const upserted = [
		['technicians', summary.technicians],
		['fault categories', summary.faultCategories],
		['parts', summary.parts],
		['jobs', summary.jobs]
	] as const;
	for (const [label, counts] of upserted) {
		console.log(
			`  ${`${label}:`.padEnd(18)} ${counts.inserted} created, ${counts.updated} updated, ` +
				`${counts.unchanged} unchanged`
		);
	}
	const replaced = [
		['part lines', summary.partLines, 'job_parts.csv'],
		['follow-ups', summary.followUps, 'follow_ups.csv']
	] as const;
	for (const [label, counts, file] of replaced) {
		const text = counts
			? `${counts.written} written, ${counts.removed} removed, ${counts.unchanged} unchanged`
			: `left as they were (no ${file})`;
		console.log(`  ${`${label}:`.padEnd(18)} ${text}`);
	}
}
