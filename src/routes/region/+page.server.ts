/**
 * The region: the manager's stations side by side for a period (kpi/region.ts through the tRPC
 * API as the signed-in user, so the service checks the role and the region).
 */
import { error } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { periodFromSearchParams } from '$lib/shared/time/periods';
import { zonedDay } from '$lib/shared/time/local-time';
import { requireRegionPage } from '../access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRegionPage(event.locals);
	const today = zonedDay(new Date(), user.timeZone);
	const { period, problem } = periodFromSearchParams(event.url.searchParams, today);
	const caller = await serverCaller(event);
	try {
		const comparison = await caller.region.comparison({ from: period.from, to: period.to });
		return { period, problem, today, comparison };
	} catch (caught) {
		const { status, message } = formRefusal(caught);
		error(status, message);
	}
};
