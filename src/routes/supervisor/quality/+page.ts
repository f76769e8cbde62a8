import { loadReviewPage } from '$lib/client/scorecard/review-page-load';
import type { QualityView } from './view.server';
import type { PageLoad } from './$types';

export const load: PageLoad = (event) => loadReviewPage<QualityView>('quality', event);
