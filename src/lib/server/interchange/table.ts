/**
 * One interchange file as a table: decoded, parsed, its header checked against the format.
 * Problems go to a ProblemList, at `file:line: column`; for a problem of the whole row or file
 * the place is `(row)` or `(file)`.
 *
 * A table is read twice and never held: a first pass (openTable) reports every structural
 * problem and collects the file's keys; the import then reads the rows again (Table.rows) as
 * it checks and stages them. A file on disk is streamed both times, so a million-job file
 * costs the memory of its keys, not of its text.
 *
 * The work is bounded (IMPORT_LIMITS): a file passing a limit gets one problem naming it and
 * is not read further; the rest of the import goes on (and fails, listing all problems).
 */
import { readCsv, restoreFormula, type CsvItem, type CsvLimits } from './csv';
import { INTERCHANGE_FILES, type ColumnOf, type InterchangeFile } from './format';
import { WorkSlicer } from './pause';
import { echo, ProblemList } from './problems';
import { ProgressReporter } from './progress';

/** A file read as a stream of bytes from its start, anew at each call (a file on disk). */
export interface StreamedFile {
	open(): AsyncIterable<Uint8Array>;
}

/** A file's content: text, raw bytes (which must be UTF-8), or a stream of them. */
export type FileContent = string | Uint8Array | StreamedFile;

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

/** A key of a file (login, code, sku, job_no): the line it first appears on, and its id. */
export interface KeyedRow {
	line: number;
	/** Given by the import once it knows the station ('' until then). */
	id: string;
}

export interface Table<F extends InterchangeFile> {
	file: F;
	/** The columns the header names. */
	columns: ReadonlySet<ColumnOf<F>>;
	/** The key column's non-empty values, trimmed, each at its first line (openTable's `key`). */
	keys: Map<string, KeyedRow>;
	/** Its rows, read again from the content; only for a table whose first pass found no problem. */
	rows(): AsyncIterable<TableRow<F>>;
}

/**
 * Reads a file's table once, adding every structural problem (encoding, CSV syntax, header,
 * row width, limits) to `problems` and collecting the values of its `key` column. Rows whose
 * cells are all empty are skipped, as spreadsheets leave such rows behind. Cells of text
 * columns are read back from their spreadsheet-safe form (restoreFormula).
 */
export async function openTable<F extends InterchangeFile>(
	file: F,
	content: FileContent,
	problems: ProblemList,
	slicer: WorkSlicer,
	progress = new ProgressReporter(),
	maxRows: number = IMPORT_LIMITS.rows,
	key?: ColumnOf<F>
): Promise<Table<F>> {
	const keys = new Map<string, KeyedRow>();
	const read = (report: ProblemList, onHeader?: (columns: Set<ColumnOf<F>>) => void) =>
		readRows(file, content, report, slicer, maxRows, onHeader);
	const table: Table<F> = {
		file,
		columns: new Set(),
		keys,
		// The first pass reported the problems; a second reading of the same content has the same.
		rows: () => read(new ProblemList(0))
	};
	let rows = 0;
	for await (const row of read(problems, (columns) => (table.columns = columns))) {
		progress.at('reading', file, (rows += 1));
		if (!key) continue;
		const value = (row.cells[key] ?? '').trim();
		if (value !== '' && !keys.has(value)) keys.set(value, { line: row.line, id: '' });
	}
	return table;
}

