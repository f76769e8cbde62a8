import { loadReviewPage } from '$lib/client/scorecard/review-page-load';
import type { AlertsView } from './view.server';
import type { PageLoad } from './$types';

export const load: PageLoad = (event) => loadReviewPage<AlertsView>('alerts', event);
