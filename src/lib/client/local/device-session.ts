/**
 * What the sign-out (sealing/sign-out.ts, loaded when someone signs out) needs from the open
 * technician app, and what starting the app needs to know about sealed changes, without
 * loading the sealing code.
 */
import type { TechnicianSession } from '../stores/technician-session.svelte';
import { PARKED_DATABASE } from './names';

/** What the sign-out uses of the open technician app: its outbox, its sync, closing it. */
export type DeviceSession = Pick<TechnicianSession, 'db' | 'engine' | 'close'>;

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

/** Signing out: the open store closes so that it can be sealed and deleted. */
export function closeDeviceSession(): void {
	active?.close();
	active = null;
}

/** The names of this site's IndexedDB databases; null where the browser cannot list them. */
export async function databaseNames(): Promise<string[] | null> {
	if (typeof indexedDB === 'undefined' || !indexedDB.databases) return null;
	return (await indexedDB.databases()).map((database) => database.name ?? '');
}

/**
 * Whether sealed changes may wait on this device, so that starting the app needs to load the
 * sealing code (it exists only while a parcel does; a browser that cannot tell must look).
 */
export async function parcelsMayWait(): Promise<boolean> {
	return (await databaseNames())?.includes(PARKED_DATABASE) ?? true;
}
