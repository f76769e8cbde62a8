/**
 * An .xlsx workbook as the folder of CSV files it stands for (import-format.md), so that the
 * import reads and checks a workbook exactly as it reads the folder.
 *
 * - One sheet per file, named like the file with or without `.csv`, in any case (`jobs`,
 *   `Jobs.csv`); every sheet, hidden ones too, must be one of the files: any other sheet is
 *   refused, as an unknown file is.
 * - A cell becomes the CSV value a spreadsheet's own "save as CSV" would write, without its
 *   display formats: text as it is (so an export opened in Excel and saved as a workbook
 *   imports the same: `'=x` reads `=x` in both), numbers as plain decimals rounded to Excel's
 *   15 significant digits (12.5, never 12.499999999999998 or 1e+21), booleans `true`/`false`,
 *   dates and times as local wall-clock `YYYY-MM-DD HH:mm:ss` (a cell has no time zone; the
 *   import reads local times in the station's), a formula as its calculated value. A formula
 *   without one (written by a program that does not calculate) and an error value (#N/A) are
 *   problems. A formula's boolean result reads 1 or 0: the file keeps it as a number.
 * - The sheet's row number is the CSV line: empty rows become blank lines (which the import
 *   skips), trailing ones are dropped. A cell with line breaks makes its CSV record span lines,
 *   so later records start below their row; the converter keeps where each row went
 *   (`sheetRows`) and atSheetRows puts the import's problems back on the sheet's rows.
 *
 * Bounded: the zip is checked part by part before its XML is parsed (workbook-zip.ts), every
 * part the import reads together unpacking to at most WORKBOOK_LIMITS.unpackedBytes, and a
 * sheet may not go past row WORKBOOK_LIMITS.rows (Excel's own last row). Sheets are read as a
 * stream (exceljs's WorkbookReader), one row at a time.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { INTERCHANGE_FILE_NAMES, isInterchangeFile } from './format';
import {
	ProblemList,
	type ImportProblem,
	type ProblemReport,
	type ReasonArguments
} from './problems';
import {
	checkedParts,
	partText,
	rebuiltZip,
	storedPart,
	UnreadableZip,
	ZipTooLarge,
	type ZipPart
} from './workbook-zip';

export const WORKBOOK_LIMITS = {
	/** What the parts read (sheets, shared strings, styles) may unpack to together. */
	unpackedBytes: 256 * 1024 * 1024,
	/** The last row a sheet may use: Excel's. */
	rows: 1_048_576
} as const;

/**
 * Per file, where its CSV lines and the sheet's rows part: from `line` on, line n holds row
 * `row + (n - line)`. Empty when every record starts on its row's line.
 */
export type SheetRows = Record<string, [line: number, row: number][]>;

export type WorkbookResult =
	| { ok: true; files: Record<string, Uint8Array>; sheetRows: SheetRows }
	| { ok: false; problems: ProblemReport };

type Limits = { [K in keyof typeof WORKBOOK_LIMITS]: number };

const WORKBOOK = { place: 'workbook' } as const;

/** The parts of the package the streaming reader reads, in the order it needs them. */
const WORKBOOK_RELATIONS = 'xl/_rels/workbook.xml.rels';
const READ_FIRST = [WORKBOOK_RELATIONS, 'xl/workbook.xml', 'xl/styles.xml', 'xl/sharedStrings.xml'];
const SHEET_PART = /^xl\/worksheets\/sheet\d+\.xml$/;
const EMPTY_SHARED_STRINGS =
	'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
	'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>';
