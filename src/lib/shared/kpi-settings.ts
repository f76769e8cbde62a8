import { z } from 'zod';
import { SCORED_KPIS, type KpiSettings } from './domain';

/**
 * The default minimum samples (docs/kpi-rules.md "Minimum samples"): 5 of whatever a KPI
 * counts (jobs, timed jobs, ratings), the same as the default min_jobs_for_ranking, so a
 * technician ranked on 5 jobs has every job-based KPI scored; satisfaction needs 5 ratings.
 */
export const DEFAULT_KPI_MINIMUMS: KpiSettings['minimums'] = {
	repair_success_rate: 5,
	avg_response_hours: 5,
	duration_index: 5,
	csat: 5,
	follow_up_rate: 5,
	record_accuracy: 5,
	parts_cost_per_job: 5
};

/** A minimum sample at most this large: beyond it no station would ever score the KPI. */
export const MAX_KPI_MINIMUM = 1000;

/** The defaults of kpi.md, "Scoring", and of docs/kpi-rules.md, "Minimum samples". */
export const DEFAULT_KPI_SETTINGS: KpiSettings = {
	thresholds: {
		repair_success_rate: { pass: 0.9, excellent: 0.95 },
		avg_response_hours: { pass: 24, excellent: 12 },
		duration_index: { pass: 1.2, excellent: 1.0 },
		csat: { pass: 0.85, excellent: 0.9 },
		follow_up_rate: { pass: 0.8, excellent: 0.9 },
		record_accuracy: { pass: 0.95, excellent: 0.98 },
		parts_cost_per_job: null
	},
	weights: {
		repair_success_rate: 0.3,
		avg_response_hours: 0.15,
		duration_index: 0.15,
		csat: 0.2,
		follow_up_rate: 0.1,
		record_accuracy: 0.1,
		parts_cost_per_job: 0
	},
	minimums: DEFAULT_KPI_MINIMUMS
};

const threshold = z
	.object({ pass: z.number().finite(), excellent: z.number().finite() })
	.refine((t) => t.pass !== t.excellent, {
		message: 'pass and excellent must differ'
	});

const kpiKey = z.enum(SCORED_KPIS);

export const kpiMinimumSchema = z.number().int().min(0).max(MAX_KPI_MINIMUM);

export const kpiSettingsSchema = z.object({
	thresholds: z.partialRecord(kpiKey, threshold.nullable()),
	weights: z.record(kpiKey, z.number().min(0).max(1)),
	// Settings stored before minimums existed (or naming only some) read as the defaults.
	minimums: z
		.partialRecord(kpiKey, kpiMinimumSchema)
		.optional()
		.transform((stored) => ({ ...DEFAULT_KPI_MINIMUMS, ...stored }))
});
