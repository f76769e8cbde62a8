/**
 * Whose device store to open. Online, the server says who is signed in; offline it cannot be
 * asked, so the last technician who opened the app on this browser is remembered here (only
 * who they are, never a credential) and their store opens.
 */
import { z } from 'zod/mini';
import { userRoleSchema } from '../../shared/schemas';

export const technicianIdentitySchema = z.object({
	id: z.uuid(),
	login: z.string(),
	name: z.string(),
	role: userRoleSchema,
	stationCode: z.string(),
	stationName: z.string(),
	timeZone: z.string(),
	/** The station records where arrival and completion happened (absent: remembered before it existed). */
	recordPositions: z.optional(z.boolean()),
	/** The station's completion requires the customer's signature (absent: remembered before it existed). */
	completionRequiresSignature: z.optional(z.boolean()),
	/**
	 * The station's rework window in days, for the likely-rework warning (absent: as above).
	 * Only the technician's screens read it, from this identity: the session's answer is
	 * remembered whole (client/session.ts), so the pages' data (routes/+layout.ts) need not
	 * carry it too, which would cost the phone's first load.
	 */
	reworkWindowDays: z.optional(z.number())
});
export type TechnicianIdentity = z.infer<typeof technicianIdentitySchema>;

/** The signed-in person as the page's server data gives it (no id there). */
export type PageUser = Omit<TechnicianIdentity, 'id'>;

const LAST_USER_KEY = 'repairscore:last-user';

export function rememberIdentity(
	identity: TechnicianIdentity,
	storage: Storage = localStorage
): void {
	storage.setItem(LAST_USER_KEY, JSON.stringify(identity));
}

export function lastIdentity(storage: Storage = localStorage): TechnicianIdentity | null {
	const stored = storage.getItem(LAST_USER_KEY);
	if (!stored) return null;
	try {
		const parsed = technicianIdentitySchema.safeParse(JSON.parse(stored));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}

type IdentityResolution =
	| { kind: 'known'; identity: TechnicianIdentity }
	/** Offline and nobody known on this device: it must be online once to start. */
	| { kind: 'unknown' };

/**
 * Who this page is for: the remembered technician when they are the page's user (no request
 * needed, so it works offline), else the server's answer (remembered for next time). When the
 * server cannot be asked and the page names nobody (the offline app shell), the remembered
 * technician is the one.
 */
export async function resolveIdentity(
	pageUser: PageUser | null,
	askServer: () => Promise<TechnicianIdentity>,
	storage: Storage = localStorage
): Promise<IdentityResolution> {
	const remembered = lastIdentity(storage);
	const samePerson =
		remembered &&
		pageUser &&
		remembered.login === pageUser.login &&
		remembered.stationCode === pageUser.stationCode;
	if (samePerson) {
		const identity = { ...remembered, ...pageUser, id: remembered.id };
		rememberIdentity(identity, storage);
		return { kind: 'known', identity };
	}
	try {
		const identity = await askServer();
		rememberIdentity(identity, storage);
		return { kind: 'known', identity };
	} catch {
		if (!pageUser && remembered) return { kind: 'known', identity: remembered };
		return { kind: 'unknown' };
	}
}
