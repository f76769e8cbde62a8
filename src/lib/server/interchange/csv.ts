/**
 * RFC 4180 CSV: a reader that remembers on which physical line each record starts (problems
 * are reported as `file:line`), and a writer.
 *
 * Reading is lenient where spreadsheets differ and strict where data could be lost:
 * - records end with CRLF, LF or a lone CR; a final line break is optional;
 * - a leading UTF-8 BOM is dropped;
 * - line breaks inside quoted values become LF, whatever the file used, so the same cell
 *   reads the same from a Windows and a Unix copy of the file;
 * - a stray quote inside an unquoted value, text after a closing quote and an unclosed quote
 *   are syntax problems (the value is kept as written, so reading can go on).
 *
 * Writing neutralises text a spreadsheet would run as a formula (neutraliseFormula); the
 * import undoes it (restoreFormula), so an export re-imports exactly.
 */

interface CsvRecord {
	/** The physical line (1-based) on which the record starts. */
	line: number;
	fields: string[];
}

/** A syntax problem; the reader goes on after it. */
type CsvSyntaxCode = 'unclosed_quote' | 'text_after_quote' | 'stray_quote';
/** A limit of CsvLimits was passed: the reader stops there, the rest of the text unread. */
type CsvLimitCode = 'too_many_columns' | 'record_too_long' | 'field_too_long';

type CsvSyntaxProblem =
	| { line: number; code: CsvSyntaxCode }
	/** `max`: the limit passed. */
	| { line: number; code: CsvLimitCode; max: number };

interface ParsedCsv {
	records: CsvRecord[];
	problems: CsvSyntaxProblem[];
}

/**
 * Bounds on one record, so that a hostile or broken file (a million columns, a line that never
 * ends, an unclosed quote before 20 MB of text) costs little work before it is refused.
 */
export interface CsvLimits {
	/** Values in one record. */
	columns: number;
	/** Characters of one record, line breaks inside quoted values included. */
	recordChars: number;
	/** Characters of one value. */
	fieldChars: number;
}

const UNLIMITED: CsvLimits = { columns: Infinity, recordChars: Infinity, fieldChars: Infinity };

export type CsvItem =
	{ kind: 'record'; record: CsvRecord } | { kind: 'problem'; problem: CsvSyntaxProblem };

const BOM = '\uFEFF';
const QUOTE = '"';
const COMMA = ',';
const CR = '\r';
const LF = '\n';

/**
 * A run of characters that need no attention: not a quote, comma or line break. Bounded, so
 * that one step never scans far past a limit (a line of 20 MB without a comma).
 */
