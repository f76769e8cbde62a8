/**
 * Sorting the scorecard table. Missing values (null, kpi.md's "—") always go last, whatever
 * the direction, and rows that tie keep the server's order (by rank, then login).
 */
import type { ScorecardRow } from '$lib/shared/kpi';

export type SortDirection = 'ascending' | 'descending';
export type SortKey = Exclude<keyof ScorecardRow, 'login'>;

export interface SortState {
	key: SortKey;
	direction: SortDirection;
}

const GRADE_ORDER = { fail: 0, pass: 1, excellent: 2 } as const;

function sortValue(row: ScorecardRow, key: SortKey): number | string | null {
	if (key === 'grade') return row.grade === null ? null : GRADE_ORDER[row.grade];
	return row[key];
}

export function sortRows(
	rows: readonly ScorecardRow[],
	sort: SortState,
	collator: Intl.Collator
): ScorecardRow[] {
	const sign = sort.direction === 'ascending' ? 1 : -1;
	return [...rows].sort((a, b) => {
		const x = sortValue(a, sort.key);
		const y = sortValue(b, sort.key);
		if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
		const order =
			typeof x === 'string' && typeof y === 'string'
				? collator.compare(x, y)
				: (x as number) - (y as number);
		return sign * order;
	});
}

/** A click on a column's header: the other direction on the sorted column, else `first`. */
export function nextSort(current: SortState, key: SortKey, first: SortDirection): SortState {
	if (current.key !== key) return { key, direction: first };
	return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}
