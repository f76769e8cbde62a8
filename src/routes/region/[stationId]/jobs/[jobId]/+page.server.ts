/**
 * One job of a station of the region, read only: the supervisor's job page without its
 * decisions (kpi/region-drill-down.ts regionJob: a job of a station outside the region is
 * NOT_FOUND, like a missing one).
 */
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { requireRegionPage } from '../../../../access';
import type { JobView } from '../../../../supervisor/jobs/[id]/job-view.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRegionPage(event.locals);
	const caller = await serverCaller(event);
	try {
		const { station, detail, history, signature } = await caller.region.job({
			stationId: event.params.stationId,
			jobId: event.params.jobId
		});
		// The supervisor's page's view with every decision left out.
		const view: JobView = {
			timeZone: station.timeZone,
			mayDispatch: false,
			mayVerify: false,
			reassignsCompleted: false,
			readsScorecards: true,
			detail,
			history,
			technicians: [],
			acceptedFlags: [],
			positions: [],
			signature
		};
		return { station, view };
	} catch (caught) {
		const { status, code, message } = formRefusal(caught);
		// An id that is not a job id is a job that does not exist, as on the supervisor's page.
		if (code === 'NOT_FOUND' || code === 'BAD_REQUEST') error(404, m.jb_not_found());
		error(status, message);
	}
};
