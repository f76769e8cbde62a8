/**
 * One station of the region, read only: its own scorecard of the period, exactly as its
 * supervisor reads it (kpi/region.ts regionStationScorecard; a station outside the region is
 * not found), and its technicians' ids, by which a row opens the jobs behind its numbers.
 */
import { error } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { periodFromSearchParams } from '$lib/shared/time/periods';
import { zonedDay } from '$lib/shared/time/local-time';
import { requireRegionPage } from '../../access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRegionPage(event.locals);
	const today = zonedDay(new Date(), user.timeZone);
	const { period, problem } = periodFromSearchParams(event.url.searchParams, today);
	const caller = await serverCaller(event);
	try {
		const stationId = event.params.stationId;
		const [scorecard, technicians] = await Promise.all([
			caller.region.stationScorecard({ stationId, from: period.from, to: period.to }),
			caller.region.stationTechnicians({ stationId })
		]);
		// A scorecard row names its technician by login, unique in the station.
		const technicianIds = Object.fromEntries(technicians.map(({ id, login }) => [login, id]));
		return { period, problem, today, ...scorecard, technicianIds };
	} catch (caught) {
		const { status, message } = formRefusal(caught);
		error(status, message);
	}
};
