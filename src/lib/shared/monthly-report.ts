/**
 * The monthly report of a station (issue 13 item 6): the shape the server builds
 * (server/review/monthly-report.ts) and the print page, the PDF and the .xlsx all render, and
 * which column rests on which sample. Types and constants only (no zod): the print page loads it.
 */
import type { KpiSettings, ScoredKpi } from './domain';
import type { JobFact, ScorecardRow } from './kpi';
import type { KpiGround } from './kpi-ground';
import type { KpiColumnKey, NumberStyle } from './kpi-words';

/** A month as the report's URL names it, 'YYYY-MM', in the years the period pickers accept. */
export const REPORT_MONTH = /^20\d{2}-(0[1-9]|1[0-2])$/;

/**
 * One scored KPI of a technician as the scorecard's ground has it (shared/kpi-ground.ts): its
 * value, the sample it rests on and the station's minimum, its points, weight and contribution
 * to the score (issue 13 item 4), so the report's breakdown is the scorecard's.
 */
export type ReportKpi = KpiGround;

/** A job behind a failure or a flag: why it failed, what it is flagged for, what an appeal took out. */
export type ReportJob = Pick<
	JobFact,
	| 'job_no'
	| 'completed_at'
	| 'success'
	| 'failure_reasons'
	| 'reworked_by'
	| 'flags'
	| 'accepted_flags'
	| 'excluded_kpis'
	| 'latest_satisfaction'
>;

export interface ReportTechnician {
	/** The technician's scorecard row, as the station's scorecard has it. */
	row: ScorecardRow;
	/** Every scored KPI with its sample and its part of the score, in SCORED_KPIS order. */
	kpis: ReportKpi[];
	/** The jobs behind the technician's failures and flags, in order of completion. */
	jobs: ReportJob[];
}

export interface MonthlyReport {
	station: { code: string; name: string; timeZone: string };
	/** 'YYYY-MM' and its local days [from, to). */
	month: string;
	period: { from: string; to: string };
	/** When the report was made (ISO 8601, UTC): its print date. */
	printedAt: string;
	/** The thresholds, weights and ranking minimum the scores were computed with. */
	scoring: { kpiSettings: KpiSettings; minJobsForRanking: number };
	/** The scorecard's rows in its order (rank, then login), each with its ground and jobs. */
	technicians: ReportTechnician[];
}

/** The KPI columns of the scorecard, in the contract's order (kpi.md). */
export type ReportColumn = KpiColumnKey;

/**
 * Every KPI column with its number format (kpi.md: rates as percents, minutes and hours with one
 * decimal, money with two) and the scored KPI whose sample it rests on: the repair times share
 * the timed jobs of the duration index, the average rating the ratings of csat, the parts cost
 * the jobs of the cost per job. jobs_completed is a sample itself.
 */
export const REPORT_COLUMNS: readonly {
	key: ReportColumn;
	style: NumberStyle;
	sampleOf: ScoredKpi | null;
}[] = [
	{ key: 'jobs_completed', style: 'count', sampleOf: null },
	{ key: 'repair_success_rate', style: 'percent', sampleOf: 'repair_success_rate' },
	{ key: 'avg_repair_minutes', style: 'decimal1', sampleOf: 'duration_index' },
	{ key: 'median_repair_minutes', style: 'decimal1', sampleOf: 'duration_index' },
	{ key: 'duration_index', style: 'decimal2', sampleOf: 'duration_index' },
	{ key: 'avg_response_hours', style: 'decimal1', sampleOf: 'avg_response_hours' },
	{ key: 'parts_cost_total', style: 'money', sampleOf: 'parts_cost_per_job' },
	{ key: 'parts_cost_per_job', style: 'money', sampleOf: 'parts_cost_per_job' },
	{ key: 'csat', style: 'percent', sampleOf: 'csat' },
	{ key: 'avg_satisfaction', style: 'decimal2', sampleOf: 'csat' },
	{ key: 'follow_up_rate', style: 'percent', sampleOf: 'follow_up_rate' },
	{ key: 'record_accuracy', style: 'percent', sampleOf: 'record_accuracy' }
];

/** The sample a column of a technician's row rests on; null for jobs_completed itself. */
export function columnSample(technician: ReportTechnician, column: ReportColumn): number | null {
	const sampleOf = REPORT_COLUMNS.find((candidate) => candidate.key === column)?.sampleOf;
	if (!sampleOf) return null;
	return technician.kpis.find((kpi) => kpi.kpi === sampleOf)?.sample ?? null;
}

/** The file name of a download of the report, without extension. */
export function reportFileName(report: Pick<MonthlyReport, 'station' | 'month'>): string {
	return `monthly-report-${report.station.code}-${report.month}`;
}
