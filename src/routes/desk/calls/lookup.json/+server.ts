/**
 * The call form's lookup as the desk types a phone number or serial: the station's earlier
 * jobs with that prefix (jobs.lookupEarlier). An answer to fetch(), so a missing session is a
 * 401 and a refused role a 403, not a redirect to a page.
 */
import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { worksTheDesk } from '$lib/shared/roles';
import { serverCaller } from '$lib/server/trpc/caller';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	if (!event.locals.user) error(401, m.srv_sign_in_first());
	if (!worksTheDesk(event.locals.user)) error(403, m.wl_desk_page_only());
	const { searchParams } = event.url;
	const caller = await serverCaller(event);
	// Cut to the fields' own lengths (shared/schemas.ts): a longer prefix matches nothing anyway.
	const jobs = await caller.jobs.lookupEarlier({
		phone: searchParams.get('phone')?.slice(0, 40),
		serial: searchParams.get('serial')?.slice(0, 100)
	});
	return json(jobs, { headers: { 'cache-control': 'no-store' } });
};
