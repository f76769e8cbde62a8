/**
 * What of the station's scores a user may read (roles.md, "Read scorecards"): a supervisor
 * every technician's; a technician only their own row and their own jobs, whose ranks are still
 * computed over the whole station. Always the user's own station. A closed month's scorecard
 * is the one stored at closing (closed-periods.ts), whoever reads it.
 */
import type { Queryable } from '../db';
import type { SessionUser } from '../auth/session-user';
import type { JobFact, KpiPeriod, ScorecardRow } from '../../shared/kpi';
import { technicianScope } from '../jobs/access';
import { refusal } from '../refusal';
import { closedMonthsWithin, scorecardOfPeriod } from './closed-periods';
import type { ScorecardWithGround } from './scorecard';
import { jobFacts } from './job-facts';
import { drillDownJobs, type DrillDownJob } from './drill-down';
import {
	monthlyScorecards,
	trendWindowDates,
	type MonthlyScorecardRow,
	type TrendWindow
} from './trends';

/** The period, and optionally one technician's jobs (without: every job the user may see). */
interface JobFactsRequest extends KpiPeriod {
	technicianId?: string;
}

function ownRowsOf<Row extends { login: string }>(user: SessionUser, rows: Row[]): Row[] {
	// A scorecard row names its technician by login, which is unique in the station.
	if (technicianScope(user) === null) return rows;
	return rows.filter((row) => row.login === user.login);
}

/** Whose jobs a user may see: a technician always their own, others whom they ask for. */
function factsTechnicianId(user: SessionUser, requested: string | undefined): string | undefined {
	const ownJobsOnly = technicianScope(user);
	if (ownJobsOnly === null) return requested;
	if (requested && requested !== ownJobsOnly) {
		throw refusal(
			'FORBIDDEN',
			'A technician can only see the facts of their own jobs.',
			'own_facts_only'
		);
	}
	return ownJobsOnly;
}

export async function visibleScorecard(
	db: Queryable,
	user: SessionUser,
	period: KpiPeriod
): Promise<ScorecardRow[]> {
	return ownRowsOf(user, (await scorecardOfPeriod(db, user.stationId, period)).rows);
}

/**
 * The period's scorecard with what each of its numbers rests on (a closed month's as it was
 * closed), computed once; a technician: their own row.
 */
export async function visibleScorecardWithGround(
	db: Queryable,
	user: SessionUser,
	period: KpiPeriod
): Promise<ScorecardWithGround> {
	const { rows, ground } = await scorecardOfPeriod(db, user.stationId, period);
	return { rows: ownRowsOf(user, rows), ground: ownRowsOf(user, ground) };
}

/** The scorecard of each month of a window; a closed month's as it was closed. */
export async function visibleMonthlyScorecards(
	db: Queryable,
	user: SessionUser,
	window: TrendWindow
): Promise<MonthlyScorecardRow[]> {
	const rows = await monthlyScorecards(db, { stationId: user.stationId, ...window });
	const closed = await closedMonthsWithin(db, user.stationId, trendWindowDates(window));
	const months = [...new Set([...rows.map((row) => row.month), ...closed.keys()])].sort();
	const merged = months.flatMap((month) => {
		const closure = closed.get(month);
		if (!closure) return rows.filter((row) => row.month === month);
		return closure.scorecard.rows.map((row) => ({ month, ...row }));
	});
	return ownRowsOf(user, merged);
}

/** The jobs behind a scorecard row; without technicianId, every job the user may see. */
export function visibleJobFacts(
	db: Queryable,
	user: SessionUser,
	request: JobFactsRequest
): Promise<JobFact[]> {
	return jobFacts(db, scopeOf(user, request));
}

/** The same jobs with the customer and report time, for the drill-down lists. */
export function visibleDrillDownJobs(
	db: Queryable,
	user: SessionUser,
	request: JobFactsRequest
): Promise<DrillDownJob[]> {
	return drillDownJobs(db, scopeOf(user, request));
}

function scopeOf(user: SessionUser, request: JobFactsRequest) {
	return {
		stationId: user.stationId,
		from: request.from,
		to: request.to,
		technicianId: factsTechnicianId(user, request.technicianId)
	};
}
