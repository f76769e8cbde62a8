/**
 * Where a job's arrival and completion happened (issue 14), read back for the station's
 * supervisors only: a technician's whereabouts are not the desk's or an administrator's to see
 * (the privacy notice, routes/privacy, says so). Evidence only: no KPI reads these columns.
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import type { StepPositionEntry } from '../../shared/step-position';
import { jobVisibleTo, requireSupervisor } from './access';

/** The job's tapped steps that say where they happened (or why not), arrival first. */
export async function stepPositionsOfJob(
	db: Queryable,
	user: SessionUser,
	jobId: string
): Promise<StepPositionEntry[]> {
	requireSupervisor(user, 'see where a job’s steps happened');
	// Another station's job, or a missing one, is NOT_FOUND as everywhere else.
	await jobVisibleTo(db, user, jobId);
	return queryRows<StepPositionEntry>(
		db,
		sql`SELECT e.step, e.position AS state, e.latitude::float8 AS latitude,
				e.longitude::float8 AS longitude, e.position_accuracy_m::float8 AS "accuracyM"
			FROM job_step_entries e
			WHERE e.station_id = ${user.stationId}::uuid AND e.job_id = ${jobId}::uuid
				AND e.step IN ('arrived', 'completed') AND e.position IS NOT NULL
			ORDER BY e.step = 'completed'`
	);
}
