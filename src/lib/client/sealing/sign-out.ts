/**
 * Signing out of a shared phone or tablet: afterwards the browser holds nothing the next person
 * could read of the one who left, and nothing opens as them, online or offline (docs/pwa.md,
 * "Shared phones and tablets").
 *
 * Loaded when someone signs out (ui/SignOut.svelte), so that no page carries it before; the
 * code that seals a store (seal.ts) is loaded only when there is a store to seal.
 */
import { mount, unmount } from 'svelte';
import { activeDeviceSession, closeDeviceSession, databaseNames } from '../local/device-session';
import { DATABASE_PREFIX, SIGNED_OUT_COOKIE } from '../local/names';
import SignOutWarning from './SignOutWarning.svelte';

/**
 * Signs out: at once when nothing waits; otherwise the warning offers to send the waiting
 * changes first, to sign out anyway (they are sealed) or to stay.
 */
export async function signOut(): Promise<void> {
	const session = activeDeviceSession();
	const pending = session ? await session.db.outbox.count().catch(() => 0) : 0;
	if (!session || pending === 0) return leave();
	const warning = mount(SignOutWarning, {
		target: document.body,
		props: { session, pending, leave, onclosed: () => void unmount(warning) }
	});
}

/** Clears the device, then shows the sign-in page. */
async function leave(): Promise<void> {
	await endLocalAccess();
	// No POST to /logout: the cookie endLocalAccess set makes the server end the session with
	// this very request, and a GET also works offline, where the service worker answers it.
	location.replace('/login');
}

/** The precache holds the app's code only (same for everyone); every other cache may be personal. */
const SHARED_CACHE = /^workbox-precache/;

/** Long enough to outlast any time offline; the server deletes it at the first contact. */
const SIGNED_OUT_MAX_AGE_S = 400 * 24 * 60 * 60;

/**
 * Ends local access at once, online or not:
 * 1. a cookie records the sign-out, so the server ends the session with the next request
 *    (now, or whenever the network is back) and never answers as the person who left;
 * 2. Cache Storage except the app's code (the offline copy of /tech, cached pages),
 *    localStorage (the remembered identity, scorecard copies) and sessionStorage are cleared;
 * 3. the open store closes, and every user's store on this browser is sealed (what still waits)
 *    and deleted: the last user's, and any left by earlier versions of the app.
 * In this order because deleting a store makes other tabs that have it open reload (db.ts):
 * by then neither the server nor the offline copy may open the app as the person who left.
 */
async function endLocalAccess(): Promise<void> {
	const openStoreOwner = activeDeviceSession()?.db.ownerId ?? null;
	closeDeviceSession();
	const secure = location.protocol === 'https:' ? '; secure' : '';
	document.cookie = `${SIGNED_OUT_COOKIE}=1; path=/; max-age=${SIGNED_OUT_MAX_AGE_S}; samesite=lax${secure}`;
	try {
		localStorage.clear();
		sessionStorage.clear();
	} catch {
		// Storage disabled (some private modes): there is nothing in it either.
	}
	if (typeof caches !== 'undefined') {
		for (const name of await caches.keys()) {
			if (!SHARED_CACHE.test(name)) await caches.delete(name);
		}
	}
	await sealAndDeleteStores(openStoreOwner);
}

/** Every store this browser lists; where it cannot list them, the one this page had open. */
async function sealAndDeleteStores(openStoreOwner: string | null): Promise<void> {
	const names = await databaseNames();
	const owners = names
		? names
				.filter((name) => name.startsWith(DATABASE_PREFIX))
				.map((name) => name.slice(DATABASE_PREFIX.length))
		: [openStoreOwner].filter((owner) => owner !== null);
	if (owners.length === 0) return;
	const { sealAndDeleteStore } = await import('./seal');
	for (const owner of owners) {
		try {
			await sealAndDeleteStore(owner);
		} catch (error) {
			// One store that cannot be read must not keep the others, or the sign-out, from going on.
			console.error('Sign-out: a device store could not be sealed', error);
		}
	}
}
