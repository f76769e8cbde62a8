/**
 * The technician app. Its screens are read from the device store (IndexedDB), never from a
 * server load, so the page works offline; who is signed in comes from the root layout (offline,
 * the person remembered on this device).
 */
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
	const { user } = await parent();
	// Everyone else has a start page of their own, which `/` picks (routes/+page.ts): the
	// technician's phone need not carry the map of every role's pages.
	if (user && user.role !== 'technician') redirect(303, '/');
	return {};
};
