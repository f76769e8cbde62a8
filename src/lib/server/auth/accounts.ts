/**
 * Creating accounts and setting passwords: the one implementation behind the admin screens,
 * the `npm run user` CLI and the demo seeder. Callers validate input with the zod schemas in
 * shared/schemas.ts; the functions here enforce what only the database can tell (does the
 * station exist, is the login taken) and report it as an AccountError.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { stations, users } from '../db/schema';
import type { UserRole } from '../../shared/domain';
import { hashPassword } from './password';
import { invalidateUserSessions } from './sessions';

export type AccountErrorKind = 'unknown_station' | 'unknown_user' | 'duplicate_login';

export class AccountError extends Error {
	constructor(
		readonly kind: AccountErrorKind,
		message: string
	) {
		super(message);
		this.name = 'AccountError';
	}
}

/** What may be shown about an account: never the password hash. */
export interface AccountSummary {
	id: string;
	stationId: string;
	login: string;
	name: string;
	role: UserRole;
	active: boolean;
	hasPassword: boolean;
}

export interface NewAccount {
	stationId: string;
	login: string;
	name: string;
	role: UserRole;
	/** Omitted: the account exists (jobs can name it) but cannot sign in until one is set. */
	password?: string;
}

/** An account named by its id, or by its login, within a station. */
export type AccountRef =
	| { stationId: string; userId: string; login?: never }
	| { stationId: string; login: string; userId?: never };

const summaryColumns = {
	id: users.id,
	stationId: users.stationId,
	login: users.login,
	name: users.name,
	role: users.role,
	active: users.active,
	hasPassword: sql<boolean>`(${users.passwordHash} IS NOT NULL)`.mapWith(Boolean)
};

export async function createAccount(db: Queryable, account: NewAccount): Promise<AccountSummary> {
	const station = await requireStation(db, account.stationId);
	const passwordHash = account.password ? await hashPassword(account.password) : null;
	// ON CONFLICT DO NOTHING rather than catching the unique violation: the answer is the same
	// on both drivers, and a transaction around this call is not aborted by a duplicate.
	const [created] = await db
		.insert(users)
		.values({
			stationId: account.stationId,
			login: account.login,
			name: account.name,
			role: account.role,
			passwordHash
		})
		.onConflictDoNothing({ target: [users.stationId, users.login] })
		.returning(summaryColumns);
	if (!created) {
		throw new AccountError(
			'duplicate_login',
			`The login "${account.login}" already exists in station ${station.code}.`
		);
	}
	return created;
}

/**
 * Sets a new password, lifts any sign-in lock and signs the account out everywhere: a
 * password is reset because it was forgotten or may be known to someone else.
 */
export async function setPassword(
	db: Queryable,
	ref: AccountRef & { password: string }
): Promise<AccountSummary> {
	const passwordHash = await hashPassword(ref.password);
	const [updated] = await db
		.update(users)
		.set({ passwordHash, failedLogins: 0, lastFailedLoginAt: null, updatedAt: new Date() })
		.where(accountWhere(ref))
		.returning(summaryColumns);
	if (!updated) throw await unknownAccount(db, ref);
	await invalidateUserSessions(db, updated);
	return updated;
}

/** Deactivating also ends the account's sessions, so it takes effect at once. */
export async function setAccountActive(
	db: Queryable,
	ref: AccountRef & { active: boolean }
): Promise<AccountSummary> {
	const [updated] = await db
		.update(users)
		.set({ active: ref.active, updatedAt: new Date() })
		.where(accountWhere(ref))
		.returning(summaryColumns);
	if (!updated) throw await unknownAccount(db, ref);
	if (!ref.active) await invalidateUserSessions(db, updated);
	return updated;
}

export async function listAccounts(db: Queryable, stationId: string): Promise<AccountSummary[]> {
	await requireStation(db, stationId);
	return db
		.select(summaryColumns)
		.from(users)
		.where(eq(users.stationId, stationId))
		.orderBy(asc(users.login));
}

async function requireStation(db: Queryable, stationId: string): Promise<{ code: string }> {
	const [station] = await db
		.select({ code: stations.code })
		.from(stations)
		.where(eq(stations.id, stationId));
	if (!station)
		throw new AccountError('unknown_station', `There is no station with id ${stationId}.`);
	return station;
}

function accountWhere(ref: AccountRef) {
	return and(
		eq(users.stationId, ref.stationId),
		ref.userId !== undefined ? eq(users.id, ref.userId) : eq(users.login, ref.login)
	);
}

/** The error for an update that matched nothing: the station or the account is missing. */
async function unknownAccount(db: Queryable, ref: AccountRef): Promise<AccountError> {
	const station = await requireStation(db, ref.stationId);
	const who = ref.userId !== undefined ? `with id ${ref.userId}` : `"${ref.login}"`;
	return new AccountError('unknown_user', `There is no user ${who} in station ${station.code}.`);
}
