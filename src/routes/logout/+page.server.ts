import { redirect } from '@sveltejs/kit';
import { clearSessionCookie, invalidateSession } from '$lib/server/auth/sessions';
import { serverDatabase } from '$lib/server/db/server-db';
import type { Actions, PageServerLoad } from './$types';

// Signing out changes state, so it is a POST only; a link or prefetch to /logout does nothing.
export const load: PageServerLoad = () => {
	redirect(303, '/');
};

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.sessionToken) {
			const { db } = await serverDatabase();
			await invalidateSession(db, locals.sessionToken);
		}
		clearSessionCookie(cookies);
		redirect(303, '/login');
	}
};
