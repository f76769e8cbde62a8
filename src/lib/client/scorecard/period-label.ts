/** A period as people read it: "2026年第3季度", "July 2026", and its days "7月1日至9月30日". */
import { m } from '$lib/paraglide/messages.js';
import {
	addDays,
	isRunning,
	periodKey,
	type PeriodProblem,
	type ScorecardPeriod
} from '$lib/shared/time/periods';

/** Local dates carry no time zone: format them as UTC calendar days. */
const asDay = (date: string) => new Date(`${date}T00:00:00Z`);

export function periodTitle(period: ScorecardPeriod, locale: string): string {
	const key = periodKey(period);
	switch (period.kind) {
		case 'week': {
			const [year, week] = key!.split('-W').map(Number);
			return m.sc_period_week({ year, week });
		}
		case 'month':
			return new Intl.DateTimeFormat(locale, {
				year: 'numeric',
				month: 'long',
				timeZone: 'UTC'
			}).format(asDay(period.from));
		case 'quarter': {
			const [year, quarter] = key!.split('-Q').map(Number);
			return m.sc_period_quarter({ year, quarter });
		}
		case 'custom':
			return periodDays(period, locale);
	}
}

/** The first and the last day of the period, both included. */
export function periodDays(period: ScorecardPeriod, locale: string): string {
	const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
	return format.formatRange(asDay(period.from), asDay(addDays(period.to, -1)));
}

/** Title and days together, as a caption names a period. */
export function periodLabel(period: ScorecardPeriod, locale: string): string {
	if (period.kind === 'custom') return periodDays(period, locale);
	return `${periodTitle(period, locale)} (${periodDays(period, locale)})`;
}

/**
 * What a scorecard's arrows compare with: the period before, or while the period runs, "so far"
 * against as many days of the period before.
 */
export function comparedText(
	snapshot: { period: ScorecardPeriod; previousPeriod: ScorecardPeriod; today: string },
	locale: string
): string {
	const period = periodLabel(snapshot.previousPeriod, locale);
	return isRunning(snapshot.period, snapshot.today)
		? m.pv_compared_so_far({ period })
		: m.sc_period_compared({ period });
}

/** A trend's month 'YYYY-MM' label, marked "so far" when it is the month of `today`. */
export function trendMonthLabel(month: string, label: string, today: string): string {
	return today.startsWith(month) ? m.pv_period_so_far({ period: label }) : label;
}

/** Why the URL's period was not shown, in the reader's language. */
export function periodProblemMessage(problem: PeriodProblem): string {
	switch (problem.code) {
		case 'unknown_period':
			return m.sc_problem_unknown_period({ value: problem.value });
		case 'invalid_date':
			return m.sc_problem_invalid_date({ value: problem.value });
		case 'incomplete_range':
			return m.sc_problem_incomplete_range();
		case 'empty_range':
			return m.sc_problem_empty_range();
		case 'range_too_long':
			return m.sc_problem_range_too_long({ maxDays: problem.maxDays });
	}
}