/** The rows of a file's content, its problems reported as they are met. */
async function* readRows<F extends InterchangeFile>(
	file: F,
	content: FileContent,
	problems: ProblemList,
	slicer: WorkSlicer,
	maxRows: number,
	onHeader?: (columns: Set<ColumnOf<F>>) => void
): AsyncGenerator<TableRow<F>> {
	const encoding = await checkEncoding(content);
	if (encoding !== 'utf8') {
		problems.at(file, 1, { place: 'file' }, encoding === GBK ? 'gbk_encoded' : 'not_utf8');
		return;
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

	for await (const item of csvItems(content, IMPORT_LIMITS)) {
		await slicer.maybe();
		if (item.kind === 'problem') {
			const syntax = item.problem;
			if (!('max' in syntax)) {
				problems.at(file, syntax.line, ROW, syntax.code);
				continue;
			}
			// A limit: the file's rest is unread, so no more can be said about it.
			problems.at(file, syntax.line, ROW, syntax.code, { max: syntax.max });
			return;
		}
		const { record } = item;
		records += 1;
		if (records > maxRows) {
			problems.at(file, record.line, { place: 'file' }, 'too_many_rows', {
				max: maxRows
			});
			return;
		}
		if (names === null) {
			headerLine = record.line;
			names = readHeader(file, record.line, record.fields, positions, nameless, problems);
			onHeader?.(new Set(positions.keys()));
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
		if (stored) yield { line: record.line, cells };
	}

	if (names === null) {
		problems.at(file, 1, { place: 'file' }, 'file_empty');
		return;
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

/** checkEncoding's answer for a file written in GBK/GB18030 (Excel's "CSV" on Chinese Windows). */
const GBK = Symbol('GBK');

/**
 * 'utf8' when the content is UTF-8 text; null when its bytes are not UTF-8; GBK when they are
 * Chinese text in GBK/GB18030 (also when those bytes happen to be valid UTF-8 as well: see
 * looksMisread). A stream is read through once, keeping only its first bytes.
 */
async function checkEncoding(content: FileContent): Promise<'utf8' | typeof GBK | null> {
	if (typeof content === 'string') return 'utf8';
	if (content instanceof Uint8Array) {
		const decoder = new TextDecoder('utf-8', { fatal: true });
		let text: string;
		try {
			text = decoder.decode(content.subarray(0, SAMPLE_BYTES), { stream: true });
			decoder.decode(content.subarray(SAMPLE_BYTES));
		} catch {
			return readsAsChinese(content) ? GBK : null;
		}
		return looksMisread(text) && readsAsChinese(content) ? GBK : 'utf8';
	}
	const decoder = new TextDecoder('utf-8', { fatal: true });
	const sample = new Uint8Array(SAMPLE_BYTES);
	let sampled = 0;
	let text = '';
	try {
		for await (const bytes of content.open()) {
			if (sampled < SAMPLE_BYTES) {
				const taken = bytes.subarray(0, SAMPLE_BYTES - sampled);
				sample.set(taken, sampled);
				sampled += taken.length;
				text += decoder.decode(taken, { stream: true });
				decoder.decode(bytes.subarray(taken.length), { stream: true });
			} else {
				decoder.decode(bytes, { stream: true });
			}
		}
		decoder.decode();
	} catch {
		return readsAsChinese(sample.subarray(0, sampled)) ? GBK : null;
	}
	return looksMisread(text) && readsAsChinese(sample.subarray(0, sampled)) ? GBK : 'utf8';
}

/** Text of a stream handed to the CSV reader in pieces of about this many characters. */
const PIECE_CHARS = 1 << 20;

/** The CSV records of UTF-8 content (checked by checkEncoding), a stream read piece by piece. */
async function* csvItems(content: FileContent, limits: CsvLimits): AsyncGenerator<CsvItem> {
	if (typeof content === 'string') return yield* readCsv(content, limits);
	if (content instanceof Uint8Array) return yield* readCsv(utf8.decode(content), limits);
	// A piece ends at a line break outside quotes (an even number of quotes before it), so no
	// record is cut in two. A piece that finds no such end within the record limit is read as
	// it is: the reader stops at the limit it passes, or reports the stray quote that hid the end.
	const decoder = new TextDecoder('utf-8');
	let line = 1;
	let buffer = '';
	let scanned = 0;
	let quoted = false;
	let end = 0;
	function* piece(upTo: number): Generator<CsvItem> {
		const text = buffer.slice(0, upTo);
		buffer = buffer.slice(upTo);
		scanned = Math.max(0, scanned - upTo);
		end = 0;
		for (const item of readCsv(text, limits, line)) {
			yield item;
			if (item.kind === 'problem' && 'max' in item.problem) return;
		}
		line += text.match(LINE_BREAKS)?.length ?? 0;
	}
	for await (const bytes of content.open()) {
		buffer += decoder.decode(bytes, { stream: true });
		for (let i = scanned; i < buffer.length; i++) {
			const char = buffer.charCodeAt(i);
			if (char === QUOTE) quoted = !quoted;
			else if (quoted) continue;
			else if (char === LF) end = i + 1;
			else if (char === CR) {
				if (i + 1 === buffer.length) break;
				if (buffer.charCodeAt(i + 1) !== LF) end = i + 1;
			}
			scanned = i + 1;
		}
		if (end >= PIECE_CHARS || (end === 0 && buffer.length > FORCED_PIECE_CHARS)) {
			for (const item of piece(end || buffer.length)) {
				yield item;
				if (item.kind === 'problem' && 'max' in item.problem) return;
			}
			if (end === 0) quoted = false;
		}
	}
	buffer += decoder.decode();
	yield* piece(buffer.length);
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const LINE_BREAKS = /\r\n?|\n/g;
/** Past this, a piece without a record's end is read anyway (see csvItems). */
const FORCED_PIECE_CHARS = PIECE_CHARS + 2 * IMPORT_LIMITS.recordChars;

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
