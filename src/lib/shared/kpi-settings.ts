import { z } from 'zod';
import { SCORED_KPIS, type KpiSettings } from './domain';

/** The defaults of kpi.md, "Scoring". */
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
	}
};

const threshold = z
	.object({ pass: z.number().finite(), excellent: z.number().finite() })
	.refine((t) => t.pass !== t.excellent, {
		message: 'pass and excellent must differ'
	});

const kpiKey = z.enum(SCORED_KPIS);

export const kpiSettingsSchema = z.object({
	thresholds: z.partialRecord(kpiKey, threshold.nullable()),
	weights: z.record(kpiKey, z.number().min(0).max(1))
});
