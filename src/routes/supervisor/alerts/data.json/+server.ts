import { keptPageResponse } from '$lib/server/kept-page';
import { readAlertsView } from '../view.server';
import type { RequestHandler } from './$types';

/** The page's data, for its load in the browser to keep (lib/server/kept-page.ts). */
export const GET: RequestHandler = async (event) => keptPageResponse(await readAlertsView(event));
