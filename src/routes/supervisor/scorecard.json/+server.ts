import { json } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { previousPeriod } from '$lib/shared/time/periods';
import type { StationScorecardSnapshot } from '$lib/shared/snapshots';
import { periodOfRequest, supervisorOfRequest } from '../scorecard-request.server';
import type { RequestHandler } from './$types';

/** The station scorecard of a period with the previous period's, for the page and its offline copy. */
export const GET: RequestHandler = async (event) => {
	const user = supervisorOfRequest(event.locals);
	const period = periodOfRequest(event.url, user);
	const previous = previousPeriod(period);
	const caller = await serverCaller(event);
	const [rows, previousRows, scoring, technicians] = await Promise.all([
		caller.kpi.scorecard({ from: period.from, to: period.to }),
		caller.kpi.scorecard({ from: previous.from, to: previous.to }),
		caller.kpi.scoring(),
		caller.stations.technicianSummary()
	]);
	const snapshot: StationScorecardSnapshot = {
		station: { code: user.stationCode, name: user.stationName, timeZone: user.timeZone },
		period,
		previousPeriod: previous,
		rows,
		previousRows,
		scoring,
		technicians: technicians.map((technician) => ({
			...technician,
			lastCompletedAt: technician.lastCompletedAt?.toISOString() ?? null
		})),
		generatedAt: new Date().toISOString()
	};
	return json(snapshot, { headers: { 'cache-control': 'private, no-store' } });
};
