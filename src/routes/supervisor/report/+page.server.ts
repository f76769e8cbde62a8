/**
 * /supervisor/report?month=YYYY-MM: the monthly report to print (issue 13 item 6). Read from the
 * server each time (no copy kept for offline: printing and the downloads need the server).
 */
import { requireSupervisorPage } from '../../access';
import { monthOfRequest, readMonthlyReport } from './report-request.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireSupervisorPage(event.locals);
	const { month, invalid } = monthOfRequest(event.url, user);
	return { report: await readMonthlyReport(event, month), invalidMonth: invalid };
};
