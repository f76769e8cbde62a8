/** Someone already signed in (or, offline, remembered on this device) goes to their start page. */
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
	const { user } = await parent();
	if (user) redirect(303, '/');
};
