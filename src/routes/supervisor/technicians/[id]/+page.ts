import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { localDateIn, periodFromSearchParams, periodSearch } from '$lib/client/scorecard/period';
import { loadSnapshot } from '$lib/client/scorecard/snapshot-load';
import { snapshotKey, type TechnicianScorecardSnapshot } from '$lib/client/scorecard/snapshots';
import type { PageLoad } from './$types';

/** Universal like the station scorecard's load, so a viewed technician stays readable offline. */
export const load: PageLoad = async ({ url, params, fetch, parent }) => {
	const { user } = await parent();
	if (!user) redirect(303, '/login');
	if (user.role !== 'supervisor') error(403, m.error_forbidden());
	const today = localDateIn(user.timeZone, new Date());
	const { period, problem } = periodFromSearchParams(url.searchParams, today);
	const { data, offline, unavailable } = await loadSnapshot<TechnicianScorecardSnapshot>(
		fetch,
		`/supervisor/technicians/${encodeURIComponent(params.id)}/scorecard.json?${periodSearch(period)}`,
		snapshotKey(user, `technician/${params.id}`, period)
	);
	return { period, snapshot: data, offline, unavailable, problem, today };
};
