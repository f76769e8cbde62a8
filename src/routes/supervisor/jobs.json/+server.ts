import { json } from '@sveltejs/kit';
import { serverReplicaLag } from '$lib/server/db/server-db';
import { serverCaller } from '$lib/server/trpc/caller';
import type { StationDrillDownSnapshot } from '$lib/shared/snapshots';
import { periodOfRequest, supervisorOfRequest } from '../scorecard-request.server';
import type { RequestHandler } from './$types';

/** The jobs behind the station's own figures of a period (kpi/station-drill-down.ts). */
export const GET: RequestHandler = async (event) => {
	const user = supervisorOfRequest(event.locals);
	const period = periodOfRequest(event.url, user);
	const caller = await serverCaller(event);
	const drillDown = await caller.kpi.stationDrillDown({ from: period.from, to: period.to });
	const snapshot: StationDrillDownSnapshot = {
		station: { code: user.stationCode, name: user.stationName, timeZone: user.timeZone },
		period,
		...drillDown,
		generatedAt: new Date().toISOString(),
		replicaLagSeconds: await serverReplicaLag()
	};
	return json(snapshot, { headers: { 'cache-control': 'private, no-store' } });
};
