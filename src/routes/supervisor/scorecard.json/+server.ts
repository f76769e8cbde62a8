import { json } from '@sveltejs/kit';
import { serverReplicaLag } from '$lib/server/db/server-db';
import { serverCaller } from '$lib/server/trpc/caller';
import { addDays, comparedPeriod, monthsEnding } from '$lib/shared/time/periods';
import { zonedDay } from '$lib/shared/time/local-time';
import type { StationScorecardSnapshot } from '$lib/shared/snapshots';
import { periodOfRequest, supervisorOfRequest } from '../scorecard-request.server';
import type { RequestHandler } from './$types';

/** Months of the station home's trend lines: a half year reads at a glance. */
const TREND_MONTHS = 6;

/**
 * The station home of a period, for the page and its offline copy: the station's own KPIs of
 * the period, of the one before and of the last months, the scorecard of both periods and what
 * the period's numbers rest on, the worklist counts and every technician's job counts; a closed
 * month's numbers and settings as they were closed, with its closure (who, when, what changed
 * since).
 */
export const GET: RequestHandler = async (event) => {
	const user = supervisorOfRequest(event.locals);
	const period = periodOfRequest(event.url, user);
	// A running period is compared with as many days of the one before ("so far").
	const today = zonedDay(new Date(), user.timeZone);
	const previous = comparedPeriod(period, today);
	const trendMonths = monthsEnding(addDays(period.to, -1), TREND_MONTHS).map((first) =>
		first.slice(0, 7)
	);
	const caller = await serverCaller(event);
	const [
		{ rows, ground },
		previousRows,
		stationRow,
		previousStationRow,
		stationTrend,
		scoring,
		technicians,
		worklists,
		closure
	] = await Promise.all([
		caller.kpi.scorecardWithGround({ from: period.from, to: period.to }),
		caller.kpi.scorecard({ from: previous.from, to: previous.to }),
		caller.kpi.stationKpis({ from: period.from, to: period.to }),
		caller.kpi.stationKpis({ from: previous.from, to: previous.to }),
		caller.kpi.stationTrends({ firstMonth: trendMonths[0], months: TREND_MONTHS }),
		caller.kpi.scoring({ from: period.from, to: period.to }),
		caller.stations.technicianSummary(),
		caller.worklists.counts({ from: period.from, to: period.to }),
		caller.periods.closure({ from: period.from, to: period.to })
	]);
	const snapshot: StationScorecardSnapshot = {
		station: { code: user.stationCode, name: user.stationName, timeZone: user.timeZone },
		period,
		today,
		previousPeriod: previous,
		rows,
		ground,
		previousRows,
		stationRow,
		previousStationRow,
		trendMonths,
		stationTrend,
		worklists,
		scoring: closure
			? {
					kpiSettings: closure.settings.kpiSettings,
					minJobsForRanking: closure.settings.minJobsForRanking
				}
			: scoring,
		closure,
		technicians: technicians.map((technician) => ({
			...technician,
			lastCompletedAt: technician.lastCompletedAt?.toISOString() ?? null
		})),
		generatedAt: new Date().toISOString(),
		replicaLagSeconds: await serverReplicaLag()
	};
	return json(snapshot, { headers: { 'cache-control': 'private, no-store' } });
};
