import { fail, redirect } from '@sveltejs/kit';
import type { z } from 'zod';
import { signIn } from '$lib/server/auth/sign-in';
import { SESSION_COOKIE, invalidateSession, setSessionCookie } from '$lib/server/auth/sessions';
import { serverDatabase } from '$lib/server/db/server-db';
import { signInSchema } from '$lib/shared/schemas';
import type { Actions } from './$types';

type SignInField = 'login' | 'password' | 'station';
/** What is wrong with a field, as a code the page turns into a sentence in the reader's language. */
export type FieldProblem =
	'login_required' | 'login_format' | 'password_required' | 'station_format' | 'too_long';

function fieldProblems(issues: z.core.$ZodIssue[]): Partial<Record<SignInField, FieldProblem>> {
	const problems: Partial<Record<SignInField, FieldProblem>> = {};
	for (const issue of issues) {
		const field = issue.path[0];
		if (field !== 'login' && field !== 'password' && field !== 'station') continue;
		if (problems[field]) continue;
		if (issue.code === 'too_big') problems[field] = 'too_long';
		else if (field === 'login')
			problems.login = issue.code === 'too_small' ? 'login_required' : 'login_format';
		else if (field === 'password') problems.password = 'password_required';
		else problems.station = 'station_format';
	}
	return problems;
}

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const login = String(form.get('login') ?? '');
		const station = String(form.get('station') ?? '').trim();
		// The password is never sent back to the page, whatever happens.
		const parsed = signInSchema.safeParse({
			login,
			station,
			password: String(form.get('password') ?? '')
		});
		if (!parsed.success) {
			return fail(400, {
				login,
				station,
				reason: 'invalid_input' as const,
				fieldErrors: fieldProblems(parsed.error.issues)
			});
		}

		const { db } = await serverDatabase();
		// Behind a reverse proxy, adapter-node's ADDRESS_HEADER / XFF_DEPTH make this the
		// client's address rather than the proxy's (README, "Production").
		const result = await signIn(db, parsed.data, {
			userAgent: request.headers.get('user-agent') ?? undefined,
			address: getClientAddress()
		});
		if (!result.ok) {
			const status = { invalid_credentials: 400, throttled: 429, ambiguous_login: 409 }[
				result.reason
			];
			return fail(status, {
				login,
				station,
				reason: result.reason,
				retryAfterSeconds: result.retryAfterSeconds ?? null
			});
		}

		// Whoever was signed in on this browser before (another tab still showed this form) is
		// signed out on the server too: the cookie is replaced, and its session must not live on.
		const previousToken = cookies.get(SESSION_COOKIE);
		if (previousToken) await invalidateSession(db, previousToken);
		setSessionCookie(cookies, result.token, result.endsAt, url.protocol === 'https:');
		redirect(303, '/');
	}
};
