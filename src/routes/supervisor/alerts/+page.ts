import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { localDateIn, periodFromSearchParams, periodSearch } from '$lib/client/scorecard/period';
import { loadKeptPage } from '$lib/client/scorecard/snapshot-load';
import { snapshotKey } from '$lib/client/scorecard/snapshots';
import type { AlertsView } from './view.server';
import type { PageLoad } from './$types';

/**
 * Universal like the scorecard's load (docs/pwa.md): a period seen online is kept on the device
 * and shown from that copy, marked "as of", when the server cannot be reached. data.json checks
 * the role again; this check only spares anyone but a supervisor the round trip.
 */
export const load: PageLoad = async ({ url, fetch, parent }) => {
	const { user } = await parent();
	if (!user) redirect(303, '/login');
	if (user.role !== 'supervisor') error(403, m.error_forbidden());
	const today = localDateIn(user.timeZone, new Date());
	const { period, problem } = periodFromSearchParams(url.searchParams, today);
	const kept = await loadKeptPage<AlertsView>(
		fetch,
		`/supervisor/alerts/data.json?${periodSearch(period)}`,
		snapshotKey(user, 'alerts', period),
		{ noCopy: m.off_page_no_copy, unavailable: m.off_page_unavailable }
	);
	return { ...kept, period, problem, timeZone: user.timeZone };
};
