/**
 * One technician of a station of the region, read only: the supervisor's technician page (its
 * numbers, trend and the jobs behind each number) for the region manager, through the region's
 * API as the signed-in user (kpi/region-drill-down.ts: outside the region, NOT_FOUND).
 */
import { error } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { periodFromSearchParams } from '$lib/shared/time/periods';
import { zonedDay } from '$lib/shared/time/local-time';
import type { TechnicianScorecardSnapshot } from '$lib/shared/snapshots';
import { requireRegionPage } from '../../../../access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRegionPage(event.locals);
	// The period as the region's pages read it, so the station's page and this one agree.
	const { period, problem } = periodFromSearchParams(
		event.url.searchParams,
		zonedDay(new Date(), user.timeZone)
	);
	const caller = await serverCaller(event);
	try {
		const report = await caller.region.technicianReport({
			stationId: event.params.stationId,
			technicianId: event.params.technicianId,
			from: period.from,
			to: period.to
		});
		const snapshot: TechnicianScorecardSnapshot = {
			...report,
			period,
			generatedAt: new Date().toISOString()
		};
		return { period, problem, snapshot, station: report.station };
	} catch (caught) {
		const { status, message } = formRefusal(caught);
		error(status, message);
	}
};
