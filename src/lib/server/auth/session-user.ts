import type { UserRole } from '../../shared/domain';

/** Who is making a request: what every query needs to scope itself by station and role. */
export interface SessionUser {
	id: string;
	stationId: string;
	stationCode: string;
	stationName: string;
	timeZone: string;
	/**
	 * The station asks phones where arrival and completion happened (issue 14): read with the
	 * session so the phone learns it with who is signed in and keeps it for offline starts.
	 */
	recordPositions: boolean;
	/** A technician's completion must carry the customer's signature (issue 14; read the same way). */
	completionRequiresSignature: boolean;
	/**
	 * Days after a job within which a repair of the same device counts as its rework (kpi.md):
	 * the phone warns of a likely rework with it (client/tech/likely-rework.ts), offline too.
	 */
	reworkWindowDays: number;
	login: string;
	name: string;
	role: UserRole;
}
