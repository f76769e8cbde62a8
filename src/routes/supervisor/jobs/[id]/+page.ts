/**
 * Universal like the scorecards' loads (docs/pwa.md): in the browser a job seen online is kept
 * on the device and shown from that copy, marked "as of", when the server cannot be reached.
 * job.json checks the role and the job's station again; this check spares a technician the trip.
 */
import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { loadKeptPage } from '$lib/client/scorecard/snapshot-load';
import type { JobView } from './job-view.server';
import { readsStationJobs } from '$lib/shared/roles';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, fetch, parent }) => {
	const { user } = await parent();
	if (!user) redirect(303, '/login');
	if (!readsStationJobs(user)) error(403, m.error_forbidden());
	return loadKeptPage<JobView>(
		fetch,
		`/supervisor/jobs/${encodeURIComponent(params.id)}/job.json`,
		[user.stationCode, user.login, 'job', params.id].join('/'),
		{ noCopy: m.off_job_no_copy, unavailable: m.off_job_unavailable }
	);
};
