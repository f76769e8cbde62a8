import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { periodFromSearchParams, periodSearch } from '$lib/shared/time/periods';
import { zonedDay } from '$lib/shared/time/local-time';
import { loadKeptPage } from './snapshot-load';
import { snapshotKey } from '$lib/shared/snapshots';

interface ReviewPageEvent {
	url: URL;
	fetch: typeof globalThis.fetch;
	parent(): Promise<{
		user: { role: string; timeZone: string; stationCode: string; login: string } | null;
	}>;
}

/**
 * The load of a supervisor's review page for a period (alerts, data quality). Universal like the
 * scorecard's load (docs/pwa.md): a period seen online is kept on the device and shown from that
 * copy, marked "as of", when the server cannot be reached. The page's data.json checks the role
 * again; this check only spares anyone but a supervisor the round trip.
 */
export async function loadReviewPage<View>(
	area: 'alerts' | 'quality',
	{ url, fetch, parent }: ReviewPageEvent
) {
	const { user } = await parent();
	if (!user) redirect(303, '/login');
	if (user.role !== 'supervisor') error(403, m.error_forbidden());
	const today = zonedDay(new Date(), user.timeZone);
	const { period, problem } = periodFromSearchParams(url.searchParams, today);
	const kept = await loadKeptPage<View>(
		fetch,
		`/supervisor/${area}/data.json?${periodSearch(period)}`,
		snapshotKey(user, area, period),
		{ noCopy: m.off_page_no_copy, unavailable: m.off_page_unavailable }
	);
	return { ...kept, period, problem, timeZone: user.timeZone };
}
