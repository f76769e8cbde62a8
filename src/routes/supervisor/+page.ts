import { loadScorecardPage } from '$lib/client/scorecard/review-page-load';
import type { StationScorecardSnapshot } from '$lib/shared/snapshots';
import type { PageLoad } from './$types';

/**
 * The station home: the station's figures, who needs attention, the worklists, the scorecard.
 * Kept on the device as 'home': copies kept before the home hold no station figures and are
 * not read.
 */
export const load: PageLoad = (event) =>
	loadScorecardPage<StationScorecardSnapshot>(event, '/supervisor/scorecard.json', 'home');
