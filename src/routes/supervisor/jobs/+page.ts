import { loadScorecardPage } from '$lib/client/scorecard/review-page-load';
import type { StationDrillDownSnapshot } from '$lib/shared/snapshots';
import type { PageLoad } from './$types';

/** The jobs behind the station's own figures, readable offline like the home. */
export const load: PageLoad = (event) =>
	loadScorecardPage<StationDrillDownSnapshot>(event, '/supervisor/jobs.json', 'station-jobs');
