/**
 * Who is signed in, for every page. Universal, not a server load: SvelteKit fetches a route's
 * server data before it renders anything, so one server load here would make every page fail
 * offline, including in the service worker's app shell (docs/pwa.md). Offline, the person who
 * last used the app on this browser is assumed (lib/client/session.ts); the server still checks
 * every request, so this decides only what the browser shows from what it already holds.
 */
import { redirect } from '@sveltejs/kit';
import { loadSession } from '$lib/client/session';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ fetch, route, untrack }) => {
	const { user, offline } = await loadSession(fetch);
	// Read without tracking: the signed-in person does not change with the route, so client-side
	// navigations do not ask the server again.
	const routeId = untrack(() => route.id);
	// Pages check access in their own loads too; this covers any page without a load of its own.
	if (!user && routeId !== '/login') redirect(303, '/login');
	return {
		user: user && {
			name: user.name,
			login: user.login,
			role: user.role,
			stationName: user.stationName,
			stationCode: user.stationCode,
			timeZone: user.timeZone
		},
		/** The server could not be reached when the app started: `user` is the remembered one. */
		offline
	};
};
