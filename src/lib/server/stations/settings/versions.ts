/**
 * Effective-dated KPI settings (docs/kpi-rules.md, "Settings versions"): every change of the
 * thresholds, weights, rework window or ranking minimum is written as a version of
 * kpi_settings_versions effective from a date the supervisor picks, today or later in the
 * station's time zone (never backwards, so an ended period keeps the settings it was scored
 * with). Readers go through kpi/settings-in-force.ts.
 *
 * A change dated D rewrites the version starting on D (made from the one in force on D when
 * there is none) and carries the same change into the versions already scheduled after D: the
 * supervisor changed that rule from D on, and a scheduled version made earlier must not quietly
 * restore the old value. stations' own columns are kept as a copy of the latest version in the
 * same transaction.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db';
import { queryRows } from '../../db/rows';
import { kpiSettingsVersions, stations, users } from '../../db/schema';
import type { SessionUser } from '../../auth/session-user';
import { addDays, isCalendarDate } from '../../../shared/time/periods';
import { settingsInForce, type SettingsVersion } from '../../kpi/settings-in-force';
import type { SettingsVersionSummary } from '../../../shared/station-settings';
import { effectiveKpiSettings, stationGone, writeAudit } from './editing';
import { invalidInput } from './fields';

/** The audit subject of a version written: its effective date is the new value. */
export const VERSION_SUBJECT = 'settings_version';

/** How far ahead a change may be dated: a year covers any planned change of rules. */
export const MAX_DAYS_AHEAD = 366;

/** The optional effective date of a settings form: 'YYYY-MM-DD'; absent means today. */
export const effectiveFromSchema = z
	.string()
	.refine(isCalendarDate, {
		message: 'must be a date written YYYY-MM-DD',
		params: { problem: 'effective_date_invalid' }
	})
	.optional();

export type SettingsValues = Omit<SettingsVersion, 'effectiveFrom'>;

/** The settings a change starts from, and the date it takes effect. */
export interface LockedSettings extends SettingsValues {
	effectiveFrom: string;
}

/**
 * Locks the caller's station (concurrent changes queue, so each audit's old value is what the
 * change replaced), checks the effective date against the station's today and returns the
 * settings in force on it.
 */
export async function lockSettings(
	tx: Queryable,
	user: SessionUser,
	effectiveFrom: string | undefined
): Promise<LockedSettings> {
	const [station] = await queryRows<{ today: string }>(
		tx,
		sql`SELECT (now() AT TIME ZONE s.time_zone)::date::text AS today
		FROM stations s WHERE s.id = ${user.stationId}::uuid FOR UPDATE`
	);
	if (!station) throw stationGone();
	const date = effectiveFrom ?? station.today;
	if (date < station.today) {
		throw invalidInput(
			['effectiveFrom'],
			'effective_date_past',
			`must be today (${station.today}) or later: a change never rewrites an earlier period`,
			{ today: station.today }
		);
	}
	const latest = addDays(station.today, MAX_DAYS_AHEAD);
	if (date > latest) {
		throw invalidInput(
			['effectiveFrom'],
			'effective_date_too_far',
			`must be at most ${MAX_DAYS_AHEAD} days ahead (${latest})`,
			{ latest }
		);
	}
	const version = await settingsInForce(tx, user.stationId, date);
	return {
		effectiveFrom: date,
		kpiSettings: { ...version.kpiSettings, ...effectiveKpiSettings(version.kpiSettings) },
		reworkWindowDays: version.reworkWindowDays,
		minJobsForRanking: version.minJobsForRanking
	};
}

/**
 * Writes a change effective from `base.effectiveFrom`: the version starting that day becomes
 * `change(base)`, every later version gets `change` applied to itself, stations' copy follows
 * the latest version, and the audit notes the date beside the change's own rows.
 */
export async function writeSettingsVersion(
	tx: Queryable,
	user: SessionUser,
	base: LockedSettings,
	change: (values: SettingsValues) => SettingsValues
): Promise<void> {
	const at = change(base);
	await tx
		.insert(kpiSettingsVersions)
		.values({
			stationId: user.stationId,
			effectiveFrom: base.effectiveFrom,
			...at,
			createdBy: user.id
		})
		.onConflictDoUpdate({
			target: [kpiSettingsVersions.stationId, kpiSettingsVersions.effectiveFrom],
			set: { ...at, createdBy: user.id, createdAt: sql`now()` }
		});
	const later = await tx
		.select()
		.from(kpiSettingsVersions)
		.where(
			and(
				eq(kpiSettingsVersions.stationId, user.stationId),
				gt(kpiSettingsVersions.effectiveFrom, base.effectiveFrom)
			)
		)
		.orderBy(asc(kpiSettingsVersions.effectiveFrom));
	let latest = at;
	for (const version of later) {
		latest = change({
			kpiSettings: version.kpiSettings,
			reworkWindowDays: version.reworkWindowDays,
			minJobsForRanking: version.minJobsForRanking
		});
		await tx
			.update(kpiSettingsVersions)
			.set(latest)
			.where(
				and(
					eq(kpiSettingsVersions.stationId, user.stationId),
					eq(kpiSettingsVersions.effectiveFrom, version.effectiveFrom)
				)
			);
	}
	await tx
		.update(stations)
		.set({ ...latest, updatedAt: sql`now()` })
		.where(eq(stations.id, user.stationId));
	await writeAudit(tx, user, [
		{ subject: VERSION_SUBJECT, oldValue: null, newValue: { effectiveFrom: base.effectiveFrom } }
	]);
}

/**
 * A new station's first version, in force from the beginning: its settings as created (the
 * defaults of stations' columns). Every path that creates a station calls it in the same
 * transaction.
 */
export async function insertFirstSettingsVersion(tx: Queryable, stationId: string): Promise<void> {
	await tx.execute(sql`
		INSERT INTO kpi_settings_versions
			(station_id, effective_from, kpi_settings, rework_window_days, min_jobs_for_ranking)
		SELECT s.id, '-infinity'::date, s.kpi_settings, s.rework_window_days, s.min_jobs_for_ranking
		FROM stations s WHERE s.id = ${stationId}::uuid
		ON CONFLICT DO NOTHING`);
}

/** The station's versions, latest first, for the settings page. */
export async function listSettingsVersions(
	db: Queryable,
	stationId: string
): Promise<SettingsVersionSummary[]> {
	const rows = await db
		.select({
			effectiveFrom: sql<string>`${kpiSettingsVersions.effectiveFrom}::text`,
			createdAt: kpiSettingsVersions.createdAt,
			login: users.login,
			name: users.name,
			inForceToday: sql<boolean>`${kpiSettingsVersions.effectiveFrom} = (
				SELECT max(v.effective_from) FROM kpi_settings_versions v
				JOIN stations s ON s.id = v.station_id
				WHERE v.station_id = ${stationId}::uuid
					AND v.effective_from <= (now() AT TIME ZONE s.time_zone)::date)`
		})
		.from(kpiSettingsVersions)
		.leftJoin(
			users,
			and(
				eq(users.stationId, kpiSettingsVersions.stationId),
				eq(users.id, kpiSettingsVersions.createdBy)
			)
		)
		.where(eq(kpiSettingsVersions.stationId, stationId))
		.orderBy(sql`${kpiSettingsVersions.effectiveFrom} DESC`);
	return rows.map((row) => ({
		effectiveFrom: row.effectiveFrom === '-infinity' ? null : row.effectiveFrom,
		createdAt: row.createdAt,
		createdBy:
			row.login !== null && row.name !== null ? { login: row.login, name: row.name } : null,
		inForceToday: row.inForceToday
	}));
}
