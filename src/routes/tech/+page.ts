/**
 * The technician app. Its screens are read from the device store (IndexedDB), never from a
 * server load, so the page works offline; who is signed in comes from the root layout (offline,
 * the person remembered on this device).
 */
import { redirect } from '@sveltejs/kit';
import { homePathFor } from '$lib/shared/home-path';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
	const { user } = await parent();
	// Supervisors and admins have their own start page (the server knows; offline it may not).
	if (user && user.role !== 'technician') redirect(303, homePathFor(user.role));
	return {};
};