/** The start of an OLE compound file: an .xls, or an .xlsx encrypted with a password. */
const COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** The workbook's sheets as the import's files, or the problems that stop it being read. */
export async function workbookFiles(
	bytes: Uint8Array,
	limits: Limits = WORKBOOK_LIMITS
): Promise<WorkbookResult> {
	const problems = new ProblemList();
	const refuse = (...reason: ReasonArguments): WorkbookResult => {
		problems.about(WORKBOOK, ...reason);
		return { ok: false, problems: problems.report() };
	};
	if (COMPOUND_FILE.every((byte, i) => bytes[i] === byte)) return refuse('workbook_legacy');
	if (bytes.length > limits.unpackedBytes) return workbookTooLarge(limits);

	let zip: Uint8Array;
	try {
		const parts = await checkedParts(
			bytes,
			(name) => READ_FIRST.includes(name) || SHEET_PART.test(name),
			limits.unpackedBytes
		);
		const rank = (name: string) => {
			const first = READ_FIRST.indexOf(name);
			return first === -1 ? READ_FIRST.length : first;
		};
		// A zip, but not a workbook's (a .docx, a folder zipped up).
		if (!parts.some((part) => part.name === 'xl/workbook.xml'))
			return refuse('workbook_unreadable');
		const relations = parts.findIndex((part) => part.name === WORKBOOK_RELATIONS);
		if (relations !== -1) parts[relations] = withRelativeTargets(parts[relations]);
		if (!parts.some((part) => part.name === 'xl/sharedStrings.xml')) {
			// Without it the reader would park every sheet in a temporary file until the end.
			parts.push(storedPart('xl/sharedStrings.xml', EMPTY_SHARED_STRINGS));
		}
		zip = rebuiltZip(parts.sort((a, b) => rank(a.name) - rank(b.name)));
	} catch (error) {
		if (error instanceof ZipTooLarge) return workbookTooLarge(limits);
		if (error instanceof UnreadableZip) return refuse('workbook_unreadable');
		throw error;
	}

	const files: Record<string, Uint8Array> = {};
	const sheetRows: SheetRows = {};
	const sheetOfFile = new Map<string, string>();
	const sheetsRead = new Set<string>();
	try {
		const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([zip]), {
			sharedStrings: 'cache',
			styles: 'cache',
			hyperlinks: 'ignore',
			worksheets: 'emit',
			entries: 'ignore'
		});
		const workbook = reader as unknown as WorkbookInternals;
		for await (const worksheet of reader) {
			const sheet = (worksheet as unknown as { name: string }).name;
			sheetsRead.add(sheet);
			const file = fileOfSheet(sheet);
			if (!isInterchangeFile(file)) {
				problems.about(WORKBOOK, 'unknown_sheet', {
					sheet,
					sheets: INTERCHANGE_FILE_NAMES.map((name) => name.replace(/\.csv$/, '')).join(', ')
				});
				continue;
			}
			const first = sheetOfFile.get(file);
			if (first !== undefined) {
				problems.about(WORKBOOK, 'sheet_repeated', { first, second: sheet, file });
				continue;
			}
			sheetOfFile.set(file, sheet);
			const date1904 = workbook.properties?.model?.date1904 === true;
			const csv = new SheetCsv(file, problems, limits.rows, date1904);
			for await (const row of worksheet) {
				if (!csv.add(row)) break;
			}
			files[file] = csv.bytes();
			sheetRows[file] = csv.breaks;
		}
		for (const { name } of workbook.model?.sheets ?? []) {
			if (!sheetsRead.has(name)) problems.about(WORKBOOK, 'sheet_unreadable', { sheet: name });
		}
	} catch {
		// The package passed the zip checks, so its XML is what is broken.
		return refuse('workbook_unreadable');
	}
	if (problems.count > 0) return { ok: false, problems: problems.report() };
	return { ok: true, files, sheetRows };
}

/** The refusal of a workbook that unpacks (or would) past the limit. */
export function workbookTooLarge(limits: Limits = WORKBOOK_LIMITS): WorkbookResult {
	const problems = new ProblemList();
	problems.about(WORKBOOK, 'workbook_too_large', { max: limits.unpackedBytes / (1024 * 1024) });
	return { ok: false, problems: problems.report() };
}

