/**
 * What the scorecard pages load from their JSON endpoints, and what the browser keeps of them
 * for offline reading. Plain JSON: dates are ISO strings.
 */
import type { KpiSettings } from './domain';
import type { JobFact, ScorecardRow } from './kpi';
import type { ScorecardPeriod } from './time/periods';

export interface SnapshotStation {
	code: string;
	name: string;
	timeZone: string;
}

export interface StationScoringRules {
	kpiSettings: KpiSettings;
	minJobsForRanking: number;
}

export interface TechnicianJobCounts {
	id: string;
	login: string;
	name: string;
	active: boolean;
	jobsTotal: number;
	jobsCompleted: number;
	jobsOpen: number;
	lastCompletedAt: string | null;
}

export interface StationScorecardSnapshot {
	station: SnapshotStation;
	period: ScorecardPeriod;
	previousPeriod: ScorecardPeriod;
	rows: ScorecardRow[];
	previousRows: ScorecardRow[];
	scoring: StationScoringRules;
	technicians: TechnicianJobCounts[];
	/** When the server computed these numbers: the "as of" of an offline copy. */
	generatedAt: string;
}

export interface DrillDownJobView extends JobFact {
	customer_name: string;
	reported_at: string;
}

export interface MonthlyRow extends ScorecardRow {
	month: string;
}

export interface TechnicianScorecardSnapshot {
	station: SnapshotStation;
	technician: { id: string; login: string; name: string; active: boolean };
	period: ScorecardPeriod;
	previousPeriod: ScorecardPeriod;
	/** This technician's row; null without completed jobs in the period. */
	row: ScorecardRow | null;
	previousRow: ScorecardRow | null;
	/** How many technicians of the station are ranked in the period. */
	rankedCount: number;
	scoring: StationScoringRules;
	/** The trend window's months, 'YYYY-MM', oldest first. */
	months: string[];
	/** This technician's rows of those months (months without jobs are absent). */
	trend: MonthlyRow[];
	jobs: DrillDownJobView[];
	generatedAt: string;
}

/** The key of a page's offline copy: the station, who looked, which page and which period. */
export function snapshotKey(
	user: { stationCode: string; login: string },
	page: string,
	period: ScorecardPeriod
): string {
	return [user.stationCode, user.login, page, period.from, period.to].join('/');
}

/** A page kept as a whole (lib/server/kept-page.ts): its data, devalue-encoded, and its date. */
export interface KeptPageEnvelope {
	/** When the server read the data: the "as of" of an offline copy. */
	generatedAt: string;
	/** The page's data in devalue's format (it may hold dates). */
	view: string;
}
