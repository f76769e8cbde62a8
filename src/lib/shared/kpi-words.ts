/**
 * The KPIs' numbers and names in the reader's language, one source for the browser (the
 * scorecard) and the server (the monthly report's PDF and .xlsx): the number format
 * of each kind of value (kpi.md: rates as percents, minutes and hours with 1 decimal, money with
 * 2), the names of KPIs, grades and flags, and how a sample and a "too few" read
 * (docs/kpi-rules.md "Minimum samples"). The phone's appeals (client/appeals/words.ts) name
 * their few flags and KPIs themselves: importing this would load all of it on the phone.
 */
import { m } from '../paraglide/messages.js';
import type { ScoredKpi } from './domain';
import type { Grade, JobFailureReason, JobFlag, ScorecardRow } from './kpi';
import type { KpiGround } from './kpi-ground';

export type NumberStyle = 'count' | 'percent' | 'decimal1' | 'decimal2' | 'money';

export const FRACTION_DIGITS: Record<NumberStyle, number> = {
	count: 0,
	percent: 1,
	decimal1: 1,
	decimal2: 2,
	money: 2
};

/** Formats KPI values for one locale; null is kpi.md's "—". */
export function kpiFormatter(locale: string) {
	const formats = Object.fromEntries(
		Object.entries(FRACTION_DIGITS).map(([style, digits]) => [
			style,
			new Intl.NumberFormat(locale, {
				style: style === 'percent' ? 'percent' : 'decimal',
				minimumFractionDigits: digits,
				maximumFractionDigits: digits
			})
		])
	) as Record<NumberStyle, Intl.NumberFormat>;
	return (value: number | null, style: NumberStyle): string =>
		value === null ? m.value_missing() : formats[style].format(value);
}

/** The KPI columns of a scorecard row (kpi.md): all but the technician, score, grade and rank. */
export type KpiColumnKey = Exclude<
	keyof ScorecardRow,
	'login' | 'name' | 'score' | 'grade' | 'rank'
>;

/** Each KPI's name, as every table, chart and report heads it. */
export const KPI_NAMES: Record<KpiColumnKey, () => string> = {
	jobs_completed: m.sc_kpi_jobs_completed,
	repair_success_rate: m.sc_kpi_repair_success_rate,
	avg_repair_minutes: m.sc_kpi_avg_repair_minutes,
	median_repair_minutes: m.sc_kpi_median_repair_minutes,
	duration_index: m.sc_kpi_duration_index,
	avg_response_hours: m.sc_kpi_avg_response_hours,
	parts_cost_total: m.sc_kpi_parts_cost_total,
	parts_cost_per_job: m.sc_kpi_parts_cost_per_job,
	csat: m.sc_kpi_csat,
	avg_satisfaction: m.sc_kpi_avg_satisfaction,
	follow_up_rate: m.sc_kpi_follow_up_rate,
	record_accuracy: m.sc_kpi_record_accuracy
};

/** A composite score, a KPI's points and its contribution: 0–100 with one decimal. */
export const SCORE_STYLE: NumberStyle = 'decimal1';

const GRADE_NAMES: Record<Grade, () => string> = {
	excellent: m.sc_grade_excellent,
	pass: m.sc_grade_pass,
	fail: m.sc_grade_fail
};

export const gradeName = (grade: Grade): string => GRADE_NAMES[grade]();

/** kpi.md's flags and docs/kpi-rules.md's time flags. */
const FLAG_NAMES: Record<JobFlag, () => string> = {
	missing_arrival: m.sc_flag_missing_arrival,
	missing_start: m.sc_flag_missing_start,
	out_of_order: m.sc_flag_out_of_order,
	long_repair: m.sc_flag_long_repair,
	typed_time: m.kpi_flag_typed_time,
	late_entry: m.kpi_flag_late_entry,
	same_minute: m.kpi_flag_same_minute,
	too_fast: m.kpi_flag_too_fast
};

export const isJobFlag = (flag: string): flag is JobFlag => Object.hasOwn(FLAG_NAMES, flag);

export const flagName = (flag: JobFlag): string => FLAG_NAMES[flag]();

type SampleKind = 'jobs' | 'timed_jobs' | 'ratings';

/** What each scored KPI's sample counts: the denominator of its value. */
const SAMPLE_KIND: Record<ScoredKpi, SampleKind> = {
	repair_success_rate: 'jobs',
	avg_response_hours: 'timed_jobs',
	duration_index: 'timed_jobs',
	csat: 'ratings',
	follow_up_rate: 'jobs',
	record_accuracy: 'jobs',
	parts_cost_per_job: 'jobs'
};

const UNITS: Record<SampleKind, () => string> = {
	jobs: m.gr_unit_jobs,
	timed_jobs: m.gr_unit_timed_jobs,
	ratings: m.gr_unit_ratings
};

export function sampleUnit(kpi: ScoredKpi): string {
	return UNITS[SAMPLE_KIND[kpi]]();
}

/** "12 ratings". */
export function sampleText(ground: Pick<KpiGround, 'kpi' | 'sample'>): string {
	return m.gr_sample({ count: ground.sample, unit: sampleUnit(ground.kpi) });
}

/** "2 of at least 5 ratings". */
export function tooFewText(ground: Pick<KpiGround, 'kpi' | 'sample' | 'minimum'>): string {
	return m.gr_too_few_detail({
		count: ground.sample,
		minimum: ground.minimum,
		unit: sampleUnit(ground.kpi)
	});
}

/** Why a job was not a first-time fix; a rework names the jobs that reworked it. */
export function failureReasonText(
	reason: JobFailureReason,
	job: { reworked_by: readonly string[] }
): string {
	switch (reason) {
		case 'not_fixed':
			return m.sc_reason_not_fixed();
		case 'follow_up_unresolved':
			return m.sc_reason_follow_up_unresolved();
		case 'reworked':
			return m.sc_reason_reworked({ jobs: job.reworked_by.join(m.sc_list_separator()) });
	}
}
