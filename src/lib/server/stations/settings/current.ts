/**
 * The station's settings as the settings page opens them: every rule as in force today with its
 * default, and the list of settings versions.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db';
import { queryRows } from '../../db/rows';
import { settingsAudit } from '../../db/schema';
import { settingsInForce } from '../../kpi/settings-in-force';
import type { SessionUser } from '../../auth/session-user';
import { DEFAULT_KPI_SETTINGS } from '../../../shared/kpi-settings';
import type { FaultCategorySetting, StationSettings } from '../../../shared/station-settings';
import { ahpRecordSchema } from './ahp';
import { AHP_SUBJECT, effectiveKpiSettings, requireSettingsEditor, stationGone } from './editing';
import { DEFAULT_MIN_JOBS_FOR_RANKING, DEFAULT_REWORK_WINDOW_DAYS } from './ranking';
import { listSettingsVersions } from './versions';

export async function readStationSettings(
	db: Database,
	user: SessionUser
): Promise<StationSettings> {
	requireSettingsEditor(user);
	const [[station], categories, [lastAhpRow]] = await Promise.all([
		queryRows<{
			timeZone: string;
			today: string;
			recordPositions: boolean;
			completionRequiresSignature: boolean;
		}>(
			db,
			sql`SELECT s.time_zone AS "timeZone", (now() AT TIME ZONE s.time_zone)::date::text AS today,
				s.record_positions AS "recordPositions",
				s.completion_requires_signature AS "completionRequiresSignature"
			FROM stations s WHERE s.id = ${user.stationId}::uuid`
		),
		queryRows<FaultCategorySetting>(
			db,
			sql`
			select c.id::text as "id", c.code as "code", c.name as "name",
				c.standard_minutes::int as "standardMinutes", c.floor_minutes::int as "floorMinutes",
				c.active as "active",
				(select count(*) from jobs j
					where j.station_id = c.station_id and j.fault_category_id = c.id)::int as "jobCount"
			from fault_categories c
			where c.station_id = ${user.stationId}
			order by c.active desc, c.code collate "C"`
		),
		db
			.select({ newValue: settingsAudit.newValue, changedAt: settingsAudit.changedAt })
			.from(settingsAudit)
			.where(
				and(eq(settingsAudit.stationId, user.stationId), eq(settingsAudit.subject, AHP_SUBJECT))
			)
			.orderBy(desc(settingsAudit.changedAt))
			.limit(1)
	]);
	if (!station) throw stationGone();
	const [inForce, versions] = await Promise.all([
		settingsInForce(db, user.stationId, station.today),
		listSettingsVersions(db, user.stationId)
	]);
	const lastAhp = lastAhpRow ? ahpRecordSchema.safeParse(lastAhpRow.newValue) : null;
	return {
		timeZone: station.timeZone,
		today: station.today,
		reworkWindowDays: inForce.reworkWindowDays,
		minJobsForRanking: inForce.minJobsForRanking,
		kpi: effectiveKpiSettings(inForce.kpiSettings),
		defaults: {
			kpi: effectiveKpiSettings(DEFAULT_KPI_SETTINGS),
			reworkWindowDays: DEFAULT_REWORK_WINDOW_DAYS,
			minJobsForRanking: DEFAULT_MIN_JOBS_FOR_RANKING
		},
		faultCategories: categories,
		recordPositions: station.recordPositions,
		completionRequiresSignature: station.completionRequiresSignature,
		lastAhp:
			lastAhp?.success && lastAhpRow ? { ...lastAhp.data, changedAt: lastAhpRow.changedAt } : null,
		versions
	};
}
