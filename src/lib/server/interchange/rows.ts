/**
 * Reading the cells of one table row into typed values, collecting every problem of the row
 * rather than stopping at the first.
 */
import type { Table, TableRow } from './table';
import type { ColumnOf, InterchangeFile } from './format';
import {
	InvalidValue,
	reasonOf,
	type ProblemList,
	type Reason,
	type ReasonArguments
} from './problems';

interface Field<T, Required extends boolean> {
	required: Required;
	parse: (text: string) => T;
	/** Parse the cell as written rather than trimmed. */
	asWritten?: boolean;
}

/** A cell that must hold a value; `parse` gets the trimmed text. */
export function required<T>(parse: (text: string) => T): Field<T, true> {
	return { required: true, parse };
}

/** A cell that may be empty (or its column absent): then the value is null. */
export function optional<T>(parse: (text: string) => T): Field<T, false> {
	return { required: false, parse };
}

/**
 * Free text that may be empty, kept as written: surrounding spaces are part of a value in
 * RFC 4180, and a serial typed " AB12 " is what the record said (an export writes it so).
 */
export function optionalAsWritten<T>(parse: (text: string) => T): Field<T, false> {
	return { required: false, parse, asWritten: true };
}

type Fields<F extends InterchangeFile> = Partial<Record<ColumnOf<F>, Field<unknown, boolean>>>;

type Values<S> = {
	[K in keyof S]: S[K] extends Field<infer T, true>
		? T
		: S[K] extends Field<infer T, false>
			? T | null
			: never;
};

export class RowReader<F extends InterchangeFile> {
	private clean = true;

	constructor(
		private readonly table: Table<F>,
		readonly row: TableRow<F>,
		private readonly problems: ProblemList
	) {}

	get line(): number {
		return this.row.line;
	}

	/** False once any problem was reported for this row. */
	get ok(): boolean {
		return this.clean;
	}

	/** The trimmed text of a cell; '' when empty or when the file has no such column. */
	text(column: ColumnOf<F>): string {
		return (this.row.cells[column] ?? '').trim();
	}

	report(column: ColumnOf<F>, ...reason: ReasonArguments): void {
		this.reportReason(column, reasonOf(...reason));
	}

	private reportReason(column: ColumnOf<F>, reason: Reason): void {
		this.clean = false;
		this.problems.add({ file: this.table.file, line: this.row.line, column, ...reason });
	}

	/**
	 * Every field of `fields` read and parsed; null when any of them has a problem. A cell of
	 * nothing but spaces is empty.
	 */
	read<S extends Fields<F>>(fields: S): Values<S> | null {
		const values: Record<string, unknown> = {};
		let valid = true;
		for (const [column, field] of Object.entries(fields) as [
			ColumnOf<F>,
			Field<unknown, boolean>
		][]) {
			const text = this.text(column);
			if (text === '') {
				if (field.required) {
					this.report(column, 'required');
					valid = false;
				}
				values[column] = null;
				continue;
			}
			try {
				values[column] = field.parse(field.asWritten ? (this.row.cells[column] ?? '') : text);
			} catch (error) {
				if (!(error instanceof InvalidValue)) throw error;
				this.reportReason(column, error.reason);
				valid = false;
			}
		}
		return valid ? (values as Values<S>) : null;
	}
}
