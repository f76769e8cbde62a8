/**
 * The start URL (the manifest's `start_url`): each person's own start page. Universal so that it
 * also works offline, from the person the root layout remembered; "back to home" on the error
 * page leads here and so never back into the error.
 */
import { redirect } from '@sveltejs/kit';
import { homePathFor } from '$lib/shared/home-path';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
	const { user } = await parent();
	if (!user) redirect(303, '/login');
	redirect(303, homePathFor(user.role));
};
