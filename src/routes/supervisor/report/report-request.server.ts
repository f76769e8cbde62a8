/**
 * What the report page and its downloads share: supervisors only (the service checks again),
 * the month a request names (`?month=YYYY-MM`, else the station's current month), the report.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { REPORT_MONTH } from '$lib/shared/monthly-report';
import { zonedDay } from '$lib/shared/time/local-time';
import type { SessionUser } from '$lib/server/auth/session-user';

interface MonthChoice {
	month: string;
	/** The value of `?month=` when it names no month: the current month is used instead. */
	invalid: string | null;
}

export function monthOfRequest(url: URL, user: SessionUser): MonthChoice {
	const current = zonedDay(new Date(), user.timeZone).slice(0, 7);
	const asked = url.searchParams.get('month');
	if (asked === null) return { month: current, invalid: null };
	const month = asked.trim();
	return REPORT_MONTH.test(month) ? { month, invalid: null } : { month: current, invalid: asked };
}

export async function readMonthlyReport(event: RequestEvent, month: string) {
	const caller = await serverCaller(event);
	return caller.review.monthlyReport({ month });
}

/** An attachment's Content-Disposition: an ASCII name, and the exact one for browsers that read it. */
export function attachment(fileName: string): string {
	const ascii = fileName.replace(/[^\w.-]/g, '_');
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
