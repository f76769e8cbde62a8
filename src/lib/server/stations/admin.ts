/**
 * Stations as administrators see them (roles.md, "Manage accounts" and "Create stations"): a
 * station administrator its own station, a system administrator every station, and only a
 * system administrator creates one (the procedure's role says so; the CLI creates its own).
 */
import { asc, count, eq } from 'drizzle-orm';
import type { z } from 'zod/mini';
import type { Queryable } from '../db';
import { stations, users } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import type { newStationSchema } from '../../shared/schemas';
import { refusal } from '../refusal';

const stationColumns = {
	id: stations.id,
	code: stations.code,
	name: stations.name,
	timeZone: stations.timeZone
};

/** The stations the administrator manages, each with its number of accounts. */
export function listManagedStations(db: Queryable, user: SessionUser) {
	return db
		.select({ ...stationColumns, userCount: count(users.id) })
		.from(stations)
		.leftJoin(users, eq(users.stationId, stations.id))
		.where(user.role === 'system_admin' ? undefined : eq(stations.id, user.stationId))
		.groupBy(stations.id)
		.orderBy(asc(stations.code));
}

export async function createStation(db: Queryable, input: z.output<typeof newStationSchema>) {
	const [created] = await db
		.insert(stations)
		.values(input)
		.onConflictDoNothing({ target: stations.code })
		.returning(stationColumns);
	if (!created) {
		throw refusal(
			'CONFLICT',
			`The station code "${input.code}" is already taken.`,
			'station_code_taken',
			{ code: input.code }
		);
	}
	return created;
}
