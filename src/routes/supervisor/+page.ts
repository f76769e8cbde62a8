import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { isSupervisor } from '$lib/shared/roles';
import { periodFromSearchParams, periodSearch } from '$lib/shared/time/periods';
import { zonedDay } from '$lib/shared/time/local-time';
import { loadSnapshot } from '$lib/client/scorecard/snapshot-load';
import { snapshotKey, type StationScorecardSnapshot } from '$lib/shared/snapshots';
import type { PageLoad } from './$types';

/**
 * The station home: the station's figures, who needs attention, the worklists, the scorecard.
 * A universal load, so that in the browser a failed fetch (offline) can fall back to the copy
 * of this period kept on the device. No server load may sit in this page's chain: SvelteKit
 * would fetch its data before this load runs, and offline that fetch fails (docs/pwa.md). The
 * JSON endpoints check the role again; this check only spares anyone but a supervisor the round trip.
 */
export const load: PageLoad = async ({ url, fetch, parent }) => {
	const { user } = await parent();
	if (!user) redirect(303, '/login');
	if (!isSupervisor(user)) error(403, m.error_forbidden());
	const today = zonedDay(new Date(), user.timeZone);
	const { period, problem } = periodFromSearchParams(url.searchParams, today);
	const { data, offline, unavailable } = await loadSnapshot<StationScorecardSnapshot>(
		fetch,
		`/supervisor/scorecard.json?${periodSearch(period)}`,
		// 'home': copies kept before the home hold no station figures and are not read.
		snapshotKey(user, 'home', period)
	);
	return { period, snapshot: data, offline, unavailable, problem, today };
};
