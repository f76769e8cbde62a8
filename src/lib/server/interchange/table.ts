/**
 * One interchange file as a table: decoded, parsed, its header checked against the format.
 * Problems go to a ProblemList, at `file:line: column`; for a problem of the whole row or file
 * the place is `(row)` or `(file)`.
 *
 * The work is bounded (IMPORT_LIMITS): a file passing a limit gets one problem naming it and
 * is not read further; the rest of the import goes on (and fails, listing all problems).
 */
import { readCsv, restoreFormula } from './csv';
import { INTERCHANGE_FILES, type ColumnOf, type InterchangeFile } from './format';
import { WorkSlicer } from './pause';
import { echo, type ProblemList } from './problems';
import { ProgressReporter } from './progress';

export type FileContent = string | Uint8Array;

const ROW = { place: 'row' } as const;

/** What one file may hold; README ("Import") and the import page state them. */
export const IMPORT_LIMITS = {
	/** Rows of one file, the header and blank lines included. */
	rows: 200_000,
	/** Values in one row: the widest file has 17 columns; spreadsheets add empty ones. */
	columns: 100,
	/** Characters of one row (all free-text limits of a job together are under 5,000). */
	recordChars: 50_000,
	/** Characters of one value (the longest text the app keeps is 2,000). */
	fieldChars: 10_000
} as const;

export interface TableRow<F extends InterchangeFile> {
	/** The physical line of the file on which the row starts (the header is line 1). */
	line: number;
	/** Cell texts by column, as written (not trimmed). Absent columns are absent. */
	cells: Partial<Record<ColumnOf<F>, string>>;
}

export interface Table<F extends InterchangeFile> {
	file: F;
	/** The columns the header names. */
	columns: ReadonlySet<ColumnOf<F>>;
	rows: TableRow<F>[];
}

/**
 * Reads a file's table, adding every structural problem (encoding, CSV syntax, header, row
 * width, limits) to `problems`. Rows whose cells are all empty are skipped, as spreadsheets
 * leave such rows behind. Cells of text columns are read back from their spreadsheet-safe
 * form (restoreFormula).
 */
export async function readTable<F extends InterchangeFile>(
	file: F,
	content: FileContent,
	problems: ProblemList,
	slicer: WorkSlicer,
	progress = new ProgressReporter(),
	maxRows: number = IMPORT_LIMITS.rows
): Promise<Table<F>> {
	const table: Table<F> = { file, columns: new Set(), rows: [] };
	const text = decode(content);
	if (text === null || text === GBK) {
		problems.at(file, 1, { place: 'file' }, text === GBK ? 'gbk_encoded' : 'not_utf8');
		return table;
	}
	await slicer.maybe();

	const spec = INTERCHANGE_FILES[file];
	const literal: readonly string[] = spec.numeric;
	let names: string[] | null = null;
	const positions = new Map<ColumnOf<F>, number>();
	/** Columns without a name in the header, and whether any row has a value in them. */
	const nameless = new Map<number, boolean>();
	let headerLine = 1;
	let records = 0;

	for (const item of readCsv(text, IMPORT_LIMITS)) {
		await slicer.maybe();
		if (item.kind === 'problem') {
			const syntax = item.problem;
			if (!('max' in syntax)) {
				problems.at(file, syntax.line, ROW, syntax.code);
				continue;
			}
			// A limit: the file's rest is unread, so no more can be said about it.
			problems.at(file, syntax.line, ROW, syntax.code, { max: syntax.max });
			return table;
		}
		const { record } = item;
		records += 1;
		progress.at('reading', file, records);
		if (records > maxRows) {
			problems.at(file, record.line, { place: 'file' }, 'too_many_rows', {
				max: maxRows
			});
			return table;
		}
		if (names === null) {
			headerLine = record.line;
			names = readHeader(file, record.line, record.fields, positions, nameless, problems);
			continue;
		}
		const values = record.fields;
		const blank = (value: string) => value.trim() === '';
		if (values.every(blank)) continue;
		for (const [index, used] of nameless) {
			if (!used && !blank(values[index] ?? '')) nameless.set(index, true);
		}
		const extra = values.slice(names.length);
		if (values.length < names.length || !extra.every(blank)) {
			const columns = names.length;
			if (values.length === 1) problems.at(file, record.line, ROW, 'row_width_one', { columns });
			else problems.at(file, record.line, ROW, 'row_width', { count: values.length, columns });
			continue;
		}
		const cells: TableRow<F>['cells'] = {};
		let stored = true;
		for (const [column, index] of positions) {
			const value = values[index];
			// Postgres text cannot hold NUL; say so here rather than fail the whole write.
			if (value.includes('\0')) {
				problems.at(file, record.line, column, 'nul_character');
				stored = false;
			}
			cells[column] = literal.includes(column) ? value : restoreFormula(value);
		}
		if (stored) table.rows.push({ line: record.line, cells });
	}

	if (names === null) {
		problems.at(file, 1, { place: 'file' }, 'file_empty');
		return table;
	}
	for (const [index, used] of nameless) {
		if (used)
			problems.at(file, headerLine, { place: 'column', index: index + 1 }, 'nameless_column');
	}
	for (const column of spec.required) {
		if (!positions.has(column as ColumnOf<F>)) {
			problems.at(file, headerLine, column, 'missing_column');
		}
	}
	table.columns = new Set(positions.keys());
	return table;
}

