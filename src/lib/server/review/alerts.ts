/**
 * The alerts page's data: per technician, the KPIs below pass or dropping sharply (rules in
 * alert-rules.ts). The KPI values and samples come from the scorecard's ground for the period
 * and for the period before it (comparisonPeriod, shared/time/periods.ts: while the period runs,
 * only as many days of the period before as have passed), so they are exactly the numbers the
 * scorecard shows, "too few" included; the thresholds and ranking minimum are those the period
 * is scored with.
 *
 * A closed month (kpi/closing.ts) alerts from what was stored at closing: its ground and the
 * settings it was scored with, so an edit to one of its jobs since changes neither its scorecard
 * nor its alerts. The period it is compared with is read the same way, frozen when it is a
 * closed month itself, live otherwise (scorecardOfPeriod).
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { closureOf, scorecardOfPeriod } from '../kpi/closed-periods';
import { computeScorecardWithGround } from '../kpi/scorecard';
import { settingsForPeriod } from '../kpi/settings-in-force';
import { parseStationPeriod, type StationPeriod } from '../kpi/period';
import {
	SHARP_RATE_DROP,
	SHARP_RISE_RATIO,
	hasEnoughJobs,
	kpiAlerts,
	kpiValuesOf
} from './alert-rules';
import { comparisonPeriod } from '../../shared/time/periods';
import type { AlertsReport } from './schemas';

export async function reviewAlerts(db: Queryable, input: StationPeriod): Promise<AlertsReport> {
	const { stationId, from, to } = parseStationPeriod(input);
	const [station] = await queryRows<{ today: string }>(
		db,
		sql`SELECT (now() AT TIME ZONE time_zone)::date::text AS today
		FROM stations WHERE id = ${stationId}::uuid`
	);
	if (!station) throw new Error(`Station ${stationId} does not exist.`);
	const before = comparisonPeriod({ from, to }, station.today);
	const closure = await closureOf(db, stationId, { from, to });
	const { kpiSettings, minJobsForRanking: minJobs } =
		closure?.settings ?? (await settingsForPeriod(db, { stationId, to }));

	const current = closure
		? closure.scorecard.ground
		: (await computeScorecardWithGround(db, { stationId, from, to })).ground;
	const { ground: previous } = await scorecardOfPeriod(db, stationId, before);
	// Scorecard rows name technicians by login, unique per station; the page links by id.
	const people = await queryRows<{ id: string; login: string }>(
		db,
		sql`SELECT id::text AS id, login FROM users WHERE station_id = ${stationId}::uuid`
	);
	const idByLogin = new Map(people.map((person) => [person.login, person.id]));
	const previousByLogin = new Map(previous.map((row) => [row.login, row]));

	const technicians: AlertsReport['technicians'] = [];
	const insufficient: AlertsReport['insufficient'] = [];
	let checkedCount = 0;
	for (const row of current) {
		const ref = { technicianId: idByLogin.get(row.login)!, login: row.login, name: row.name };
		if (!hasEnoughJobs(row.jobs_completed, minJobs)) {
			insufficient.push({ ...ref, jobsCompleted: row.jobs_completed });
			continue;
		}
		checkedCount += 1;
		const previousRow = previousByLogin.get(row.login) ?? null;
		const alerts = kpiAlerts(
			kpiValuesOf(row),
			previousRow && kpiValuesOf(previousRow),
			kpiSettings,
			minJobs
		);
		if (alerts.length === 0) continue;
		technicians.push({
			...ref,
			jobsCompleted: row.jobs_completed,
			previousJobsCompleted: previousRow?.jobs_completed ?? 0,
			alerts
		});
	}
	// Most alerts first, then by login in byte order like the scorecard's tie-break.
	technicians.sort(
		(a, b) =>
			b.alerts.length - a.alerts.length || (a.login < b.login ? -1 : a.login > b.login ? 1 : 0)
	);

	return {
		period: { from, to },
		previousPeriod: { from: before.from, to: before.to },
		minJobs,
		rule: { sharpRateDrop: SHARP_RATE_DROP, sharpRiseRatio: SHARP_RISE_RATIO },
		technicians,
		checkedCount,
		insufficient,
		closed: closure
			? { closedBy: closure.closedBy, closedAt: closure.closedAt.toISOString() }
			: null
	};
}
