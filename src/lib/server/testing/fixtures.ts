/** Small builders for integration tests: a station, its people and its jobs. */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db';
import { faultCategories, jobs, parts, stations, users, type NewJob } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import type { UserRole } from '../../shared/domain';

export async function createStation(db: Database, code: string, timeZone = 'Asia/Shanghai') {
	const [station] = await db
		.insert(stations)
		.values({ code, name: `${code} 服务站`, timeZone })
		.returning();
	return station;
}

export async function createUser(
	db: Database,
	station: { id: string; code: string; name: string; timeZone: string },
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
