/**
 * The one way to read a station's KPI settings (thresholds, weights, minimums in kpi_settings,
 * the rework window, the ranking minimum): from kpi_settings_versions, the version in force on
 * a day being the one with the latest effective_from on or before it (docs/kpi-rules.md,
 * "Settings versions"). stations' own copies of these columns are only the latest version,
 * written beside it (stations/settings/versions.ts); nothing reads them.
 *
 * A period is scored with the version in force on its last day, or today when the period is
 * still running: an ended period never changes with a later change, and the running one
 * follows today's settings until it ends.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { kpiSettingsSchema } from '../../shared/kpi-settings';
import { addDays } from '../../shared/time/periods';
import type { KpiSettings } from '../../shared/domain';

/**
 * The version in force on `day` (an SQL date) as a subquery with the columns of
 * kpi_settings_versions, for a LATERAL join. Every station has a version from -infinity, so
 * there is always one.
 */
export function versionInForce(stationId: SQL, day: SQL): SQL {
	return sql`(
	SELECT v.effective_from, v.kpi_settings, v.rework_window_days, v.min_jobs_for_ranking
	FROM kpi_settings_versions v
	WHERE v.station_id = ${stationId} AND v.effective_from <= ${day}
	ORDER BY v.effective_from DESC
	LIMIT 1
)`;
}

/** Today in the station's time zone, as an SQL date (the transaction's clock). */
export function stationToday(stationId: SQL): SQL {
	return sql`(SELECT (now() AT TIME ZONE s.time_zone)::date FROM stations s WHERE s.id = ${stationId})`;
}

/** The day whose version scores a period ending on `lastDay` (an SQL date): it, or today. */
export function scoringDay(stationId: SQL, lastDay: SQL): SQL {
	return sql`least(${lastDay}, ${stationToday(stationId)})`;
}

export interface SettingsVersion {
	/** 'YYYY-MM-DD', or '-infinity' for a station's first version. */
	effectiveFrom: string;
	kpiSettings: KpiSettings;
	reworkWindowDays: number;
	minJobsForRanking: number;
}

async function readVersion(db: Queryable, stationId: string, day: SQL): Promise<SettingsVersion> {
	const id = sql`${stationId}::uuid`;
	const [row] = await queryRows<{
		effective_from: string;
		kpi_settings: unknown;
		rework_window_days: number;
		min_jobs_for_ranking: number;
	}>(
		db,
		sql`SELECT v.effective_from::text AS effective_from, v.kpi_settings, v.rework_window_days,
			v.min_jobs_for_ranking
		FROM ${versionInForce(id, day)} v`
	);
	if (!row) throw new Error(`No KPI settings in force for station ${stationId}`);
	return {
		effectiveFrom: row.effective_from,
		// The stored object may carry more than thresholds and weights (minimums): keep it.
		kpiSettings: { ...(row.kpi_settings as object), ...kpiSettingsSchema.parse(row.kpi_settings) },
		reworkWindowDays: row.rework_window_days,
		minJobsForRanking: row.min_jobs_for_ranking
	};
}

/** The version in force on a local date 'YYYY-MM-DD', or today when none is given. */
export function settingsInForce(
	db: Queryable,
	stationId: string,
	day?: string
): Promise<SettingsVersion> {
	const id = sql`${stationId}::uuid`;
	return readVersion(db, stationId, day ? sql`${day}::date` : stationToday(id));
}

/** The version a period [from, to) is scored with: in force on its last day, or today. */
export function settingsForPeriod(
	db: Queryable,
	period: { stationId: string; to: string }
): Promise<SettingsVersion> {
	const id = sql`${period.stationId}::uuid`;
	return readVersion(db, period.stationId, scoringDay(id, sql`${addDays(period.to, -1)}::date`));
}
