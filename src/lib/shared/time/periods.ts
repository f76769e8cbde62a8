/**
 * KPI periods: weeks, months, quarters and custom ranges of local dates in the station's time
 * zone, half-open [from, to) as kpi.md defines them, the period before each (the scorecard's
 * trend arrows and the alerts compare with it), and their place in the URL.
 *
 * URL forms (all linkable):
 * - `?period=2026-W14` (ISO week, Monday to Sunday), `?period=2026-03`, `?period=2026-Q1`;
 * - `?from=2026-03-01&to=2026-03-16`: a custom range, `to` excluded like everywhere in the API;
 * - `?from=2026-03-01&through=2026-03-15`: the same range with its last day included, what the
 *   custom-range form sends, because people name the last day they mean;
 * - nothing: the current month.
 * Bad input never breaks the page: the current month is shown with a problem that names what
 * was wrong.
 *
 * Pure functions of their arguments (today is passed in), shared by the pages, their JSON
 * endpoints, the CSV download and the alerts, so every view resolves a URL to the same period
 * and compares it with the same period before.
 */
export type PeriodKind = 'week' | 'month' | 'quarter' | 'custom';
export type CalendarPeriodKind = Exclude<PeriodKind, 'custom'>;

/** Local dates 'YYYY-MM-DD', half-open [from, to). */
interface LocalDateRange {
	from: string;
	to: string;
}

export interface ScorecardPeriod extends LocalDateRange {
	kind: PeriodKind;
}

/**
 * Longest custom range. A year-on-year review needs 366 days; two years leaves room while
 * keeping a range and its comparison period cheap to compute.
 */
export const MAX_CUSTOM_DAYS = 731;

/** Years the pickers accept; outside them a typo is far likelier than a real request. */
const MIN_YEAR = 2000;
const MAX_YEAR = 2099;

export type PeriodProblem =
	| { code: 'unknown_period'; value: string }
	| { code: 'invalid_date'; value: string }
	| { code: 'incomplete_range' }
	| { code: 'empty_range' }
	| { code: 'range_too_long'; maxDays: number };

