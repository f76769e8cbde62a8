import type { UserRole } from '../../shared/domain';

/** Who is making a request: what every query needs to scope itself by station and role. */
export interface SessionUser {
	id: string;
	stationId: string;
	stationCode: string;
	stationName: string;
	timeZone: string;
	login: string;
	name: string;
	role: UserRole;
}
