/**
 * The alerts page's data: per technician, the KPIs below pass or dropping sharply (rules in
 * alert-rules.ts). The KPI values and samples come from computeScorecardGround for the period
 * and for the period before it (comparisonPeriod, shared/time/periods.ts), so they are exactly
 * the numbers the scorecard shows, "too few" included.
 */
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { stations } from '../db/schema';
import { computeScorecardGround } from '../kpi/scorecard';
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
	const before = comparisonPeriod({ from, to });
	const [station] = await db
		.select({ kpiSettings: stations.kpiSettings, minJobs: stations.minJobsForRanking })
		.from(stations)
		.where(eq(stations.id, stationId));
	if (!station) throw new Error(`Station ${stationId} does not exist.`);

	const current = await computeScorecardGround(db, { stationId, from, to });
	const previous = await computeScorecardGround(db, { stationId, ...before });
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
		if (!hasEnoughJobs(row.jobs_completed, station.minJobs)) {
			insufficient.push({ ...ref, jobsCompleted: row.jobs_completed });
			continue;
		}
		checkedCount += 1;
		const previousRow = previousByLogin.get(row.login) ?? null;
		const alerts = kpiAlerts(
			kpiValuesOf(row),
			previousRow && kpiValuesOf(previousRow),
			station.kpiSettings,
			station.minJobs
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
		previousPeriod: before,
		minJobs: station.minJobs,
		rule: { sharpRateDrop: SHARP_RATE_DROP, sharpRiseRatio: SHARP_RISE_RATIO },
		technicians,
		checkedCount,
		insufficient
	};
}
