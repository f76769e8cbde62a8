/**
 * How the scorecard shows each KPI: its name, its number format (kpi.md: rates as percents,
 * minutes and hours with 1 decimal, money with 2), which direction is better, and which list
 * of jobs on the technician page explains it.
 */
import { m } from '$lib/paraglide/messages.js';
import { thresholdRating, type Grade, type ScorecardRow } from '$lib/shared/kpi';
import type { KpiThreshold } from '$lib/shared/domain';
import { FRACTION_DIGITS, KPI_NAMES, type NumberStyle } from '$lib/shared/kpi-words';
import type { BadgeTone } from '$lib/client/ui/labels';
import type { DrillDown } from '$lib/shared/drill-down';

// The formats and the grades' names are the server's too (the monthly report): one source.
export { SCORE_STYLE, gradeName, kpiFormatter, type NumberStyle } from '$lib/shared/kpi-words';
export type { DrillDown } from '$lib/shared/drill-down';

export type KpiKey = Exclude<keyof ScorecardRow, 'login' | 'name' | 'grade' | 'rank'>;
export type Better = 'higher' | 'lower' | null;

interface KpiColumn {
	key: Exclude<KpiKey, 'score'>;
	label: () => string;
	style: NumberStyle;
	/** kpi.md's "better" column; null where a change is neither good nor bad by itself. */
	better: Better;
	drillDown: DrillDown;
}

/** Every KPI of kpi.md, in the contract's column order. */
export const KPI_COLUMNS: readonly KpiColumn[] = [
	{
		key: 'jobs_completed',
		label: KPI_NAMES.jobs_completed,
		style: 'count',
		better: null,
		drillDown: 'jobs'
	},
	{
		key: 'repair_success_rate',
		label: KPI_NAMES.repair_success_rate,
		style: 'percent',
		better: 'higher',
		drillDown: 'failed'
	},
	{
		key: 'avg_repair_minutes',
		label: KPI_NAMES.avg_repair_minutes,
		style: 'decimal1',
		better: null,
		drillDown: 'slow-repairs'
	},
	{
		key: 'median_repair_minutes',
		label: KPI_NAMES.median_repair_minutes,
		style: 'decimal1',
		better: null,
		drillDown: 'slow-repairs'
	},
	{
		key: 'duration_index',
		label: KPI_NAMES.duration_index,
		style: 'decimal2',
		better: 'lower',
		drillDown: 'slow-repairs'
	},
	{
		key: 'avg_response_hours',
		label: KPI_NAMES.avg_response_hours,
		style: 'decimal1',
		better: 'lower',
		drillDown: 'slow-responses'
	},
	{
		key: 'parts_cost_total',
		label: KPI_NAMES.parts_cost_total,
		style: 'money',
		better: null,
		drillDown: 'costly'
	},
	{
		key: 'parts_cost_per_job',
		label: KPI_NAMES.parts_cost_per_job,
		style: 'money',
		better: 'lower',
		drillDown: 'costly'
	},
	{
		key: 'csat',
		label: KPI_NAMES.csat,
		style: 'percent',
		better: 'higher',
		drillDown: 'low-satisfaction'
	},
	{
		key: 'avg_satisfaction',
		label: KPI_NAMES.avg_satisfaction,
		style: 'decimal2',
		better: null,
		drillDown: 'low-satisfaction'
	},
	{
		key: 'follow_up_rate',
		label: KPI_NAMES.follow_up_rate,
		style: 'percent',
		better: 'higher',
		drillDown: 'no-follow-up'
	},
	{
		key: 'record_accuracy',
		label: KPI_NAMES.record_accuracy,
		style: 'percent',
		better: 'higher',
		drillDown: 'flagged'
	}
];

/** The value as shown: two values that look the same must not get a trend arrow. */
export function shownValue(value: number, style: NumberStyle): number {
	const scale = 10 ** (FRACTION_DIGITS[style] + (style === 'percent' ? 2 : 0));
	return Math.round(value * scale);
}

type TrendDirection = 'up' | 'down';
type TrendJudgement = 'better' | 'worse' | 'neutral';

interface Trend {
	direction: TrendDirection;
	judgement: TrendJudgement;
}

/** How a value moved since the previous period, as far as the shown digits tell. */
export function trendOf(
	current: number | null,
	previous: number | null,
	style: NumberStyle,
	better: Better
): Trend | null {
	if (current === null || previous === null) return null;
	const now = shownValue(current, style);
	const before = shownValue(previous, style);
	if (now === before) return null;
	const direction: TrendDirection = now > before ? 'up' : 'down';
	if (!better) return { direction, judgement: 'neutral' };
	const improved = (direction === 'up') === (better === 'higher');
	return { direction, judgement: improved ? 'better' : 'worse' };
}

export function trendLabel(trend: Trend, previous: string): string {
	const messages = {
		up: { better: m.sc_trend_up_better, worse: m.sc_trend_up_worse, neutral: m.sc_trend_up },
		down: { better: m.sc_trend_down_better, worse: m.sc_trend_down_worse, neutral: m.sc_trend_down }
	};
	return messages[trend.direction][trend.judgement]({ previous });
}

const gradeTones: Record<Grade, BadgeTone> = {
	excellent: 'strong-success',
	pass: 'info',
	fail: 'strong-danger'
};

export const gradeTone = (grade: Grade) => gradeTones[grade];

/**
 * How one KPI fares against its thresholds: excellent once it reaches the excellent line, pass
 * once it reaches the pass line; null when unscored.
 */
export function kpiRating(value: number | null, threshold: KpiThreshold | null | undefined) {
	return thresholdRating(value, threshold);
}
