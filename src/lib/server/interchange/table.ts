/**
 * One interchange file as a table: decoded, parsed, its header checked against the format.
 * Problems are strings `file:line: column: reason`; for a problem of the whole row or file
 * the column is `(row)` or `(file)`.
 */
import { parseCsv } from './csv';
import { INTERCHANGE_FILES, type ColumnOf, type InterchangeFile } from './format';

export type FileContent = string | Uint8Array;

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

export function problem(file: string, line: number, column: string, reason: string): string {
	return `${file}:${line}: ${column}: ${reason}`;
}

/**
 * Reads a file's table, adding every structural problem (encoding, CSV syntax, header, row
 * width) to `problems`. Rows whose cells are all empty are skipped, as spreadsheets leave
 * such rows behind.
 */
export function readTable<F extends InterchangeFile>(
	file: F,
	content: FileContent,
	problems: string[]
): Table<F> {
	const table: Table<F> = { file, columns: new Set(), rows: [] };
	const text = decode(content);
	if (text === null) {
		problems.push(
			problem(file, 1, '(file)', 'is not UTF-8 text; save it as "CSV UTF-8" (CSV UTF-8 逗号分隔)')
		);
		return table;
	}
	const parsed = parseCsv(text);
	for (const syntax of parsed.problems)
		problems.push(problem(file, syntax.line, '(row)', syntax.reason));
	const [header, ...records] = parsed.records;
	if (!header) {
		problems.push(problem(file, 1, '(file)', 'is empty; the first line must name the columns'));
		return table;
	}

	const spec = INTERCHANGE_FILES[file];
	const known: readonly string[] = spec.columns;
	const names = header.fields.map((name) => name.trim().toLowerCase());
	const positions = new Map<ColumnOf<F>, number>();
	names.forEach((name, index) => {
		const where = header.line;
		if (name === '') {
			const used = records.some((record) => (record.fields[index] ?? '').trim() !== '');
			if (used) {
				problems.push(
					problem(file, where, `(column ${index + 1})`, 'has values but no name in the header')
				);
			}
		} else if (!known.includes(name)) {
			problems.push(
				problem(file, where, name, `unknown column; ${file} has the columns ${known.join(', ')}`)
			);
		} else if (positions.has(name as ColumnOf<F>)) {
			problems.push(problem(file, where, name, 'the column appears twice in the header'));
		} else {
			positions.set(name as ColumnOf<F>, index);
		}
	});
	for (const column of spec.required) {
		if (!positions.has(column as ColumnOf<F>)) {
			problems.push(problem(file, header.line, column, 'required column is missing'));
		}
	}
	table.columns = new Set(positions.keys());

	for (const record of records) {
		const values = record.fields;
		const blank = (value: string) => value.trim() === '';
		if (values.every(blank)) continue;
		const extra = values.slice(names.length);
		if (values.length < names.length || !extra.every(blank)) {
			problems.push(
				problem(
					file,
					record.line,
					'(row)',
					`has ${values.length} value${values.length === 1 ? '' : 's'} but the header names ${names.length} columns`
				)
			);
			continue;
		}
		const cells: TableRow<F>['cells'] = {};
		for (const [column, index] of positions) cells[column] = values[index];
		table.rows.push({ line: record.line, cells });
	}
	return table;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a file, or null when its bytes are not UTF-8 (a GBK export from Excel, say). */
function decode(content: FileContent): string | null {
	if (typeof content === 'string') return content;
	try {
		// The decoder drops a leading BOM; the CSV reader would drop it too.
		return utf8.decode(content);
	} catch {
		return null;
	}
}
