import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { keptPageResponse } from '$lib/server/kept-page';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { boardFiltersFromSearch } from '$lib/shared/board';
import type { RequestHandler } from './$types';

/**
 * The board's data, for its load in the browser to keep (lib/server/kept-page.ts). An answer to
 * fetch(): a missing session is a 401 and a refusal its status, not a redirect to HTML.
 */
export const GET: RequestHandler = async (event) => {
	if (!event.locals.user) error(401, m.srv_sign_in_first());
	const caller = await serverCaller(event);
	try {
		return keptPageResponse(
			await caller.board.openJobs(boardFiltersFromSearch(event.url.searchParams))
		);
	} catch (caught) {
		const refused = formRefusal(caught);
		error(refused.status, refused.message);
	}
};
