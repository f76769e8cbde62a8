/**
 * The jobs behind a station of the region's own figures, read only: the supervisor's station
 * drill-down (kpi/station-drill-down.ts) through the region's API as the signed-in user
 * (kpi/region-drill-down.ts: outside the region, NOT_FOUND).
 */
import { error } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { periodFromSearchParams } from '$lib/shared/time/periods';
import { zonedDay } from '$lib/shared/time/local-time';
import { requireRegionPage } from '../../../access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRegionPage(event.locals);
	const today = zonedDay(new Date(), user.timeZone);
	const { period, problem } = periodFromSearchParams(event.url.searchParams, today);
	const caller = await serverCaller(event);
	try {
		const drillDown = await caller.region.stationDrillDown({
			stationId: event.params.stationId,
			from: period.from,
			to: period.to
		});
		return { period, problem, today, ...drillDown };
	} catch (caught) {
		const { status, message } = formRefusal(caught);
		error(status, message);
	}
};
