/** Small builders for integration tests: a station, its people and its jobs. */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database, Queryable } from '../db';
import {
	faultCategories,
	jobs,
	kpiSettingsVersions,
	parts,
	stations,
	users,
	type KpiSettingsVersion,
	type NewJob
} from '../db/schema';
import { insertFirstSettingsVersion } from '../stations/settings/versions';
import { DEFAULT_REWORK_WINDOW_DAYS } from '../stations/settings/ranking';
import type { SessionUser } from '../auth/session-user';
import type { UserRole } from '../../shared/domain';

export async function createStation(db: Database, code: string, timeZone = 'Asia/Shanghai') {
	const [station] = await db
		.insert(stations)
		.values({ code, name: `${code} 服务站`, timeZone })
		.returning();
	await insertFirstSettingsVersion(db, station.id);
	return station;
}

/**
 * Sets a station's KPI settings for tests as if they had always been so: every version of the
 * station (and stations' copy) gets them. Changes dated by a supervisor go through the settings
 * service instead.
 */
export async function setStationSettings(
	db: Queryable,
	stationId: string,
	settings: Partial<
		Pick<KpiSettingsVersion, 'kpiSettings' | 'reworkWindowDays' | 'minJobsForRanking'>
	>
) {
	await db
		.update(kpiSettingsVersions)
		.set(settings)
		.where(eq(kpiSettingsVersions.stationId, stationId));
	await db.update(stations).set(settings).where(eq(stations.id, stationId));
}

export async function createUser(
	db: Database,
	station: {
		id: string;
		code: string;
		name: string;
		timeZone: string;
		recordPositions?: boolean;
		completionRequiresSignature?: boolean;
		reworkWindowDays?: number;
	},
	login: string,
	role: UserRole = 'technician',
	passwordHash: string | null = null
): Promise<SessionUser> {
	const [user] = await db
		.insert(users)
		.values({ stationId: station.id, login, name: `${login} 名字`, role, passwordHash })
		.returning();
	return {
		id: user.id,
		stationId: station.id,
		stationCode: station.code,
		stationName: station.name,
		timeZone: station.timeZone,
		recordPositions: station.recordPositions ?? false,
		completionRequiresSignature: station.completionRequiresSignature ?? false,
		reworkWindowDays: station.reworkWindowDays ?? DEFAULT_REWORK_WINDOW_DAYS,
		login: user.login,
		name: user.name,
		role: user.role
	};
}

export async function createCategory(db: Database, stationId: string, code: string, minutes = 60) {
	const [category] = await db
		.insert(faultCategories)
		.values({ stationId, code, name: code, standardMinutes: minutes })
		.returning();
	return category;
}

export async function createPart(db: Database, stationId: string, sku: string, unitCost = '10.00') {
	const [part] = await db.insert(parts).values({ stationId, sku, name: sku, unitCost }).returning();
	return part;
}

export async function createJob(
	db: Database,
	technician: SessionUser,
	values: Partial<NewJob> = {}
) {
	const id = values.id ?? randomUUID();
	const [job] = await db
		.insert(jobs)
		.values({
			stationId: technician.stationId,
			technicianId: technician.id,
			jobNo: `J-${id.slice(0, 8)}`,
			reportedAt: new Date('2026-03-02T01:00:00Z'),
			...values,
			id
		})
		.returning();
	return job;
}
