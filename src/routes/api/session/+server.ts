import { json } from '@sveltejs/kit';
import type { SignedInUser } from '$lib/client/session';
import type { RequestHandler } from './$types';

/**
 * Who is signed in, for the root layout's universal load (src/routes/+layout.ts). A plain
 * endpoint rather than a server load: a server load anywhere in the root layout would make
 * every page need the server before it can render, which offline it cannot (docs/pwa.md).
 */
export const GET: RequestHandler = ({ locals }) => {
	const user = locals.user;
	const signedIn: SignedInUser | null = user && {
		id: user.id,
		name: user.name,
		login: user.login,
		role: user.role,
		stationName: user.stationName,
		stationCode: user.stationCode,
		timeZone: user.timeZone,
		recordPositions: user.recordPositions,
		completionRequiresSignature: user.completionRequiresSignature,
		reworkWindowDays: user.reworkWindowDays
	};
	return json({ user: signedIn }, { headers: { 'cache-control': 'private, no-store' } });
};
