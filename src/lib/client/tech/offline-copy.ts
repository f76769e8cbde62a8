/**
 * Earlier versions kept a copy of the server-rendered /tech page (with the signed-in
 * technician's name in it) in this cache, for offline starts. Pages now start offline in the
 * service worker's app shell (docs/pwa.md), so nothing writes it any more; it is still removed
 * on sign-out, because a device updated from such a version may hold one.
 */
const TECH_PAGE_CACHE = 'technician-app';

/** Signed out: the kept page names the person who left, so it must not stay. */
export async function dropOfflineCopy(): Promise<void> {
	if (typeof caches === 'undefined') return;
	await caches.delete(TECH_PAGE_CACHE).catch(() => undefined);
}
