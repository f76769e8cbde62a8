import type { SessionUser } from '$lib/server/auth/session-user';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			/** The raw session token from the cookie, when it named a live session. */
			sessionToken: string | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
