/**
 * What the settings service (server/stations/settings/) answers, as the settings page reads it:
 * shared so that the page's components name these shapes without importing a server module.
 */
import type { KpiSettings, KpiThreshold, ScoredKpi } from './domain';

/** One KPI's rule as the audit records it. */
export interface KpiRule {
	threshold: KpiThreshold | null;
	weight: number;
	/** The minimum sample; absent in audit rows written before minimums existed. */
	minimum?: number;
}

/** What the audit keeps of an applied AHP: enough to redo the computation by hand. */
export interface AhpRecord {
	kpis: ScoredKpi[];
	matrix: number[][];
	lambdaMax: number;
	ci: number;
	cr: number;
	weights: Record<ScoredKpi, number>;
}

export interface FaultCategoryValue {
	name: string;
	standardMinutes: number;
	/** Below it a repair is flagged too_fast (docs/kpi-rules.md). */
	floorMinutes: number;
	active: boolean;
}

export interface FaultCategorySetting extends FaultCategoryValue {
	id: string;
	code: string;
	/** Jobs that name this category: why categories are deactivated, never deleted. */
	jobCount: number;
}

/** A settings version as the settings page lists it (stations/settings/versions.ts). */
export interface SettingsVersionSummary {
	/** 'YYYY-MM-DD'; null for the station's first version, in force from the beginning. */
	effectiveFrom: string | null;
	createdAt: Date;
	/** Null for the first version and for a change by an account no longer known. */
	createdBy: { login: string; name: string } | null;
	/** The version today's scores (and the running period's) use. */
	inForceToday: boolean;
}

export interface StationSettings {
	timeZone: string;
	/** The station's local date today: the earliest a change may take effect. */
	today: string;
	reworkWindowDays: number;
	minJobsForRanking: number;
	kpi: KpiSettings;
	defaults: { kpi: KpiSettings; reworkWindowDays: number; minJobsForRanking: number };
	faultCategories: FaultCategorySetting[];
	/** Phones record where arrival and completion happened (stations/settings/positions.ts). */
	recordPositions: boolean;
	/** A technician's completion must carry the customer's signature (stations/settings/evidence.ts). */
	completionRequiresSignature: boolean;
	/** The judgements of the last AHP applied, so the supervisor can start from them. */
	lastAhp: (AhpRecord & { changedAt: Date }) | null;
	/** Every settings version, latest effective date first; the values above are today's. */
	versions: SettingsVersionSummary[];
}

export interface SettingsChangeResult {
	/** How many settings changed (audit rows written); 0 when the input matched what is stored. */
	changed: number;
}

/** An audit row's change, read back into the shape its subject was written with. */
export type SettingsChange =
	| { kind: 'kpi'; kpi: ScoredKpi; old: KpiRule | null; new: KpiRule | null }
	| { kind: 'ahp'; old: Partial<Record<ScoredKpi, number>> | null; new: AhpRecord }
	| { kind: 'rework_window_days' | 'min_jobs_for_ranking'; old: number | null; new: number | null }
	| {
			kind: 'record_positions' | 'completion_requires_signature';
			old: boolean | null;
			new: boolean | null;
	  }
	/** The date the rows of the same change take effect from. */
	| { kind: 'version'; effectiveFrom: string }
	| {
			kind: 'fault_category';
			code: string;
			old: FaultCategoryValue | null;
			new: FaultCategoryValue | null;
	  }
	/** Written by something the server does not know (kept readable, never hidden). */
	| { kind: 'other'; old: unknown; new: unknown };

export interface SettingsAuditEntry {
	id: string;
	changedAt: Date;
	/** Null when the account that made the change is unknown (e.g. written by a script). */
	changedBy: { login: string; name: string } | null;
	subject: string;
	change: SettingsChange;
}

export interface SettingsHistoryPage {
	entries: SettingsAuditEntry[];
	page: number;
	pageSize: number;
	hasMore: boolean;
}
