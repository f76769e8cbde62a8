/**
 * The KPI rows of kpi.md ("Output row") as CSV and JSON, for the `npm run kpi` CLI and the
 * supervisor's download: the contract's keys in the contract's order, rates as fractions,
 * numbers at full precision.
 */
import { SCORECARD_COLUMNS, type ScorecardRow } from '../../shared/kpi';
import { toCsv, type CsvWriteOptions } from './csv';

/** A header row of the contract's keys, then one record per row; null is an empty cell. */
export function scorecardToCsv(rows: readonly ScorecardRow[], options: CsvWriteOptions = {}) {
	return toCsv(
		[SCORECARD_COLUMNS, ...rows.map((row) => SCORECARD_COLUMNS.map((column) => row[column]))],
		options
	);
}

/** The rows as objects whose keys follow the contract's order; null stays null. */
function scorecardToObjects(rows: readonly ScorecardRow[]): ScorecardRow[] {
	return rows.map(
		(row) =>
			Object.fromEntries(SCORECARD_COLUMNS.map((column) => [column, row[column]])) as ScorecardRow
	);
}

/** A JSON array of the rows, indented for people, with a final line break. */
export function scorecardToJson(rows: readonly ScorecardRow[]): string {
	return `${JSON.stringify(scorecardToObjects(rows), null, 2)}\n`;
}
