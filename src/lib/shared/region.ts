/**
 * The region manager's view (roles.md, "region" = stations assigned to the user): the shapes the
 * server's region comparison (kpi/region.ts) hands the /region pages.
 */
import type { ScorecardRow, StationKpiRow } from './kpi';

export interface RegionStation {
	id: string;
	code: string;
	name: string;
}

/** One station of the comparison: its own row of the period, scored by its own settings. */
export interface RegionStationRow {
	station: RegionStation;
	/** Null when no job was completed in the period. */
	kpis: StationKpiRow | null;
	/** The period is a closed month of this station: its numbers are the closed ones. */
	closed: boolean;
	/** The station's score in each trend month, oldest first; null where nothing was completed. */
	trend: (number | null)[];
}

/** A technician among the region's best or worst: their station's scorecard row. */
export interface RegionTechnician {
	station: RegionStation;
	row: ScorecardRow;
}

export interface RegionComparison {
	stations: RegionStationRow[];
	/** The months of each station's trend, 'YYYY-MM', oldest first. */
	trendMonths: string[];
	/**
	 * The highest and the lowest scores across the stations among technicians their own station
	 * ranks (a score, and the station's minimum of completed jobs; each KPI its minimum sample).
	 */
	best: RegionTechnician[];
	worst: RegionTechnician[];
}
