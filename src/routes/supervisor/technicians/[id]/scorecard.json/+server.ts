import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { serverReplicaLag } from '$lib/server/db/server-db';
import { serverCaller } from '$lib/server/trpc/caller';
import { addDays, comparedPeriod, monthsEnding } from '$lib/shared/time/periods';
import { zonedDay } from '$lib/shared/time/local-time';
import type { TechnicianScorecardSnapshot } from '$lib/shared/snapshots';
import { periodOfRequest, supervisorOfRequest } from '../../../scorecard-request.server';
import type { RequestHandler } from './$types';

const TREND_MONTHS = 12;

/**
 * One technician's scorecard: the row of the period and the previous one (ranked among the
 * whole station), what the row's numbers rest on (samples, the score's breakdown), the monthly
 * trend of the 12 months ending with the period, and the jobs of the period with the facts
 * behind each number; a closed month's row, trend point and settings as they were closed, with
 * its closure.
 */
export const GET: RequestHandler = async (event) => {
	const user = supervisorOfRequest(event.locals);
	const period = periodOfRequest(event.url, user);
	// A running period is compared with as many days of the one before ("so far").
	const today = zonedDay(new Date(), user.timeZone);
	const previous = comparedPeriod(period, today);
	const caller = await serverCaller(event);
	const technician = (await caller.stations.technicianSummary()).find(
		(candidate) => candidate.id === event.params.id
	);
	if (!technician) error(404, m.srv_no_such_technician());
	const months = monthsEnding(addDays(period.to, -1), TREND_MONTHS).map((first) =>
		first.slice(0, 7)
	);
	const [{ rows, ground }, previousRows, scoring, trend, jobs, closure] = await Promise.all([
		caller.kpi.scorecardWithGround({ from: period.from, to: period.to }),
		caller.kpi.scorecard({ from: previous.from, to: previous.to }),
		caller.kpi.scoring({ from: period.from, to: period.to }),
		caller.kpi.trends({ firstMonth: months[0], months: TREND_MONTHS }),
		caller.kpi.drillDown({ from: period.from, to: period.to, technicianId: technician.id }),
		caller.periods.closure({ from: period.from, to: period.to })
	]);
	const ownRow = (candidates: typeof rows) =>
		candidates.find((row) => row.login === technician.login) ?? null;
	const snapshot: TechnicianScorecardSnapshot = {
		station: { code: user.stationCode, name: user.stationName, timeZone: user.timeZone },
		technician: {
			id: technician.id,
			login: technician.login,
			name: technician.name,
			active: technician.active
		},
		period,
		today,
		previousPeriod: previous,
		row: ownRow(rows),
		ground: ground.find((row) => row.login === technician.login) ?? null,
		previousRow: ownRow(previousRows),
		rankedCount: rows.filter((row) => row.rank !== null).length,
		scoring: closure
			? {
					kpiSettings: closure.settings.kpiSettings,
					minJobsForRanking: closure.settings.minJobsForRanking
				}
			: scoring,
		months,
		trend: trend.filter((row) => row.login === technician.login),
		jobs,
		closure,
		generatedAt: new Date().toISOString(),
		replicaLagSeconds: await serverReplicaLag()
	};
	return json(snapshot, { headers: { 'cache-control': 'private, no-store' } });
};
