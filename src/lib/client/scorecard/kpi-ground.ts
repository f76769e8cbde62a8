/**
 * How the scorecard shows what a number rests on (docs/kpi-rules.md "Minimum samples"): the
 * sample in its own unit (jobs, timed jobs, ratings), "too few" below the station's minimum,
 * and each scored KPI's definition in the reader's language.
 */
import { m } from '$lib/paraglide/messages.js';
import type { ScoredKpi } from '$lib/shared/domain';
import type { KpiGround } from '$lib/shared/kpi-ground';

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

/** "too few: 2 of at least 5 ratings". */
export function tooFewText(ground: Pick<KpiGround, 'kpi' | 'sample' | 'minimum'>): string {
	return m.gr_too_few_detail({
		count: ground.sample,
		minimum: ground.minimum,
		unit: sampleUnit(ground.kpi)
	});
}

const DEFINITIONS: Record<ScoredKpi, () => string> = {
	repair_success_rate: m.gr_def_repair_success_rate,
	avg_response_hours: m.gr_def_avg_response_hours,
	duration_index: m.gr_def_duration_index,
	csat: m.gr_def_csat,
	follow_up_rate: m.gr_def_follow_up_rate,
	record_accuracy: m.gr_def_record_accuracy,
	parts_cost_per_job: m.gr_def_parts_cost_per_job
};

export function kpiDefinition(kpi: ScoredKpi): string {
	return DEFINITIONS[kpi]();
}

/** A row's ground per KPI, for the tables that show one KPI per cell. */
export function groundByKpi(kpis: readonly KpiGround[] | undefined): Map<ScoredKpi, KpiGround> {
	return new Map((kpis ?? []).map((ground) => [ground.kpi, ground]));
}
