import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The follow-up queue became the desk's worklist of calls; old bookmarks land there. */
export const load: PageServerLoad = ({ url }) => {
	redirect(308, `/desk/follow-ups${url.search}`);
};