/** The header's column names (lower case, trimmed); problems of unknown or repeated names. */
function readHeader<F extends InterchangeFile>(
	file: F,
	line: number,
	fields: string[],
	positions: Map<ColumnOf<F>, number>,
	nameless: Map<number, boolean>,
	problems: ProblemList
): string[] {
	const known: readonly string[] = INTERCHANGE_FILES[file].columns;
	const names = fields.map((name) => name.trim().toLowerCase());
	names.forEach((name, index) => {
		if (name === '') {
			nameless.set(index, false);
		} else if (!known.includes(name)) {
			problems.at(file, line, echo(name), 'unknown_column', { file, columns: known.join(', ') });
		} else if (positions.has(name as ColumnOf<F>)) {
			problems.at(file, line, name, 'repeated_column');
		} else {
			positions.set(name as ColumnOf<F>, index);
		}
	});
	return names;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const gb18030 = new TextDecoder('gb18030', { fatal: true });

/** decode's answer for a file written in GBK/GB18030 (Excel's "CSV" on Chinese Windows). */
const GBK = Symbol('GBK');

/**
 * The text of a file; null when its bytes are not UTF-8, GBK when they are Chinese text in
 * GBK/GB18030 (also when those bytes happen to be valid UTF-8 as well: see looksMisread).
 */
function decode(content: FileContent): string | typeof GBK | null {
	if (typeof content === 'string') return content;
	let text: string;
	try {
		// The decoder drops a leading BOM; the CSV reader would drop it too.
		text = utf8.decode(content);
	} catch {
		return readsAsChinese(content) ? GBK : null;
	}
	return looksMisread(text) && readsAsChinese(content) ? GBK : text;
}

/** Han characters and the full-width punctuation of Chinese text. */
const CHINESE = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/u;
/** Letters that are neither ASCII nor Chinese (Latin-1, Greek, Cyrillic, …). */
const FOREIGN = /[^\p{ASCII}\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\ufeff]/u;
/** Bytes sampled: enough Chinese text to tell, little work for a large file. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * True when UTF-8 text has no Chinese but runs of other non-ASCII letters ("ÕÅÎ°" for 张伟):
 * the sign of GBK bytes that are valid UTF-8 by chance. Real Latin text has accents one at a
 * time between ASCII letters, and a Chinese station's UTF-8 file has Chinese in it.
 */
function looksMisread(text: string): boolean {
	const sample = text.slice(0, SAMPLE_BYTES);
	if (CHINESE.test(sample)) return false;
	return (
		/[^\p{ASCII}\ufeff]{2,}/u.test(sample) &&
		(sample.match(new RegExp(FOREIGN, 'gu'))?.length ?? 0) >= 2
	);
}

/** The bytes read as GB18030 are Chinese text, with nothing foreign left over. */
function readsAsChinese(content: Uint8Array): boolean {
	let text: string;
	try {
		text = gb18030.decode(content.subarray(0, SAMPLE_BYTES), { stream: true });
	} catch {
		return false;
	}
	return CHINESE.test(text) && !FOREIGN.test(text);
}
