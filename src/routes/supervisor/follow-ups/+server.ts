import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * The follow-up queue became the desk's worklist of calls; old bookmarks land there. An endpoint,
 * not a page: a page would add a route to the code every page loads, the phone's included.
 */
export const GET: RequestHandler = ({ url }) => redirect(308, `/desk/follow-ups${url.search}`);
