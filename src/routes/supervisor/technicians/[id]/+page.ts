import { loadScorecardPage } from '$lib/client/scorecard/review-page-load';
import type { TechnicianScorecardSnapshot } from '$lib/shared/snapshots';
import type { PageLoad } from './$types';

/** One technician's scorecard, readable offline like the station home. */
export const load: PageLoad = (event) =>
	loadScorecardPage<TechnicianScorecardSnapshot>(
		event,
		`/supervisor/technicians/${encodeURIComponent(event.params.id)}/scorecard.json`,
		`technician/${event.params.id}`
	);
