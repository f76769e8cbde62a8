/**
 * Stations as administrators see them (roles.md, "Manage accounts" and "Create stations"): a
 * station administrator its own station, a system administrator every station. Creating a
 * station is a system administrator's or the command line's (`npm run user -- add
 * --station-name`): both go through createStation, so a station is made and checked one way.
 */
import { asc, count, eq } from 'drizzle-orm';
import type { z } from 'zod/mini';
import type { Queryable } from '../db';
import { stations, users } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import type { AccountActor } from '../auth/accounts';
import type { newStationSchema } from '../../shared/schemas';
import { refusal } from '../refusal';
import { insertFirstSettingsVersion } from './settings/versions';

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

/** A new station as validated by newStationSchema; the CLI may leave the time zone to the default. */
type NewStation = Omit<z.output<typeof newStationSchema>, 'timeZone'> & { timeZone?: string };

export async function createStation(db: Queryable, input: NewStation, actor: AccountActor) {
	if (actor.kind === 'user' && actor.user.role !== 'system_admin') {
		throw refusal(
			'FORBIDDEN',
			'Only a system administrator creates stations.',
			'station_create_not_allowed'
		);
	}
	return db.transaction(async (tx) => {
		const [created] = await tx
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
		await insertFirstSettingsVersion(tx, created.id);
		return created;
	});
}

/** The station with this (already upper-cased) code, or null: the command line names stations by code. */
export async function stationByCode(db: Queryable, code: string) {
	const [station] = await db.select(stationColumns).from(stations).where(eq(stations.code, code));
	return station ?? null;
}
