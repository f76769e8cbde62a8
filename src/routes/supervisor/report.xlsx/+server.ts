import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { monthlyReportXlsx } from '$lib/server/review/monthly-report-xlsx';
import { reportFileName } from '$lib/shared/monthly-report';
import { supervisorOfRequest } from '../scorecard-request.server';
import { attachment, monthOfRequest, readMonthlyReport } from '../report/report-request.server';
import type { RequestHandler } from './$types';

/** The monthly report of `?month=YYYY-MM` as an Excel workbook (docs/monthly-report.md). */
export const GET: RequestHandler = async (event) => {
	const user = supervisorOfRequest(event.locals);
	const { month, invalid } = monthOfRequest(event.url, user);
	if (invalid !== null) error(400, m.rp_invalid_month({ value: invalid }));
	const report = await readMonthlyReport(event, month);
	const workbook = await monthlyReportXlsx(report, getLocale());
	return new Response(new Uint8Array(workbook), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': attachment(`${reportFileName(report)}.xlsx`),
			'cache-control': 'private, no-store'
		}
	});
};
