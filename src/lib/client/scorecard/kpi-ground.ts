/**
 * How the scorecard shows what a number rests on (docs/kpi-rules.md "Minimum samples"): the
 * sample in its own unit (jobs, timed jobs, ratings), "too few" below the station's minimum
 * (worded in shared/kpi-words.ts, which the monthly report reads too), and each scored KPI's
 * definition in the reader's language.
 */
import { m } from '$lib/paraglide/messages.js';
import type { ScoredKpi } from '$lib/shared/domain';
import type { KpiGround } from '$lib/shared/kpi-ground';

export { sampleText, sampleUnit, tooFewText } from '$lib/shared/kpi-words';

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
