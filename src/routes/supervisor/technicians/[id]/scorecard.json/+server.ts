import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { serverReplicaLag } from '$lib/server/db/server-db';
import { serverCaller } from '$lib/server/trpc/caller';
import type { TechnicianScorecardSnapshot } from '$lib/shared/snapshots';
import { periodOfRequest, supervisorOfRequest } from '../../../scorecard-request.server';
import type { RequestHandler } from './$types';

/**
 * One technician's scorecard (kpi/technician-report.ts): the row of the period and the previous
 * one (ranked among the whole station), what the row's numbers rest on, the monthly trend of the
 * 12 months ending with the period, and the jobs of the period with the facts behind each
 * number; a closed month's row, trend point and settings as they were closed, with its closure.
 */
export const GET: RequestHandler = async (event) => {
	const user = supervisorOfRequest(event.locals);
	const period = periodOfRequest(event.url, user);
	const caller = await serverCaller(event);
	const report = await caller.kpi.technicianReport({
		technicianId: event.params.id,
		from: period.from,
		to: period.to
	});
	if (!report) error(404, m.srv_no_such_technician());
	const snapshot: TechnicianScorecardSnapshot = {
		station: { code: user.stationCode, name: user.stationName, timeZone: user.timeZone },
		...report,
		period,
		generatedAt: new Date().toISOString(),
		replicaLagSeconds: await serverReplicaLag()
	};
	return json(snapshot, { headers: { 'cache-control': 'private, no-store' } });
};
