import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { periodFromSearchParams, periodSearch } from '$lib/shared/time/periods';
import { zonedDay } from '$lib/shared/time/local-time';
import { loadKeptPage, loadSnapshot } from './snapshot-load';
import { snapshotKey } from '$lib/shared/snapshots';

interface ReviewPageEvent {
	url: URL;
	fetch: typeof globalThis.fetch;
	parent(): Promise<{
		user: { role: string; timeZone: string; stationCode: string; login: string } | null;
	}>;
}

/** The signed-in supervisor and the period the address names (or why it names none). */
async function supervisorPeriod({ url, parent }: ReviewPageEvent) {
	const { user } = await parent();
	if (!user) redirect(303, '/login');
	if (user.role !== 'supervisor') error(403, m.error_forbidden());
	const today = zonedDay(new Date(), user.timeZone);
	return { user, today, ...periodFromSearchParams(url.searchParams, today) };
}

/**
 * The load of a supervisor's scorecard page for a period (the station home, a technician, the
 * station's jobs): its snapshot from `endpoint`, kept on the device under `page` and read from
 * there, "as of", when the server cannot be reached. A universal load (docs/pwa.md): no server
 * load may sit in such a page's chain, SvelteKit would fetch it first and offline that fails.
 * The endpoint checks the role again; this check only spares anyone else the round trip.
 */
export async function loadScorecardPage<Snapshot>(
	event: ReviewPageEvent,
	endpoint: string,
	page: string
) {
	const { user, today, period, problem } = await supervisorPeriod(event);
	const { data, offline, unavailable } = await loadSnapshot<Snapshot>(
		event.fetch,
		`${endpoint}?${periodSearch(period)}`,
		snapshotKey(user, page, period)
	);
	return { period, snapshot: data, offline, unavailable, problem, today };
}

/**
 * The load of a supervisor's review page for a period (alerts, data quality). Universal like the
 * scorecard's load (docs/pwa.md): a period seen online is kept on the device and shown from that
 * copy, marked "as of", when the server cannot be reached. The page's data.json checks the role
 * again; this check only spares anyone but a supervisor the round trip.
 */
export async function loadReviewPage<View>(area: 'alerts' | 'quality', event: ReviewPageEvent) {
	const { user, period, problem } = await supervisorPeriod(event);
	const kept = await loadKeptPage<View>(
		event.fetch,
		`/supervisor/${area}/data.json?${periodSearch(period)}`,
		snapshotKey(user, area, period),
		{ noCopy: m.off_page_no_copy, unavailable: m.off_page_unavailable }
	);
	return { ...kept, period, problem, timeZone: user.timeZone };
}
