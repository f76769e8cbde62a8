import { serverCaller } from '$lib/server/trpc/caller';
import { scorecardToCsv } from '$lib/server/interchange/scorecard-output';
import { periodKey } from '$lib/shared/time/periods';
import { periodOfRequest, supervisorOfRequest } from '../scorecard-request.server';
import type { RequestHandler } from './$types';

/**
 * The station scorecard of the requested period as the same CSV as `npm run kpi --format csv`,
 * with a UTF-8 BOM so Excel reads the Chinese names correctly. A closed month's is the one
 * stored at closing; `live=1` asks for its numbers as the jobs are now, to compare.
 */
export const GET: RequestHandler = async (event) => {
	const user = supervisorOfRequest(event.locals);
	const period = periodOfRequest(event.url, user);
	const caller = await serverCaller(event);
	const live = event.url.searchParams.get('live') === '1';
	const range = { from: period.from, to: period.to };
	const rows = live ? await caller.periods.liveScorecard(range) : await caller.kpi.scorecard(range);
	const name = `${periodKey(period) ?? `${period.from}_${period.to}`}${live ? '-live' : ''}`;
	return new Response(scorecardToCsv(rows, { bom: true }), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="scorecard-${user.stationCode}-${name}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
