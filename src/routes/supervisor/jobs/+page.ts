import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { isSupervisor } from '$lib/shared/roles';
import { periodFromSearchParams, periodSearch } from '$lib/shared/time/periods';
import { zonedDay } from '$lib/shared/time/local-time';
import { loadSnapshot } from '$lib/client/scorecard/snapshot-load';
import { snapshotKey, type StationDrillDownSnapshot } from '$lib/shared/snapshots';
import type { PageLoad } from './$types';

/** Universal like the station scorecard's load, so a viewed period stays readable offline. */
export const load: PageLoad = async ({ url, fetch, parent }) => {
	const { user } = await parent();
	if (!user) redirect(303, '/login');
	if (!isSupervisor(user)) error(403, m.error_forbidden());
	const today = zonedDay(new Date(), user.timeZone);
	const { period, problem } = periodFromSearchParams(url.searchParams, today);
	const { data, offline, unavailable } = await loadSnapshot<StationDrillDownSnapshot>(
		fetch,
		`/supervisor/jobs.json?${periodSearch(period)}`,
		snapshotKey(user, 'station-jobs', period)
	);
	return { period, snapshot: data, offline, unavailable, problem, today };
};
