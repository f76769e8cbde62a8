/**
 * The station home's counts that open the worklists: each count is its worklist's own query
 * (board, follow-up calls, reworks, verification, overlaps, appeals), so a count and the list it opens
 * never disagree. Each service checks the reader itself; the home is a supervisor's.
 */
import type { Queryable } from '../db';
import type { SessionUser } from '../auth/session-user';
import type { KpiPeriod } from '../../shared/kpi';
import type { WorklistCounts } from '../../shared/snapshots';
import { requireSupervisor } from '../jobs/access';
import { countOverdueOpenJobs } from '../jobs/board';
import { countDueFollowUpCalls } from '../follow-ups/calls';
import { countReworks } from './reworks';
import { countUnverifiedJobs } from '../jobs/verification';
import { countOpenOverlaps } from '../jobs/overlaps';
import { countPendingAppeals } from './appeals';

export async function worklistCounts(
	db: Queryable,
	user: SessionUser,
	period: KpiPeriod
): Promise<WorklistCounts> {
	requireSupervisor(user, 'see the station home');
	const [overdueOpenJobs, followUpCallsDue, reworks, unverifiedJobs, openOverlaps, pendingAppeals] =
		await Promise.all([
			countOverdueOpenJobs(db, user),
			countDueFollowUpCalls(db, user),
			countReworks(db, user, period),
			countUnverifiedJobs(db, user),
			countOpenOverlaps(db, user),
			countPendingAppeals(db, user)
		]);
	return {
		overdueOpenJobs,
		followUpCallsDue,
		reworks,
		unverifiedJobs,
		openOverlaps,
		pendingAppeals
	};
}
