/**
 * The technician app. Its screens are read from the device store (IndexedDB), never from a
 * server load, so the page works offline; the only server data it uses is the root layout's
 * signed-in user, which is absent in the service worker's offline shell.
 */
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
	const { user } = await parent();
	// Supervisors and admins have their own start page (the server knows; offline it may not).
	if (user && user.role !== 'technician') redirect(303, '/supervisor');
	return {};
};
