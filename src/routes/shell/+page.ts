/**
 * The app shell: what the service worker answers a navigation with when the network cannot
 * (docs/pwa.md). Without SSR the server renders it with no page and no data, only the app's
 * scripts and styles, so it fits any URL: served for /tech/jobs/…, SvelteKit's client router
 * starts at that URL and renders that route.
 */
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const ssr = false;

// Only runs when someone opens /shell itself: it has nothing of its own to show.
export const load: PageLoad = () => {
	redirect(307, '/');
};
