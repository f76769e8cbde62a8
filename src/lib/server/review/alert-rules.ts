/**
 * When a technician's KPI raises an alert on the supervisor's alerts page. The rules live here
 * and nowhere else; the page shows SHARP_RATE_DROP and SHARP_RISE_RATIO to the supervisor.
 *
 * 1. Below pass (低于合格线): a scored KPI — thresholds set, pass ≠ excellent, weight > 0, the same
 *    KPIs the composite score uses — whose value scores under 60, i.e. is worse than its pass
 *    threshold (for lower-is-better KPIs, above it).
 * 2. Sharp drop (明显下滑) versus the period before (the previous month, quarter, or as many days
 *    just before: shared/time/periods.ts), for every KPI with a "better" direction in kpi.md, scored or not:
 *    - a rate (success, CSAT, follow-up, record accuracy) down by SHARP_RATE_DROP or more in
 *      absolute terms (0.10 = 10 percentage points: 95 % → 85 % alerts, 95 % → 86 % does not);
 *    - a time, ratio or cost (response hours, duration index, parts cost per job) up by
 *      SHARP_RISE_RATIO or more of its previous value (0.25: 8 h → 10 h alerts). A previous value
 *      of 0 has no relative change and never alerts (0 → 5 yuan is not "25 % more").
 *
 * Who is checked: a technician raises alerts only with at least min_jobs_for_ranking completed
 * jobs in the period, the station's own bar for numbers worth ranking; the drop rule also needs
 * that many jobs in the previous period, so a comparison never rests on a handful of jobs.
 * And a KPI alerts only on enough sample (docs/kpi-rules.md "Minimum samples"): one shown as
 * "too few" in the period raises nothing, nor is it compared with a previous value that was
 * too few.
 *
 * The KPI values are the scorecard's own (computeScorecard), so an alert never disagrees with
 * the scorecard; this file only compares the few numbers per technician.
 */
import { SCORED_KPIS, type KpiSettings, type ScoredKpi } from '../../shared/domain';
import { thresholdRating, type ScorecardRow } from '../../shared/kpi';
import type { ScorecardGroundRow } from '../../shared/kpi-ground';

export const SHARP_RATE_DROP = 0.1;
export const SHARP_RISE_RATIO = 0.25;

/** Float noise allowance, so that 0.95 − 0.85 (= 0.0999…98 in binary) counts as 10 points. */
const EPSILON = 1e-9;

/** Fractions in [0, 1] where higher is better; the other KPIs here are lower-is-better. */
const RATE_KPIS = [
	'repair_success_rate',
	'csat',
	'follow_up_rate',
	'record_accuracy'
] as const satisfies readonly ScoredKpi[];

const isRate = (kpi: ScoredKpi) => (RATE_KPIS as readonly ScoredKpi[]).includes(kpi);

type KpiAlert =
	| { kind: 'below_pass'; kpi: ScoredKpi; value: number; pass: number; excellent: number }
	| { kind: 'sharp_drop'; kpi: ScoredKpi; value: number; previous: number };

export type KpiValues = Pick<ScorecardRow, ScoredKpi | 'jobs_completed'> & {
	/** The KPIs whose sample is below the station's minimum. */
	tooFew: readonly ScoredKpi[];
};

/** A technician's values as the alerts read them, from the scorecard's ground. */
export function kpiValuesOf(row: ScorecardGroundRow): KpiValues {
	const values = Object.fromEntries(row.kpis.map((ground) => [ground.kpi, ground.value])) as Pick<
		ScorecardRow,
		ScoredKpi
	>;
	return {
		...values,
		jobs_completed: row.jobs_completed,
		tooFew: row.kpis.filter((ground) => ground.tooFew).map((ground) => ground.kpi)
	};
}

/** Worse than pass, on a KPI that enters the composite score. */
function belowPass(kpi: ScoredKpi, value: number | null, settings: KpiSettings): KpiAlert | null {
	const threshold = settings.thresholds[kpi];
	if (value === null || !threshold || (settings.weights[kpi] ?? 0) <= 0) return null;
	if (thresholdRating(value, threshold) !== 'fail') return null;
	return { kind: 'below_pass', kpi, value, pass: threshold.pass, excellent: threshold.excellent };
}

function sharpDrop(kpi: ScoredKpi, value: number | null, previous: number | null): KpiAlert | null {
	if (value === null || previous === null) return null;
	const dropped = isRate(kpi)
		? previous - value >= SHARP_RATE_DROP - EPSILON
		: previous > 0 && value - previous >= previous * SHARP_RISE_RATIO - EPSILON;
	return dropped ? { kind: 'sharp_drop', kpi, value, previous } : null;
}

/** Whether a technician with this many completed jobs is checked at all. */
export function hasEnoughJobs(jobsCompleted: number, minJobs: number): boolean {
	return jobsCompleted >= minJobs;
}

/**
 * The alerts of one technician, in SCORED_KPIS order, below-pass before sharp-drop per KPI.
 * `previous` is the technician's row of the previous period, null when they had no completed job.
 */
export function kpiAlerts(
	current: KpiValues,
	previous: KpiValues | null,
	settings: KpiSettings,
	minJobs: number
): KpiAlert[] {
	if (!hasEnoughJobs(current.jobs_completed, minJobs)) return [];
	const base = previous && hasEnoughJobs(previous.jobs_completed, minJobs) ? previous : null;
	const alerts: KpiAlert[] = [];
	for (const kpi of SCORED_KPIS) {
		if (current.tooFew.includes(kpi)) continue;
		const below = belowPass(kpi, current[kpi], settings);
		if (below) alerts.push(below);
		const drop =
			base && !base.tooFew.includes(kpi) ? sharpDrop(kpi, current[kpi], base[kpi]) : null;
		if (drop) alerts.push(drop);
	}
	return alerts;
}
