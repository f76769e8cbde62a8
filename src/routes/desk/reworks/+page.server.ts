import { zonedDay } from '$lib/shared/time/local-time';
import { periodFromSearchParams } from '$lib/shared/time/periods';
import { serverCaller } from '$lib/server/trpc/caller';
import { requireDeskPage } from '../../access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireDeskPage(event.locals);
	// Bad period input shows the current month and says why (the review pages' PeriodBar).
	const { period, problem } = periodFromSearchParams(
		event.url.searchParams,
		zonedDay(new Date(), user.timeZone)
	);
	const caller = await serverCaller(event);
	return {
		timeZone: user.timeZone,
		period,
		problem,
		list: await caller.worklists.reworks({ period: { from: period.from, to: period.to } })
	};
};
