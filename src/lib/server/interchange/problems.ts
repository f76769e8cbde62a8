/**
 * Import problems as data: where (file, line, column) plus a code and its parameters, so that
 * each reader sees them in their own language: the supervisor's import page in the page's
 * locale, the command line in the terminal's (LANG). Rendered, a problem reads
 * `file:line: column: reason` (import-format.md); a problem of the station named by the
 * command line or form has no file and line (`time zone: unknown time zone …`).
 *
 * The list an import collects is bounded: a hostile or broken file can produce millions of
 * problems, so only the first MAX_LISTED_PROBLEMS are kept and the rest are only counted.
 */
import { m } from '../../paraglide/messages.js';
import type { Locale } from '../../paraglide/runtime.js';

type MessageOptions = { locale?: Locale };
type ProblemMessage = (inputs: never, options?: MessageOptions) => string;

/** Every reason an import can give, with its message (messages/interchange, `ix_problem_*`). */
const REASONS = {
	not_utf8: m.ix_problem_not_utf8,
	gbk_encoded: m.imp_problem_gbk_encoded,
	file_empty: m.ix_problem_file_empty,
	unclosed_quote: m.ix_problem_unclosed_quote,
	text_after_quote: m.ix_problem_text_after_quote,
	stray_quote: m.ix_problem_stray_quote,
	too_many_columns: m.ix_problem_too_many_columns,
	record_too_long: m.ix_problem_record_too_long,
	field_too_long: m.ix_problem_field_too_long,
	too_many_rows: m.ix_problem_too_many_rows,
	nul_character: m.ix_problem_nul_character,
	nameless_column: m.ix_problem_nameless_column,
	unknown_column: m.ix_problem_unknown_column,
	repeated_column: m.ix_problem_repeated_column,
	missing_column: m.ix_problem_missing_column,
	row_width_one: m.ix_problem_row_width_one,
	row_width: m.ix_problem_row_width,
	unknown_file: m.ix_problem_unknown_file,
	missing_file: m.ix_problem_missing_file,
	station_code_required: m.ix_problem_station_code_required,
	station_code_too_long: m.ix_problem_station_code_too_long,
	station_code_chars: m.ix_problem_station_code_chars,
	station_name_required: m.ix_problem_station_name_required,
	station_name_invalid: m.ix_problem_station_name_invalid,
	time_zone_required: m.ix_problem_time_zone_required,
	time_zone_unknown: m.ix_problem_time_zone_unknown,
	station_renamed: m.ix_problem_station_renamed,
	station_zone_changed: m.ix_problem_station_zone_changed,
	required: m.ix_problem_required,
	login_invalid: m.ix_problem_login_invalid,
	not_one_of: m.ix_problem_not_one_of,
	not_boolean: m.ix_problem_not_boolean,
	not_whole_number: m.ix_problem_not_whole_number,
	not_between: m.ix_problem_not_between,
	money_invalid: m.ix_problem_money_invalid,
	qty_invalid: m.ix_problem_qty_invalid,
	qty_not_positive: m.ix_problem_qty_not_positive,
	text_too_long: m.ix_problem_text_too_long,
	not_timestamp: m.ix_problem_not_timestamp,
	impossible_offset: m.ix_problem_impossible_offset,
	not_calendar_date: m.ix_problem_not_calendar_date,
	not_time_of_day: m.ix_problem_not_time_of_day,
	skipped_local_time: m.ix_problem_skipped_local_time,
	date_implausible: m.imp_problem_date_implausible,
	admin_account: m.ix_problem_admin_account,
	role_create_forbidden: m.ix_problem_role_create_forbidden,
	role_change_forbidden: m.ix_problem_role_change_forbidden,
	duplicate_key: m.ix_problem_duplicate_key,
	completed_at_required: m.ix_problem_completed_at_required,
	outcome_required: m.ix_problem_outcome_required,
	outcome_not_completed: m.ix_problem_outcome_not_completed,
	unknown_technician: m.ix_problem_unknown_technician,
	technician_required: m.ix_problem_technician_required,
	unknown_category: m.ix_problem_unknown_category,
	unknown_job: m.ix_problem_unknown_job,
	unknown_part: m.ix_problem_unknown_part,
	own_previous_job: m.ix_problem_own_previous_job,
	database_refused: m.ix_problem_database_refused,
	workbook_unreadable: m.ix_problem_workbook_unreadable,
	workbook_legacy: m.ix_problem_workbook_legacy,
	workbook_too_large: m.ix_problem_workbook_too_large,
	unknown_sheet: m.ix_problem_unknown_sheet,
	sheet_repeated: m.ix_problem_sheet_repeated,
	sheet_unreadable: m.ix_problem_sheet_unreadable,
	formula_without_value: m.ix_problem_formula_without_value,
	cell_error: m.ix_problem_cell_error
} satisfies Record<string, ProblemMessage>;

