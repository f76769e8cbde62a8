/** The signed-in user's station: its identity and the supervisor's overview of its people. */
import { sql } from 'drizzle-orm';
import type { Database } from '../db';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import type { TechnicianJobCounts } from '../../shared/snapshots';

/** The counts a kept page carries (shared/snapshots.ts), with the time still a Date. */
type TechnicianSummary = Omit<TechnicianJobCounts, 'lastCompletedAt'> & {
	lastCompletedAt: Date | null;
};

/** The station's technicians (active, or with jobs) with job counts, counted in SQL. */
export async function technicianSummary(
	db: Database,
	user: SessionUser
): Promise<TechnicianSummary[]> {
	const rows = await queryRows<
		Omit<TechnicianSummary, 'lastCompletedAt'> & { lastCompletedAt: string | null }
	>(
		db,
		sql`
		select u.id::text as "id", u.login as "login", u.name as "name", u.active as "active",
			count(j.id)::int as "jobsTotal",
			(count(j.id) filter (where j.status = 'completed'))::int as "jobsCompleted",
			(count(j.id) filter (where j.status in ('open', 'in_progress')))::int as "jobsOpen",
			to_char(max(j.completed_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "lastCompletedAt"
		from users u
		left join jobs j on j.station_id = u.station_id and j.technician_id = u.id
		where u.station_id = ${user.stationId} and u.role = 'technician'
		group by u.id, u.login, u.name, u.active
		-- A deactivated technician stays while they have jobs to show; one who never had any
		-- (an account made by mistake, then deactivated) is only the accounts page's business.
		having u.active or count(j.id) > 0
		order by u.active desc, u.login`
	);
	return rows.map((row) => ({
		...row,
		lastCompletedAt: row.lastCompletedAt ? new Date(row.lastCompletedAt) : null
	}));
}
