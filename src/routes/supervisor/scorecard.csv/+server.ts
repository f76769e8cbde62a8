import { serverCaller } from '$lib/server/trpc/caller';
import { scorecardToCsv } from '$lib/server/interchange/scorecard-output';
import { periodKey } from '$lib/shared/time/periods';
import { periodOfRequest, supervisorOfRequest } from '../scorecard-request.server';
import type { RequestHandler } from './$types';

/**
 * The station scorecard of the requested period as the same CSV as `npm run kpi --format csv`,
 * with a UTF-8 BOM so Excel reads the Chinese names correctly.
 */
export const GET: RequestHandler = async (event) => {
	const user = supervisorOfRequest(event.locals);
	const period = periodOfRequest(event.url, user);
	const caller = await serverCaller(event);
	const rows = await caller.kpi.scorecard({ from: period.from, to: period.to });
	const name = periodKey(period) ?? `${period.from}_${period.to}`;
	return new Response(scorecardToCsv(rows, { bom: true }), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="scorecard-${user.stationCode}-${name}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
