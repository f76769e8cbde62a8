/**
 * The monthly report in words and numbers, in the current language: the print page and the
 * server's PDF and .xlsx word and format it alike from here. KPI names, numbers, grades, flags
 * and samples read as on the scorecard (shared/kpi-words.ts): a KPI has one name everywhere.
 */
import { m } from '../paraglide/messages.js';
import type { ExcludableKpi } from './honesty-domain';
import type { Grade } from './kpi';
import {
	KPI_NAMES,
	SCORE_STYLE,
	failureReasonText,
	flagName,
	gradeName,
	sampleText,
	tooFewText,
	type NumberStyle
} from './kpi-words';
import type { ReportColumn, ReportJob, ReportKpi } from './monthly-report';
import { addDays } from './time/periods';

const DEFINITIONS: Record<ReportColumn, () => string> = {
	jobs_completed: m.rp_def_jobs_completed,
	repair_success_rate: m.rp_def_repair_success_rate,
	avg_repair_minutes: m.rp_def_avg_repair_minutes,
	median_repair_minutes: m.rp_def_median_repair_minutes,
	duration_index: m.rp_def_duration_index,
	avg_response_hours: m.rp_def_avg_response_hours,
	parts_cost_total: m.rp_def_parts_cost_total,
	parts_cost_per_job: m.rp_def_parts_cost_per_job,
	csat: m.rp_def_csat,
	avg_satisfaction: m.rp_def_avg_satisfaction,
	follow_up_rate: m.rp_def_follow_up_rate,
	record_accuracy: m.rp_def_record_accuracy
};

export const columnLabel = (column: ReportColumn): string => KPI_NAMES[column]();
export const definition = (column: ReportColumn): string => DEFINITIONS[column]();
export const gradeLabel = (grade: Grade | null): string =>
	grade === null ? m.value_missing() : gradeName(grade);

const list = (items: string[]) => items.join(m.sc_list_separator());

/** A job's columns in words: why it failed, its open flags, accepted flags, exclusions. */
export function jobTexts(job: ReportJob) {
	return {
		failures: list(job.failure_reasons.map((reason) => failureReasonText(reason, job))),
		flags: list(job.flags.map(flagName)),
		accepted: list(job.accepted_flags.map(flagName)),
		excluded: list(job.excluded_kpis.map((kpi: ExcludableKpi) => KPI_NAMES[kpi]()))
	};
}

/**
 * A KPI's sample as a technician's breakdown shows it: "6 jobs", marked "too few" below the
 * station's minimum (such a KPI has no points and its weight goes to the others).
 */
export function breakdownSample(kpi: ReportKpi): string {
	return kpi.tooFew
		? m.rp_sample_too_few({ sample: sampleText(kpi), marker: m.gr_too_few() })
		: sampleText(kpi);
}

/** A KPI's points as the breakdown shows them: "not scored" when it adds nothing to the score. */
export function breakdownPoints(
	kpi: ReportKpi | undefined,
	format: (value: number | null, style: NumberStyle) => string
): string {
	if (!kpi) return m.value_missing();
	return kpi.points === null ? m.gr_not_scored() : format(kpi.points, SCORE_STYLE);
}

/** Why a KPI adds nothing to the score, for the .xlsx's note; null when it is scored. */
export function notScoredNote(kpi: ReportKpi): string | null {
	if (kpi.tooFew) return m.rp_too_few_note({ marker: m.gr_too_few(), detail: tooFewText(kpi) });
	return kpi.points === null ? m.gr_not_scored() : null;
}

/** The Excel number format of a style: rates as percents, as the printed report shows them. */
export const EXCEL_FORMATS: Record<NumberStyle, string> = {
	count: '0',
	percent: '0.0%',
	decimal1: '0.0',
	decimal2: '0.00',
	money: '#,##0.00'
};

/** "2026年3月" / "March 2026". */
export function monthTitle(month: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, {
		year: 'numeric',
		month: 'long',
		timeZone: 'UTC'
	}).format(new Date(`${month}-01T00:00:00Z`));
}

/** A moment (ISO) as a date and time on the station's clock. */
export function stationDateTime(iso: string, timeZone: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone
	}).format(new Date(iso));
}

/** The month and its days: "2026年3月 · 2026年3月1日至31日". */
export function reportPeriodText(period: { from: string; to: string }, locale: string): string {
	const day = (date: string) => new Date(`${date}T00:00:00Z`);
	const days = new Intl.DateTimeFormat(locale, {
		dateStyle: 'medium',
		timeZone: 'UTC'
	}).formatRange(day(period.from), day(addDays(period.to, -1)));
	return `${monthTitle(period.from.slice(0, 7), locale)} · ${days}`;
}
