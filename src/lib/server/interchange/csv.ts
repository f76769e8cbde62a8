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
 */

export interface CsvRecord {
	/** The physical line (1-based) on which the record starts. */
	line: number;
	fields: string[];
}

export interface CsvSyntaxProblem {
	line: number;
	reason: string;
}

export interface ParsedCsv {
	records: CsvRecord[];
	problems: CsvSyntaxProblem[];
}

const BOM = '\uFEFF';
const QUOTE = '"';
const COMMA = ',';
const CR = '\r';
const LF = '\n';

/** A run of characters that need no attention: not a quote, comma or line break. */
const PLAIN = /[^",\r\n]+/y;
const LINE_BREAKS = /\r\n?|\n/g;

export function parseCsv(input: string): ParsedCsv {
	const text = input.startsWith(BOM) ? input.slice(1) : input;
	const records: CsvRecord[] = [];
	const problems: CsvSyntaxProblem[] = [];

	let line = 1;
	let recordLine = 1;
	let fields: string[] = [];
	let field = '';
	/** True until the current record has any character (a blank line is not a record yet). */
	let recordEmpty = true;
	let i = 0;

	const endField = () => {
		fields.push(field);
		field = '';
	};
	const endRecord = () => {
		endField();
		records.push({ line: recordLine, fields });
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

	while (i < text.length) {
		if (recordEmpty) {
			recordLine = line;
			recordEmpty = false;
		}
		if (text[i] === QUOTE && field === '') {
			const quoteLine = line;
			i += 1;
			let closed = false;
			while (!closed) {
				const quote = text.indexOf(QUOTE, i);
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
				problems.push({ line: quoteLine, reason: 'a quoted value is never closed' });
				break;
			}
			if (!isDelimiter(text[i])) {
				problems.push({
					line,
					reason:
						'text after the closing quote of a value (a quote inside a quoted value is written "")'
				});
			}
		}
		PLAIN.lastIndex = i;
		const plain = PLAIN.exec(text);
		if (plain) {
			field += plain[0];
			i = PLAIN.lastIndex;
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
			problems.push({
				line,
				reason:
					'a quote (") inside an unquoted value; put the whole value in quotes and double the quote'
			});
			field += char;
			i += 1;
		}
	}
	if (!recordEmpty) endRecord();
	return { records, problems };
}

export type CsvValue = string | number | boolean | null | undefined;

export interface CsvWriteOptions {
	/** Start with a UTF-8 BOM, which Excel needs to read the file as UTF-8 (Chinese text). */
	bom?: boolean;
}

/**
 * Writes records as RFC 4180 CSV: CRLF after every record, values quoted when they hold a
 * comma, quote or line break (or start or end with a space, which some readers trim).
 * null and undefined are empty cells.
 */
export function toCsv(records: readonly (readonly CsvValue[])[], options: CsvWriteOptions = {}) {
	const body = records.map((record) => record.map(csvCell).join(COMMA) + CR + LF).join('');
	return options.bom ? BOM + body : body;
}

function csvCell(value: CsvValue): string {
	if (value === null || value === undefined) return '';
	const text = String(value);
	if (/[",\r\n]|^\s|\s$/.test(text)) return QUOTE + text.replaceAll(QUOTE, QUOTE + QUOTE) + QUOTE;
	return text;
}
