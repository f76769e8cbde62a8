/**
 * What the scorecard's JSON and CSV endpoints share: who may call them and which period a
 * request names. Endpoints answer fetch() calls, so a missing session is a 401 (not a redirect
 * to the sign-in page, whose HTML a caller expecting JSON could not read).
 */
import { error } from '@sveltejs/kit';
import type { SessionUser } from '$lib/server/auth/session-user';
import {
	localDateIn,
	periodFromSearchParams,
	type PeriodProblem,
	type ScorecardPeriod
} from '$lib/client/scorecard/period';

export function supervisorOfRequest(locals: App.Locals): SessionUser {
	if (!locals.user) error(401, 'Sign in first.');
	if (locals.user.role === 'technician' || locals.user.role === 'system_admin') {
		error(403, 'The scorecard is for supervisors and administrators.');
	}
	return locals.user;
}

function describeProblem(problem: PeriodProblem): string {
	switch (problem.code) {
		case 'unknown_period':
			return `period: "${problem.value}" is not a period; write 2026-W14, 2026-03 or 2026-Q1`;
		case 'invalid_date':
			return `"${problem.value}" is not a date written YYYY-MM-DD`;
		case 'incomplete_range':
			return 'a custom range needs both "from" and "to" (or "through")';
		case 'empty_range':
			return 'the range ends before it starts';
		case 'range_too_long':
			return `a custom range can be at most ${problem.maxDays} days long`;
	}
}

/** The period of the request's query; no period at all means the current month. */
export function periodOfRequest(url: URL, user: SessionUser): ScorecardPeriod {
	const today = localDateIn(user.timeZone, new Date());
	const { period, problem } = periodFromSearchParams(url.searchParams, today);
	if (problem) error(400, `Invalid period: ${describeProblem(problem)}.`);
	return period;
}