const PLAIN = /[^",\r\n]{1,4096}/y;
const LINE_BREAKS = /\r\n?|\n/g;

/** The whole text's records and problems (no limits unless given). */
export function parseCsv(input: string, limits: CsvLimits = UNLIMITED): ParsedCsv {
	const parsed: ParsedCsv = { records: [], problems: [] };
	for (const item of readCsv(input, limits)) {
		if (item.kind === 'record') parsed.records.push(item.record);
		else parsed.problems.push(item.problem);
	}
	return parsed;
}

/**
 * The records and problems of a text, one at a time, so that a caller can pause between them
 * (and let other requests run). Ends after the first limit problem.
 */
export function* readCsv(
	input: string,
	limits: CsvLimits = UNLIMITED,
	/** The physical line the text starts on: a piece of a file read as a stream (table.ts). */
	firstLine = 1
): Generator<CsvItem> {
	const text = firstLine === 1 && input.startsWith(BOM) ? input.slice(1) : input;

	let line = firstLine;
	let recordLine = firstLine;
	let recordStart = 0;
	let fields: string[] = [];
	let field = '';
	/** True until the current record has any character (a blank line is not a record yet). */
	let recordEmpty = true;
	let i = 0;
	let pending: CsvItem[] = [];

	const syntax = (at: number, code: CsvSyntaxCode) =>
		pending.push({ kind: 'problem', problem: { line: at, code } });
	const endField = () => {
		fields.push(field);
		field = '';
	};
	const endRecord = () => {
		endField();
		pending.push({ kind: 'record', record: { line: recordLine, fields } });
		fields = [];
		recordEmpty = true;
	};
	/** Quoted text up to `end`, its line breaks counted and written as LF. */
	const takeQuoted = (end: number) => {
		const segment = text.slice(i, end).replace(LINE_BREAKS, () => {
			line += 1;
			return LF;
		});
		field += segment;
		i = end;
	};
	const isDelimiter = (char: string | undefined) =>
		char === undefined || char === COMMA || char === CR || char === LF;
	/** The limit the current record passes, if any. */
	const limitPassed = (): CsvSyntaxProblem | null => {
		if (fields.length >= limits.columns) {
			return { line: recordLine, code: 'too_many_columns', max: limits.columns };
		}
		if (field.length > limits.fieldChars) {
			return { line: recordLine, code: 'field_too_long', max: limits.fieldChars };
		}
		if (i - recordStart > limits.recordChars) {
			return { line: recordLine, code: 'record_too_long', max: limits.recordChars };
		}
		return null;
	};

	while (i < text.length) {
		if (recordEmpty) {
			recordLine = line;
			recordStart = i;
			recordEmpty = false;
		}
		if (text[i] === QUOTE && field === '') {
			const quoteLine = line;
			i += 1;
			let closed = false;
			while (!closed) {
				const quote = text.indexOf(QUOTE, i);
				const end = quote === -1 ? text.length : quote;
				// Past a limit: stop before copying the text (it could be the rest of the file).
				const limit =
					field.length + (end - i) > limits.fieldChars
						? ({ line: recordLine, code: 'field_too_long', max: limits.fieldChars } as const)
						: end - recordStart > limits.recordChars
							? ({ line: recordLine, code: 'record_too_long', max: limits.recordChars } as const)
							: null;
				if (limit) {
					yield* pending;
					yield { kind: 'problem', problem: limit };
					return;
				}
				if (quote === -1) break;
				takeQuoted(quote);
				if (text[quote + 1] === QUOTE) {
					field += QUOTE;
					i = quote + 2;
				} else {
					i = quote + 1;
					closed = true;
				}
			}
			if (!closed) {
				takeQuoted(text.length);
				syntax(quoteLine, 'unclosed_quote');
				break;
			}
			if (!isDelimiter(text[i])) syntax(line, 'text_after_quote');
		}
		PLAIN.lastIndex = i;
		const plain = PLAIN.exec(text);
		if (plain) {
			field += plain[0];
			i = PLAIN.lastIndex;
		}
		const limit = limitPassed();
		if (limit) {
			yield* pending;
			yield { kind: 'problem', problem: limit };
			return;
		}
		const char = text[i];
		if (char === COMMA) {
			endField();
			i += 1;
		} else if (char === CR || char === LF) {
			i += char === CR && text[i + 1] === LF ? 2 : 1;
			line += 1;
			endRecord();
		} else if (char === QUOTE) {
			// Not at the start of a value (that case is handled above): a stray quote.
			syntax(line, 'stray_quote');
			field += char;
			i += 1;
		}
		if (pending.length > 0) {
			yield* pending;
			pending = [];
		}
	}
	if (!recordEmpty) endRecord();
	yield* pending;
}

export type CsvValue = string | number | boolean | null | undefined;

export interface CsvWriteOptions {
	/** Start with a UTF-8 BOM, which Excel needs to read the file as UTF-8 (Chinese text). */
	bom?: boolean;
	/**
	 * Columns (0-based) whose text is written as it is: numbers kept as decimal strings, which
	 * must stay numbers (-5, not '-5). Every other string is neutralised (neutraliseFormula).
	 */
	literalColumns?: ReadonlySet<number>;
}

/**
 * What makes a spreadsheet run a cell as a formula (OWASP, "CSV Injection"): a leading =, +,
 * -, @, tab or CR; LF too, as a CR inside a quoted value reads back as LF.
 */
const FORMULA_START = '[=+\\-@\\t\\r\\n]';
/** Texts that get an apostrophe: a formula start after any number of apostrophes. */
const NEEDS_APOSTROPHE = new RegExp(`^'*${FORMULA_START}`);
/** Cells that got one: one or more apostrophes, then a formula start. */
const HAS_APOSTROPHE = new RegExp(`^'+${FORMULA_START}`);

/**
 * A text as a spreadsheet shows it rather than runs it: an apostrophe before it when it starts
 * like a formula. Texts that already start with apostrophes before such a character get one
 * more, so that restoreFormula can tell them apart: every text reads back exactly, and a text
 * starting with an apostrophe followed by anything else is written unchanged.
 */
export function neutraliseFormula(text: string): string {
	return NEEDS_APOSTROPHE.test(text) ? `'${text}` : text;
}

/** The text neutraliseFormula was given (one apostrophe off, where it added one). */
export function restoreFormula(cell: string): string {
	return HAS_APOSTROPHE.test(cell) ? cell.slice(1) : cell;
}

/**
 * Writes records as RFC 4180 CSV: CRLF after every record, values quoted when they hold a
 * comma, quote or line break (or start or end with a space, which some readers trim).
 * null and undefined are empty cells; strings are neutralised against formulas unless their
 * column is literal; numbers and booleans are written as they are.
 */
export function toCsv(records: readonly (readonly CsvValue[])[], options: CsvWriteOptions = {}) {
	const literal = options.literalColumns ?? new Set<number>();
	const body = records
		.map(
			(record) =>
				record
					.map((value, column) =>
						csvCell(
							typeof value === 'string' && !literal.has(column) ? neutraliseFormula(value) : value
						)
					)
					.join(COMMA) +
				CR +
				LF
		)
		.join('');
	return options.bom ? BOM + body : body;
}

function csvCell(value: CsvValue): string {
	if (value === null || value === undefined) return '';
	const text = String(value);
	if (/[",\r\n]|^\s|\s$/.test(text)) return QUOTE + text.replaceAll(QUOTE, QUOTE + QUOTE) + QUOTE;
	return text;
}
