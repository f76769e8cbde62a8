/**
 * /desk, the open-jobs board: the desk's start page, also the supervisors'. Universal like the
 * scorecards' loads (docs/pwa.md): the board seen online is kept on the device per filter and
 * shown from that copy, marked "as of", when the server cannot be reached. The page polls by
 * invalidating BOARD_DEPENDENCY (lib/client/board/poll.ts). data.json checks the role again
 * (the service does too); this check spares anyone else the round trip.
 */
import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { loadKeptPage } from '$lib/client/scorecard/snapshot-load';
import { worksTheDesk } from '$lib/shared/roles';
import { boardFiltersFromSearch, boardSearch, type OpenJobsBoard } from '$lib/shared/board';
import { BOARD_DEPENDENCY } from '$lib/client/board/poll';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, fetch, parent, depends }) => {
	depends(BOARD_DEPENDENCY);
	const { user } = await parent();
	if (!user) redirect(303, '/login');
	if (!worksTheDesk(user)) error(403, m.error_forbidden());
	const search = boardSearch(boardFiltersFromSearch(url.searchParams));
	const kept = await loadKeptPage<OpenJobsBoard>(
		fetch,
		`/desk/data.json?${search}`,
		[user.stationCode, user.login, 'desk-board', search].join('/'),
		{ noCopy: m.board_offline_no_copy, unavailable: m.board_unavailable }
	);
	return { ...kept, timeZone: user.timeZone };
};
