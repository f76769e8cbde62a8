/**
 * Signing out of a shared phone or tablet: afterwards the browser holds nothing the next person
 * could read of the one who left, and nothing opens as them, online or offline (docs/pwa.md,
 * "Shared phones and tablets").
 *
 * Every page's header loads this module, so it stays small: the device store code (Dexie,
 * parked.ts) is loaded only when there is a store to seal, which on the technician's page is
 * already loaded anyway.
 */
import { DATABASE_PREFIX, SIGNED_OUT_COOKIE } from './names';

/** What the open technician app lets the sign-out ask and do. */
export interface DeviceSession {
	/** Changes saved on this device that the server has not confirmed. */
	pendingCount(): Promise<number>;
	/** Sends them now; resolves to how many still wait afterwards. */
	sendNow(): Promise<number>;
	/** Stops syncing and closes the device store, so it can be sealed and deleted. */
	close(): void;
}

let active: DeviceSession | null = null;

/** The technician app registers its session while open; the returned function unregisters. */
export function registerDeviceSession(session: DeviceSession): () => void {
	active = session;
	return () => {
		if (active === session) active = null;
	};
}

export function activeDeviceSession(): DeviceSession | null {
	return active;
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
export async function endLocalAccess(): Promise<void> {
	active?.close();
	active = null;
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
	await sealAndDeleteStores();
}

async function sealAndDeleteStores(): Promise<void> {
	if (typeof indexedDB === 'undefined' || !indexedDB.databases) return;
	const owners = (await indexedDB.databases())
		.map((database) => database.name ?? '')
		.filter((name) => name.startsWith(DATABASE_PREFIX))
		.map((name) => name.slice(DATABASE_PREFIX.length));
	if (owners.length === 0) return;
	const { sealAndDeleteStore } = await import('./parked');
	for (const owner of owners) {
		try {
			await sealAndDeleteStore(owner);
		} catch (error) {
			// One store that cannot be read must not keep the others, or the sign-out, from going on.
			console.error('Sign-out: a device store could not be sealed', error);
		}
	}
}
