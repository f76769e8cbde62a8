import type { SessionUser } from '$lib/server/auth/session-user';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			/** The raw session token from the cookie, when it named a live session. */
			sessionToken: string | null;
			/** Set by handleError when the request failed on an unreachable database (→ 503). */
			databaseUnavailable?: boolean;
		}
		interface Error {
			message: string;
			/** A server fault's id in the server log (hooks handleError). */
			errorId?: string;
		}
	}
}

export {};
