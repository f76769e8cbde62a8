/**
 * The language switch without JavaScript: stores the choice in the same cookie Paraglide's
 * `setLocale` writes in the browser, then returns to the page the switch was used on.
 */
import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';
import type { RequestHandler } from './$types';

/** Only a page of this site: anything else (another origin, "//host", "/\host") goes home. */
function safeReturnPath(value: FormDataEntryValue | null, site: URL): string {
	if (typeof value !== 'string' || !value.startsWith('/')) return '/';
	const target = new URL(value, site);
	return target.origin === site.origin ? target.pathname + target.search : '/';
}

export const POST: RequestHandler = async ({ request, cookies, url }) => {
	const form = await request.formData();
	const locale = form.get('locale');
	if (!isLocale(locale)) error(400, m.srv_unknown_language({ locale: String(locale) }));
	cookies.set(cookieName, locale, {
		path: '/',
		maxAge: cookieMaxAge,
		sameSite: 'lax',
		// The browser-side runtime reads this cookie to pick the language of client-rendered text.
		httpOnly: false,
		secure: url.protocol === 'https:'
	});
	redirect(303, safeReturnPath(form.get('returnTo'), url));
};
