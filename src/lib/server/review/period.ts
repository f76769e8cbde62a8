/**
 * The period an alert compares with. It matches the scorecard's own "previous period" (the
 * period picker in src/lib/client/scorecard/period.ts), so an alert and the scorecard's trend
 * arrows always compare the same two periods:
 * - a whole calendar month → the month before; a whole calendar quarter → the quarter before;
 * - any other range (a week included) → the same number of days just before it.
 * Dates are local 'YYYY-MM-DD' of the station, half-open [from, to).
 */
import type { KpiPeriod } from '../../shared/kpi';

const DAY_MS = 24 * 60 * 60 * 1000;

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The first day of the month `offset` months after the month of `date`. */
function firstOfMonth(date: string, offset: number): string {
	const [year, month] = date.split('-').map(Number);
	return dateOfDay(Date.UTC(year, month - 1 + offset, 1) / DAY_MS);
}

/** How many whole calendar months [from, to) spans, or null when it is not whole months. */
function wholeMonths(period: KpiPeriod): number | null {
	if (!period.from.endsWith('-01') || !period.to.endsWith('-01')) return null;
	const [fromYear, fromMonth] = period.from.split('-').map(Number);
	const [toYear, toMonth] = period.to.split('-').map(Number);
	return (toYear - fromYear) * 12 + (toMonth - fromMonth);
}

export function comparisonPeriod(period: KpiPeriod): KpiPeriod {
	const months = wholeMonths(period);
	const isQuarter = months === 3 && (Number(period.from.slice(5, 7)) - 1) % 3 === 0;
	if (months === 1 || isQuarter) {
		return { from: firstOfMonth(period.from, -months!), to: period.from };
	}
	const length = dayNumber(period.to) - dayNumber(period.from);
	return { from: dateOfDay(dayNumber(period.from) - length), to: period.from };
}
