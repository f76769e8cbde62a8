/**
 * Someone the server says is signed in goes to their start page. Offline the server cannot say:
 * the page stays, and tells them that signing in needs the network (the start URL, `/`, is what
 * opens the remembered person's app offline).
 */
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
	const { user, offline } = await parent();
	if (user && !offline) redirect(303, '/');
};
