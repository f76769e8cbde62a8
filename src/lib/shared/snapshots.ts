/**
 * What the scorecard pages load from their JSON endpoints, and what the browser keeps of them
 * for offline reading. Plain JSON: dates are ISO strings.
 */
import type { KpiSettings } from './domain';
import type { FactsFreshness, JobFact, ScorecardRow, StationKpiRow } from './kpi';
import type { PeriodClosureView } from './period-closing';
import type { ScorecardGroundRow } from './kpi-ground';
import type { ScorecardPeriod } from './time/periods';
import type { DrillList } from './drill-down';

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

/**
 * The counts that open the desk's worklists on the station home; null while not known (not
 * computed by this server, or an offline copy that lacks them).
 */
export interface WorklistCounts {
	overdueOpenJobs: number | null;
	followUpCallsDue: number | null;
	reworks: number | null;
	unverifiedJobs: number | null;
	openOverlaps: number | null;
	/** Technicians' appeals waiting for a supervisor (review/appeals.ts); absent in older copies. */
	pendingAppeals?: number | null;
}

export interface MonthlyStationRow extends StationKpiRow {
	month: string;
}

/** The station home (/supervisor): the station's own figures, then the scorecard. */
export interface StationScorecardSnapshot {
	station: SnapshotStation;
	period: ScorecardPeriod;
	/** The station's date when computed: a period not ended by then shows its numbers "so far". */
	today: string;
	/** What it is compared with: the period before, or as many of its days while it runs. */
	previousPeriod: ScorecardPeriod;
	rows: ScorecardRow[];
	/** What each row's numbers rest on; absent in copies kept before issue 13. */
	ground?: ScorecardGroundRow[];
	previousRows: ScorecardRow[];
	/** The station's own row of the period and of the one before; null without completed jobs. */
	stationRow: StationKpiRow | null;
	previousStationRow: StationKpiRow | null;
	/** The trend lines' months, 'YYYY-MM', oldest first, ending with the period's last month. */
	trendMonths: string[];
	/** The station's row of those months (months without completed jobs are absent). */
	stationTrend: MonthlyStationRow[];
	worklists: WorklistCounts;
	/** The settings the scorecard was scored with: a closed month's, as it was closed. */
	scoring: StationScoringRules;
	technicians: TechnicianJobCounts[];
	/**
	 * The period's closure when it is closed (docs/kpi-rules.md, "Closed periods"): its rows are
	 * then the ones stored at closing. Absent from copies kept before periods could close.
	 */
	closure?: PeriodClosureView | null;
	/**
	 * How far the KPI facts were behind the writes (a background refresh running): the numbers
	 * are "as of" its asOf. Absent from copies kept before facts were refreshed in the background.
	 */
	freshness?: FactsFreshness;
	/** When the server computed these numbers: the "as of" of an offline copy. */
	generatedAt: string;
	/** Seconds the read replica the numbers came from was behind; null or absent: the primary. */
	replicaLagSeconds?: number | null;
}

export interface DrillDownJobView extends JobFact {
	customer_name: string;
	reported_at: string;
	/** KPIs an accepted appeal took the job out of, with why; absent in older copies. */
	exclusions?: { kpi: 'repair_success_rate' | 'record_accuracy'; reason: string }[];
}

export interface MonthlyRow extends ScorecardRow {
	month: string;
}

export interface TechnicianScorecardSnapshot {
	station: SnapshotStation;
	technician: { id: string; login: string; name: string; active: boolean };
	period: ScorecardPeriod;
	/** The station's date when computed: a period not ended by then shows its numbers "so far". */
	today: string;
	/** What it is compared with: the period before, or as many of its days while it runs. */
	previousPeriod: ScorecardPeriod;
	/** This technician's row; null without completed jobs in the period. */
	row: ScorecardRow | null;
	/** What the row's numbers rest on; absent in copies kept before issue 13. */
	ground?: ScorecardGroundRow | null;
	previousRow: ScorecardRow | null;
	/** How many technicians of the station are ranked in the period. */
	rankedCount: number;
	scoring: StationScoringRules;
	/** The trend window's months, 'YYYY-MM', oldest first. */
	months: string[];
	/** This technician's rows of those months (months without jobs are absent). */
	trend: MonthlyRow[];
	jobs: DrillDownJobView[];
	/** The period's closure when it is closed (see StationScorecardSnapshot). */
	closure?: PeriodClosureView | null;
	generatedAt: string;
	/** See StationScorecardSnapshot. */
	replicaLagSeconds?: number | null;
}

/** The jobs behind the station's own figures (kpi/station-drill-down.ts), as a page keeps them. */
export interface StationDrillDownSnapshot {
	station: SnapshotStation;
	period: ScorecardPeriod;
	jobsCompleted: number;
	/** Each list's first jobs and the count of all it holds. */
	lists: { list: DrillList; count: number; jobs: DrillDownJobView[] }[];
	generatedAt: string;
	/** See StationScorecardSnapshot. */
	replicaLagSeconds?: number | null;
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
