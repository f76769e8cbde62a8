import { serverCaller } from '$lib/server/trpc/caller';
import { localDateIn, periodFromSearchParams } from '$lib/client/scorecard/period';
import { requireSupervisor } from '../../access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireSupervisor(event.locals);
	const today = localDateIn(user.timeZone, new Date());
	const { period, problem } = periodFromSearchParams(event.url.searchParams, today);
	const caller = await serverCaller(event);
	return {
		period,
		problem,
		timeZone: user.timeZone,
		report: await caller.review.dataQuality({ from: period.from, to: period.to })
	};
};