interface PeriodChoice {
	period: ScorecardPeriod;
	/** Why the URL's period was not used; the default period is shown instead. */
	problem: PeriodProblem | null;
}

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK_KEY = /^(\d{4})-W(\d{2})$/;
const MONTH_KEY = /^(\d{4})-(\d{2})$/;
const QUARTER_KEY = /^(\d{4})-Q([1-4])$/;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function inYearRange(year: number): boolean {
	return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** Day number (days since 1970-01-01) of a valid date string, or null. */
function dayNumber(date: string): number | null {
	const match = DATE_PATTERN.exec(date);
	if (!match) return null;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const ms = Date.UTC(year, month - 1, day);
	const check = new Date(ms);
	if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
	return ms / DAY_MS;
}

function dateOfDay(day: number): string {
	const date = new Date(day * DAY_MS);
	return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function requireDay(date: string): number {
	const day = dayNumber(date);
	if (day === null) throw new Error(`Not a date written YYYY-MM-DD: "${date}"`);
	return day;
}

/** Whether `value` is a real calendar date written 'YYYY-MM-DD'. */
export function isCalendarDate(value: string): boolean {
	return dayNumber(value) !== null;
}

/** A date a URL may name: a real calendar date of the years the pickers accept. */
function isUrlDate(value: string): boolean {
	return isCalendarDate(value) && inYearRange(Number(value.slice(0, 4)));
}

export function addDays(date: string, days: number): string {
	return dateOfDay(requireDay(date) + days);
}

function daysBetween(from: string, to: string): number {
	return requireDay(to) - requireDay(from);
}

function firstOfMonth(year: number, monthIndex: number): string {
	// Date.UTC normalises month overflow (13 → January of the next year).
	return dateOfDay(Date.UTC(year, monthIndex, 1) / DAY_MS);
}

/** Monday (ISO weekday 1) of the week containing `date`. */
function mondayOf(date: string): number {
	const day = requireDay(date);
	// 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
	return day - ((((day + 3) % 7) + 7) % 7);
}

/** ISO week-numbering year and week of a date: the week belongs to the year of its Thursday. */
function isoWeek(date: string): { year: number; week: number } {
	const thursday = mondayOf(date) + 3;
	const year = new Date(thursday * DAY_MS).getUTCFullYear();
	const firstThursday = mondayOf(`${year}-01-04`) + 3;
	return { year, week: (thursday - firstThursday) / 7 + 1 };
}

export function periodContaining(kind: CalendarPeriodKind, date: string): ScorecardPeriod {
	const [year, month] = date.split('-').map(Number);
	requireDay(date);
	if (kind === 'week') {
		const monday = mondayOf(date);
		return { kind, from: dateOfDay(monday), to: dateOfDay(monday + 7) };
	}
	if (kind === 'month') {
		return { kind, from: firstOfMonth(year, month - 1), to: firstOfMonth(year, month) };
	}
	const firstMonth = Math.floor((month - 1) / 3) * 3;
	return { kind, from: firstOfMonth(year, firstMonth), to: firstOfMonth(year, firstMonth + 3) };
}

/** The URL key of a calendar period ('2026-W14', '2026-03', '2026-Q1'); null for custom. */
export function periodKey(period: ScorecardPeriod): string | null {
	const [year, month] = period.from.split('-').map(Number);
	switch (period.kind) {
		case 'week': {
			const { year: weekYear, week } = isoWeek(period.from);
			return `${weekYear}-W${pad(week)}`;
		}
		case 'month':
			return `${year}-${pad(month)}`;
		case 'quarter':
			return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
		case 'custom':
			return null;
	}
}

/** A period from its URL key, or null when the key names no period. */
export function parsePeriodKey(key: string): ScorecardPeriod | null {
	const text = key.trim().toUpperCase();
	let match = QUARTER_KEY.exec(text);
	if (match && inYearRange(Number(match[1]))) {
		return periodContaining('quarter', `${match[1]}-${pad((Number(match[2]) - 1) * 3 + 1)}-01`);
	}
	match = MONTH_KEY.exec(text);
	if (match && inYearRange(Number(match[1])) && Number(match[2]) >= 1 && Number(match[2]) <= 12) {
		return periodContaining('month', `${match[1]}-${match[2]}-01`);
	}
	match = WEEK_KEY.exec(text);
	if (match && inYearRange(Number(match[1]))) {
		const [year, week] = [Number(match[1]), Number(match[2])];
		const monday = mondayOf(`${year}-01-04`) + (week - 1) * 7;
		// Week 53 exists only in some years: it must still be a week of `year`.
		if (week >= 1 && isoWeek(dateOfDay(monday)).year === year) {
			return { kind: 'week', from: dateOfDay(monday), to: dateOfDay(monday + 7) };
		}
	}
	return null;
}

/**
 * The period before: the previous week, month or quarter; for a custom range, the range of the
 * same number of days that ends where this one starts.
 */
export function previousPeriod(period: ScorecardPeriod): ScorecardPeriod {
	if (period.kind === 'custom') {
		const length = daysBetween(period.from, period.to);
		return { kind: 'custom', from: addDays(period.from, -length), to: period.from };
	}
	return periodContaining(period.kind, addDays(period.from, -1));
}

/** The kind of period [from, to) is: a calendar month, quarter or week, else custom. */
function periodOfRange(range: LocalDateRange): ScorecardPeriod {
	for (const kind of ['month', 'quarter', 'week'] as const) {
		const calendar = periodContaining(kind, range.from);
		if (calendar.from === range.from && calendar.to === range.to) return calendar;
	}
	return { kind: 'custom', from: range.from, to: range.to };
}

/** Whether `today` falls inside the period: it is still running, its numbers are "so far". */
export function isRunning(period: LocalDateRange, today: string): boolean {
	return period.from <= today && today < period.to;
}

/**
 * The period `period` is compared with on `today` (the trend arrows and the alerts). An ended
 * period: the whole period before. A running one: the same number of days (today included)
 * from the start of the period before, never past its end, so day 3 of a month meets days 1–3
 * of the month before rather than all of it.
 */
export function comparedPeriod(period: ScorecardPeriod, today: string): ScorecardPeriod {
	const before = previousPeriod(period);
	if (!isRunning(period, today)) return before;
	const elapsed = daysBetween(period.from, today) + 1;
	const to = addDays(before.from, Math.min(elapsed, daysBetween(before.from, before.to)));
	return to === before.to ? before : { kind: 'custom', from: before.from, to };
}

/**
 * The period a range is compared with on `today`, whatever kind it came as (the alerts and the
 * technician report get bare dates): comparedPeriod of the calendar period it spans, else as
 * many days just before.
 */
export function comparisonPeriod(range: LocalDateRange, today: string): ScorecardPeriod {
	return comparedPeriod(periodOfRange(range), today);
}

/** The period after, the mirror of previousPeriod. */
export function nextPeriod(period: ScorecardPeriod): ScorecardPeriod {
	if (period.kind === 'custom') {
		const length = daysBetween(period.from, period.to);
		return { kind: 'custom', from: period.to, to: addDays(period.to, length) };
	}
	return periodContaining(period.kind, period.to);
}

/** The query string (without '?') that names `period`. */
export function periodSearch(period: ScorecardPeriod): string {
	const key = periodKey(period);
	const params: Record<string, string> = key
		? { period: key }
		: { from: period.from, to: period.to };
	return new URLSearchParams(params).toString();
}

/** Switches the kind of period, keeping the day the current one starts on in view. */
export function periodOfKind(kind: CalendarPeriodKind, current: ScorecardPeriod): ScorecardPeriod {
	return periodContaining(kind, current.from);
}

/** The `count` most recent periods of a kind, newest first, the one containing today first. */
export function recentPeriods(
	kind: CalendarPeriodKind,
	today: string,
	count: number
): ScorecardPeriod[] {
	const periods = [periodContaining(kind, today)];
	while (periods.length < count) periods.push(previousPeriod(periods[periods.length - 1]));
	return periods;
}

function defaultPeriod(today: string): ScorecardPeriod {
	return periodContaining('month', today);
}

function customRange(params: URLSearchParams): ScorecardPeriod | PeriodProblem {
	const from = params.get('from')?.trim() ?? '';
	const through = params.get('through')?.trim();
	const toText = params.get('to')?.trim();
	const end = toText ?? through ?? '';
	if (!from || !end) return { code: 'incomplete_range' };
	for (const value of [from, end]) {
		if (!isUrlDate(value)) return { code: 'invalid_date', value };
	}
	const to = toText !== undefined ? toText : addDays(end, 1);
	const days = daysBetween(from, to);
	if (days <= 0) return { code: 'empty_range' };
	if (days > MAX_CUSTOM_DAYS) return { code: 'range_too_long', maxDays: MAX_CUSTOM_DAYS };
	return { kind: 'custom', from, to };
}

/**
 * The period a URL asks for. `period` wins over a range; a range is `from` with `to`
 * (excluded) or `through` (included). Anything unusable falls back to the current month,
 * with the reason.
 */
export function periodFromSearchParams(params: URLSearchParams, today: string): PeriodChoice {
	const fallback = (problem: PeriodProblem): PeriodChoice => ({
		period: defaultPeriod(today),
		problem
	});
	const key = params.get('period');
	if (key !== null) {
		const period = parsePeriodKey(key);
		return period ? { period, problem: null } : fallback({ code: 'unknown_period', value: key });
	}
	if (params.has('from') || params.has('to') || params.has('through')) {
		const range = customRange(params);
		return 'kind' in range ? { period: range, problem: null } : fallback(range);
	}
	return { period: defaultPeriod(today), problem: null };
}

/** The first day of each of the `count` months ending with the month containing `lastDay`. */
export function monthsEnding(lastDay: string, count: number): string[] {
	const [year, month] = lastDay.split('-').map(Number);
	requireDay(lastDay);
	return Array.from({ length: count }, (_, index) => firstOfMonth(year, month - count + index));
}
