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

export const load: LayoutLoad = async ({ fetch, route }) => {
	// Read first, always: it makes every move to another page ask again (the technician's
	// screens are one page), so a session that ended meanwhile (expired, signed out elsewhere)
	// shows there, and the sign-in page never greets the person signed in before.
	const routeId = route.id;
	const { user, offline } = await loadSession(fetch);
	// Pages check access in their own loads too; this covers any page without a load of its own.
	// The customer survey is public (docs/survey.md): its page checks the token itself.
	if (!user && routeId !== '/login' && routeId !== '/s/[token]') redirect(303, '/login');
	return {
		user: user && {
			name: user.name,
			login: user.login,
			role: user.role,
			stationName: user.stationName,
			stationCode: user.stationCode,
			timeZone: user.timeZone,
			recordPositions: user.recordPositions,
			completionRequiresSignature: user.completionRequiresSignature
		},
		/** The server could not be reached when the app started: `user` is the remembered one. */
		offline
	};
};
