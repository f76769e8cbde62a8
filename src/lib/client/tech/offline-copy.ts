/**
 * The technician app opens offline from a copy of its own page kept in the Cache Storage.
 *
 * Why a copy of /tech and not the service worker's app shell: SvelteKit's client must load the
 * root layout's server data before it can render any route, so the data-less shell shows the
 * error page offline. A server-rendered /tech carries that data inside it, so SvelteKit starts
 * from it without asking the server; all the technician screens are this one page (urls.ts).
 *
 * The service worker answers navigations to /tech from this cache when the network fails
 * (vite.config.ts, `TECH_PAGE_CACHE`). Signing in is a client-side navigation, so the page
 * itself stores the copy, and refreshes it on every start online: a copy from an older build
 * would point at scripts the service worker no longer has.
 */
export const TECH_PAGE_CACHE = 'technician-app';
export const TECH_PAGE_URL = '/tech';

export async function keepOfflineCopy(): Promise<void> {
	if (typeof caches === 'undefined' || !navigator.onLine) return;
	try {
		// `manual`: an expired session answers with a redirect to /login, which must not be kept.
		const response = await fetch(TECH_PAGE_URL, { credentials: 'same-origin', redirect: 'manual' });
		if (response.status !== 200) return;
		const cache = await caches.open(TECH_PAGE_CACHE);
		await cache.put(TECH_PAGE_URL, response);
	} catch {
		// Offline after all, or storage refused: the previous copy (if any) stays.
	}
}
