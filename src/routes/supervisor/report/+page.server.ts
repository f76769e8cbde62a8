/**
 * /supervisor/report?month=YYYY-MM: the monthly report to print (issue 13 item 6). Read from the
 * server each time (no copy kept for offline: printing and the downloads need the server).
 */
import { serverReplicaLag } from '$lib/server/db/server-db';
import { requireSupervisorPage } from '../../access';
import { monthOfRequest, readMonthlyReport } from './report-request.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireSupervisorPage(event.locals);
	const { month, invalid } = monthOfRequest(event.url, user);
	const report = await readMonthlyReport(event, month);
	return { report, invalidMonth: invalid, replicaLagSeconds: await serverReplicaLag() };
};
