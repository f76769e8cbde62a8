/**
 * Who the pages are for. Online the server says (/api/session); when it cannot be reached the
 * person who last used the app on this browser is assumed (local/identity.ts: who they are,
 * never a credential), so every page can start offline, from the service worker's app shell
 * too. Signing out forgets that person, so offline the next one meets the sign-in page.
 */
import { browser } from '$app/environment';
import { lastIdentity, rememberIdentity, type TechnicianIdentity } from './local/identity';

export type SignedInUser = TechnicianIdentity;

const SESSION_URL = '/api/session';

interface SessionAnswer {
	user: SignedInUser | null;
	/** True when the server could not be asked and `user` is the remembered person. */
	offline: boolean;
}

/** Statuses a proxy answers with when the app server is out of reach. */
const UNREACHABLE = new Set([502, 503, 504]);

export async function loadSession(fetch: typeof globalThis.fetch): Promise<SessionAnswer> {
	let response: Response | null = null;
	try {
		response = await fetch(SESSION_URL, { headers: { accept: 'application/json' } });
	} catch {
		// No network: the remembered person, below.
	}
	if (response && response.ok) {
		const { user } = (await response.json()) as { user: SignedInUser | null };
		if (browser && user) rememberIdentity(user);
		return { user, offline: false };
	}
	if (!browser || (response && !UNREACHABLE.has(response.status))) {
		// The server answered with an error: nobody is assumed signed in on its behalf.
		throw new Error(`${SESSION_URL} answered ${response?.status ?? 'nothing'}`);
	}
	return { user: lastIdentity(), offline: true };
}