/**
 * The workbook's relations with its parts named relative to xl/: exceljs finds a sheet's name
 * only by `worksheets/sheetN.xml`, and some writers (Python's openpyxl) name it
 * `/xl/worksheets/sheetN.xml`, an equally valid name that would leave the sheet nameless.
 */
function withRelativeTargets(part: ZipPart): ZipPart {
	return storedPart(part.name, partText(part).replace(/\bTarget="\/xl\//g, 'Target="'));
}

/** The import's problems with their lines put back on the sheets' rows. */
export function atSheetRows(report: ProblemReport, sheetRows: SheetRows): ProblemReport {
	const problems = report.problems.map((problem): ImportProblem => {
		const breaks = problem.file === null ? undefined : sheetRows[problem.file];
		if (!breaks || problem.line === null) return problem;
		return { ...problem, line: rowOfLine(breaks, problem.line) };
	});
	return { problems, omitted: report.omitted };
}

function rowOfLine(breaks: SheetRows[string], line: number): number {
	let low = 0;
	let high = breaks.length - 1;
	let found = -1;
	while (low <= high) {
		const middle = (low + high) >> 1;
		if (breaks[middle][0] <= line) {
			found = middle;
			low = middle + 1;
		} else high = middle - 1;
	}
	if (found === -1) return line;
	const [from, row] = breaks[found];
	return row + (line - from);
}

/** `jobs`, `Jobs.csv` → `jobs.csv`. */
function fileOfSheet(sheet: string): string {
	const name = sheet.trim().toLowerCase();
	return name.endsWith('.csv') ? name : `${name}.csv`;
}

/** What exceljs's streaming reader knows of the workbook once it read workbook.xml. */
interface WorkbookInternals {
	properties?: { model?: { date1904?: boolean } };
	model?: { sheets?: { name: string }[] };
}

/** One sheet written as its CSV file, row by row. */
class SheetCsv {
	/** Where records stopped starting on their row's line (SheetRows). */
	readonly breaks: SheetRows[string] = [];
	private readonly chunks: string[] = [];
	/** The line the next record starts on. */
	private line = 1;
	private lastRow = 0;
	/** How many lines below its row the next record starts, as `breaks` last said. */
	private shift = 0;
	/** Column names of the header (row 1), for problems in the rows below. */
	private header: string[] = [];

	constructor(
		private readonly file: string,
		private readonly problems: ProblemList,
		private readonly maxRows: number,
		private readonly date1904: boolean
	) {}

	/** Adds a row; false when the sheet must not be read further. */
	add(row: ExcelJS.Row): boolean {
		const number = row.number;
		if (!Number.isSafeInteger(number) || number <= this.lastRow) {
			throw new Error(`row ${number} after row ${this.lastRow}`);
		}
		this.lastRow = number;
		const fields: string[] = [];
		row.eachCell({ includeEmpty: false }, (cell, column) => {
			const value = this.cellText(cell, number, column);
			if (value !== '') fields[column - 1] = value;
		});
		if (fields.length === 0) return true;
		if (number > this.maxRows) {
			this.problems.at(this.file, number, { place: 'file' }, 'too_many_rows', {
				max: this.maxRows
			});
			return false;
		}
		if (number === 1) this.header = Array.from(fields, (name) => (name ?? '').trim().toLowerCase());
		const width = Math.max(fields.length, this.header.length);
		const record = Array.from({ length: width }, (_, i) => csvField(fields[i] ?? ''));
		if (this.line < number) {
			this.chunks.push('\r\n'.repeat(number - this.line));
			this.line = number;
		}
		if (this.line - number !== this.shift) {
			this.shift = this.line - number;
			this.breaks.push([this.line, number]);
		}
		const text = record.join(',');
		this.chunks.push(text, '\r\n');
		this.line += 1 + (text.match(LINE_BREAKS)?.length ?? 0);
		return true;
	}

	bytes(): Uint8Array {
		return new TextEncoder().encode(this.chunks.join(''));
	}

	private cellText(cell: ExcelJS.Cell, row: number, column: number): string {
		const value = cell.value as CellValue;
		const problem = (...reason: ReasonArguments) => {
			const name = row > 1 ? this.header[column - 1] : undefined;
			this.problems.at(this.file, row, name ? name : { place: 'column', index: column }, ...reason);
			return '';
		};
		if (value === null || value === undefined) return '';
		if (typeof value === 'string') return value;
		if (typeof value === 'boolean') return String(value);
		if (typeof value === 'number') return plainNumber(value);
		if (value instanceof Date) {
			// A date-formatted number too large for a date.
			return Number.isNaN(value.getTime()) ? problem('not_timestamp') : wallClock(value.getTime());
		}
		if ('error' in value) return problem('cell_error');
		if ('richText' in value) return value.richText.map((run) => run.text).join('');
		if ('formula' in value || 'sharedFormula' in value) {
			// The cell's value leaves out a result that is falsy (0, false, ""); its model keeps it.
			const { result } = cell.model as FormulaResult;
			if (result === undefined) return problem('formula_without_value');
			if (typeof result === 'number') {
				if (Number.isNaN(result)) return problem('cell_error');
				return isDateFormat(cell.numFmt)
					? wallClock(serialToEpochMs(result, this.date1904))
					: plainNumber(result);
			}
			if (result instanceof Date) return wallClock(result.getTime());
			if (typeof result === 'object') return problem('cell_error');
			return String(result);
		}
		// A hyperlink: its text.
		return value.text;
	}
}

/** What exceljs's streaming reader puts in a cell. */
type CellValue =
	| null
	| undefined
	| string
	| number
	| boolean
	| Date
	| { error: string }
	| { richText: { text: string }[] }
	| ({ formula: string } & FormulaResult)
	| ({ sharedFormula: string } & FormulaResult)
	| { text: string };

interface FormulaResult {
	/** The value the file keeps from the last calculation, when it keeps one. */
	result?: string | number | boolean | Date | { error: string };
}

/** What the CSV reader counts as a line break inside a quoted value (csv.ts). */
const LINE_BREAKS = /\r\n?|\n/g;

/** RFC 4180: quoted when it holds a comma, quote or line break, or starts or ends with space. */
function csvField(text: string): string {
	return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A number as plain decimal text, rounded to the 15 significant digits Excel shows (the file
 * may hold 12.499999999999998 for a 12.5 that a formula computed).
 */
export function plainNumber(value: number): string {
	const rounded = Number(value.toPrecision(15));
	const text = String(rounded === 0 ? 0 : rounded);
	const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
	if (!exponent) return text;
	const [, sign, lead, rest = '', power] = exponent;
	const digits = lead + rest;
	const point = 1 + Number(power);
	if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
	if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
	return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Excel's day 0 (1899-12-30, or 1904-01-01) as Unix milliseconds. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
const DAY_MS = 24 * 60 * 60 * 1000;

function serialToEpochMs(serial: number, date1904: boolean): number {
	return (date1904 ? EPOCH_1904 : EPOCH_1900) + serial * DAY_MS;
}

/**
 * A date cell's wall-clock time (exceljs reads it as that time in UTC), to the nearest second:
 * a serial holds a time to about a microsecond.
 */
function wallClock(epochMs: number): string {
	const time = new Date(Math.round(epochMs / 1000) * 1000);
	const two = (n: number) => String(n).padStart(2, '0');
	return (
		`${String(time.getUTCFullYear()).padStart(4, '0')}-${two(time.getUTCMonth() + 1)}-` +
		`${two(time.getUTCDate())} ${two(time.getUTCHours())}:${two(time.getUTCMinutes())}:` +
		two(time.getUTCSeconds())
	);
}

/** A number format that shows a date or time (the test exceljs makes for a plain cell). */
function isDateFormat(format: string | undefined): boolean {
	if (!format) return false;
	const visible = format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
	return /[ymdhMsb]/.test(visible);
}
