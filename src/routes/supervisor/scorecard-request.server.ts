/**
 * What the scorecard's JSON and CSV endpoints share: who may call them and which period a
 * request names. Endpoints answer fetch() calls, so a missing session is a 401 (not a redirect
 * to the sign-in page, whose HTML a caller expecting JSON could not read).
 */
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { isSupervisor, readsStationJobs } from '$lib/shared/roles';
import type { SessionUser } from '$lib/server/auth/session-user';
import {
	periodFromSearchParams,
	type PeriodProblem,
	type ScorecardPeriod
} from '$lib/shared/time/periods';
import { zonedDay } from '$lib/shared/time/local-time';

export function supervisorOfRequest(locals: App.Locals): SessionUser {
	if (!locals.user) error(401, m.srv_sign_in_first());
	if (!isSupervisor(locals.user)) error(403, m.srv_scorecard_supervisors_only());
	return locals.user;
}

/** A job's page: supervisors, and station administrators, who read jobs (roles.md). */
export function jobReaderOfRequest(locals: App.Locals): SessionUser {
	if (!locals.user) error(401, m.srv_sign_in_first());
	if (!readsStationJobs(locals.user)) {
		error(403, m.acc2_station_data_page_only());
	}
	return locals.user;
}

function describeProblem(problem: PeriodProblem): string {
	switch (problem.code) {
		case 'unknown_period':
			return m.srv_period_unknown({ value: problem.value });
		case 'invalid_date':
			return m.srv_period_invalid_date({ value: problem.value });
		case 'incomplete_range':
			return m.srv_period_incomplete_range();
		case 'empty_range':
			return m.srv_period_empty_range();
		case 'range_too_long':
			return m.srv_period_range_too_long({ maxDays: problem.maxDays });
	}
}

/** The period of the request's query; no period at all means the current month. */
export function periodOfRequest(url: URL, user: SessionUser): ScorecardPeriod {
	const today = zonedDay(new Date(), user.timeZone);
	const { period, problem } = periodFromSearchParams(url.searchParams, today);
	if (problem) error(400, m.srv_invalid_period({ problem: describeProblem(problem) }));
	return period;
}
