/**
 * What each number of a scorecard rests on (issue 13, docs/kpi-rules.md "Minimum samples"): per
 * technician and scored KPI, its sample, the station's minimum, whether it is too few to score,
 * its points and its weighted contribution to the composite score. Computed in SQL
 * (server/kpi/scorecard.ts); the scorecard page, the monthly report and closed periods show it.
 */
import type { ScoredKpi } from './domain';
import type { Grade } from './kpi';

export interface KpiGround {
	kpi: ScoredKpi;
	value: number | null;
	/** The jobs, ratings or timed jobs the value rests on. */
	sample: number;
	/** The station's minimum sample for this KPI. */
	minimum: number;
	/** sample < minimum: shown as "too few" and carries no weight in the score. */
	tooFew: boolean;
	/** The KPI's score 0–100; null when not scored (no thresholds, weight 0, no value, too few). */
	points: number | null;
	/** The station's weight for the KPI. */
	weight: number;
	/** points × weight / (sum of the weights of the scored KPIs): what it adds to the score. */
	contribution: number | null;
}

export interface ScorecardGroundRow {
	login: string;
	name: string;
	jobs_completed: number;
	score: number | null;
	grade: Grade | null;
	rank: number | null;
	kpis: KpiGround[];
}