export type ProblemCode = keyof typeof REASONS;
/** The inputs a reason's message takes (`{}` for a reason without any). */
export type ProblemParams<C extends ProblemCode> = Parameters<(typeof REASONS)[C]>[0];

/**
 * Where a problem is that is not a named column: the whole row, the whole file, a column
 * without a name (1-based index), the station the import is for, the database, or the .xlsx
 * workbook that stands for the folder (xlsx.ts).
 */
type Place =
	| { place: 'row' }
	| { place: 'file' }
	| { place: 'column'; index: number }
	| { place: 'station_code' | 'station_name' | 'time_zone' | 'database' | 'workbook' };

export type ImportProblem = {
	[C in ProblemCode]: {
		/** null for a problem of the station requested, not of a file. */
		file: string | null;
		line: number | null;
		column: string | Place;
		code: C;
		params: ProblemParams<C>;
	};
}[ProblemCode];

/** A reason without its place: what a value parser reports. */
export type Reason = { [C in ProblemCode]: { code: C; params: ProblemParams<C> } }[ProblemCode];

type ParamsArgument<C extends ProblemCode> = keyof ProblemParams<C> extends never
	? []
	: [ProblemParams<C>];

/** A reason as arguments: its code, then its parameters when it has any. */
export type ReasonArguments = { [C in ProblemCode]: [C, ...ParamsArgument<C>] }[ProblemCode];

export function reasonOf(...[code, ...params]: ReasonArguments): Reason {
	return { code, params: params[0] ?? {} } as Reason;
}

/** Thrown by the value parsers; the caller adds file, line and column. */
export class InvalidValue extends Error {
	readonly reason: Reason;

	constructor(...args: ReasonArguments) {
		const reason = reasonOf(...args);
		// English in the message, for logs and stack traces; people see renderProblem's text.
		super(renderReason(reason, 'en'));
		this.reason = reason;
	}
}

/** The first problems of an import in full, and how many more there were. */
export interface ProblemReport {
	problems: ImportProblem[];
	omitted: number;
}

/** Problems kept in full; the rest are counted. A person fixes the first ones first anyway. */
export const MAX_LISTED_PROBLEMS = 300;

/** Echoed cell values are cut to this many characters: a problem names a value, not a file. */
const MAX_ECHOED_CHARS = 80;

/** A cell's text as a problem quotes it: long values cut, with an ellipsis. */
export function echo(value: string): string {
	return value.length > MAX_ECHOED_CHARS ? `${value.slice(0, MAX_ECHOED_CHARS)}…` : value;
}

export class ProblemList {
	readonly listed: ImportProblem[] = [];
	private more = 0;

	constructor(private readonly limit = MAX_LISTED_PROBLEMS) {}

	/** Every problem added, listed or not. */
	get count(): number {
		return this.listed.length + this.more;
	}

	add(problem: ImportProblem): void {
		if (this.listed.length < this.limit) this.listed.push(problem);
		else this.more += 1;
	}

	/** A problem at a place in a file. */
	at(file: string, line: number, column: string | Place, ...reason: ReasonArguments): void {
		this.add({ file, line, column, ...reasonOf(...reason) } as ImportProblem);
	}

	/** A problem of the station requested (or of the database, or the workbook), not of a file. */
	about(column: Place, ...reason: ReasonArguments): void {
		this.add({ file: null, line: null, column, ...reasonOf(...reason) } as ImportProblem);
	}

	report(): ProblemReport {
		return { problems: this.listed, omitted: this.more };
	}
}

const PLACES = {
	row: m.ix_problem_place_row,
	file: m.ix_problem_place_file,
	station_code: m.ix_problem_place_station_code,
	station_name: m.ix_problem_place_station_name,
	time_zone: m.ix_problem_place_time_zone,
	database: m.ix_problem_place_database,
	workbook: m.ix_problem_place_workbook
};

/** One problem as `file:line: column: reason` in the locale. */
export function renderProblem(problem: ImportProblem, locale: Locale): string {
	const options = { locale };
	const { column } = problem;
	const where =
		typeof column === 'string'
			? column
			: column.place === 'column'
				? m.ix_problem_place_column({ index: column.index }, options)
				: PLACES[column.place]({}, options);
	const reason = renderReason(problem, locale);
	const prefix = problem.file === null ? '' : `${problem.file}:${problem.line}: `;
	return `${prefix}${where}: ${reason}`;
}

function renderReason(reason: Reason, locale: Locale): string {
	const message = REASONS[reason.code] as (inputs: object, options: MessageOptions) => string;
	return message(reason.params ?? {}, { locale });
}

/** The listed problems rendered, then a line counting those not listed (when there are). */
export function renderProblemReport(report: ProblemReport, locale: Locale): string[] {
	const lines = report.problems.map((problem) => renderProblem(problem, locale));
	if (report.omitted > 0) {
		lines.push(m.ix_problem_more_problems({ count: report.omitted }, { locale }));
	}
	return lines;
}
