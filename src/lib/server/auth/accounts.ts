/**
 * Creating accounts, setting passwords and roles: the one implementation behind the admin
 * API, the `npm run user` CLI and one's own password change. Callers validate input with the
 * zod schemas in shared/schemas.ts; the functions here enforce what only the database can
 * tell (does the station exist, is the login taken), who may change what (roles.md, "Manage
 * accounts"), and the password policy, and report refusals as a Refusal (refusal.ts).
 *
 * Every change is written to account_audit in the transaction that makes it, and a change
 * that alters what an account may do (password, deactivation, role) ends its sessions.
 */
import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	accountAudit,
	regionStations,
	stations,
	users,
	type AccountAuditAction
} from '../db/schema';
import type { UserRole } from '../../shared/domain';
import { hashPassword, verifyPassword } from './password';
import { refusal, type Refusal } from '../refusal';
import { passwordProblem, describePasswordProblem } from './password-policy';
import { invalidateUserSessions } from './sessions';

/**
 * Who makes a change. A signed-in person is limited by their role; the command line is the
 * server's operator, who could edit the database anyway, and may do everything.
 */
export type AccountActor =
	| {
			kind: 'user';
			user: { id: string; stationId: string; stationCode: string; login: string; role: UserRole };
	  }
	| { kind: 'command_line'; label: string };

export const COMMAND_LINE: AccountActor = { kind: 'command_line', label: 'command line' };

export interface AccountChange {
	actor: AccountActor;
	/** Why, as the actor gave it; kept in the audit. */
	reason?: string | null;
}

/** What may be shown about an account: never the password hash. */
interface AccountSummary {
	id: string;
	stationId: string;
	login: string;
	name: string;
	role: UserRole;
	active: boolean;
	hasPassword: boolean;
}

/** What an account listed for an administrator shows beside its summary. */
interface ListedAccount extends AccountSummary {
	/** When the audit last recorded a change to it; null for accounts from before the audit. */
	lastChangedAt: Date | null;
}

/**
 * A password to set: one the administrator typed (checked by the policy), or one the server
 * makes (`generate`), handed back once in the answer and kept nowhere but as its hash.
 */
type NewPassword = string | typeof GENERATE_PASSWORD;
export const GENERATE_PASSWORD = { generate: true } as const;

interface NewAccount {
	stationId: string;
	login: string;
	name: string;
	role: UserRole;
	/** Omitted: the account exists (jobs can name it) but cannot sign in until one is set. */
	password?: NewPassword;
}

/** An account just given a password by the server: the only time that password is readable. */
type WithGeneratedPassword<T> = T & { generatedPassword: string | null };

/** An account named by its id, or by its login, within a station. */
type AccountRef =
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

/**
 * The roles an actor may give or take away (roles.md, "Manage accounts"): a station
 * administrator the station's working roles, a system administrator station administrators
 * too. System administrators come from the CLI only.
 */
export function assignableRoles(actor: AccountActor): readonly UserRole[] {
	if (actor.kind === 'command_line') {
		return ['technician', 'dispatcher', 'supervisor', 'admin', 'region_manager', 'system_admin'];
	}
	if (actor.user.role === 'system_admin')
		return ['technician', 'dispatcher', 'supervisor', 'admin', 'region_manager'];
	if (actor.user.role === 'admin') return ['technician', 'dispatcher', 'supervisor'];
	return [];
}

/**
 * A station outside the actor's scope is reported as unknown, exactly like a missing one:
 * a station administrator learns nothing about other stations.
 */
function assertStationInScope(actor: AccountActor, stationId: string): void {
	if (actor.kind === 'command_line' || actor.user.role === 'system_admin') return;
	if (actor.user.role === 'admin' && actor.user.stationId === stationId) return;
	throw unknownStation(stationId);
}

function assertRoleAssignable(actor: AccountActor, role: UserRole): void {
	if (assignableRoles(actor).includes(role)) return;
	throw refusal('FORBIDDEN', `You may not give or take away the role ${role}.`, 'role_not_allowed');
}

/** Administrators' accounts are managed one level up; system admins' from the CLI only. */
function assertTargetManageable(actor: AccountActor, target: { role: UserRole }): void {
	if (assignableRoles(actor).includes(target.role)) return;
	throw refusal(
		'FORBIDDEN',
		`You may not change a ${target.role} account: only a higher administrator manages it.`,
		'target_not_allowed'
	);
}

function assertPasswordAllowed(password: string, owner: { login: string; name: string }): void {
	const problem = passwordProblem(password, owner);
	if (problem) {
		const { code, ...limits } = problem;
		throw refusal('BAD_REQUEST', `Refused: ${describePasswordProblem(problem)}.`, 'weak_password', {
			problem: code,
			...limits
		});
	}
}

export async function createAccount(
	db: Queryable,
	account: NewAccount,
	change: AccountChange
): Promise<WithGeneratedPassword<AccountSummary>> {
	assertStationInScope(change.actor, account.stationId);
	assertRoleAssignable(change.actor, account.role);
	const password =
		account.password === undefined ? null : chosenPassword(account.password, account);
	const station = await requireStation(db, account.stationId);
	const passwordHash = password ? await hashPassword(password.value) : null;
	return db.transaction(async (tx) => {
		// ON CONFLICT DO NOTHING rather than catching the unique violation: the answer is the
		// same on both drivers, and the transaction is not aborted by a duplicate.
		const [created] = await tx
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
			throw refusal(
				'CONFLICT',
				`The login "${account.login}" already exists in station ${station.code}.`,
				'login_taken',
				{ login: account.login }
			);
		}
		await recordAccountChange(tx, created, change, 'create', null, {
			...describeAccount(created),
			...(password ? { passwordSet: password.kind } : {})
		});
		return {
			...created,
			generatedPassword: password?.kind === 'generated' ? password.value : null
		};
	});
}

/**
 * Sets a new password (an administrator's reset, or the CLI), lifts any sign-in lock and signs
 * the account out everywhere: a password is reset because it was forgotten or may be known to
 * someone else.
 */
export async function setPassword(
	db: Queryable,
	ref: AccountRef & { password: NewPassword },
	change: AccountChange
): Promise<WithGeneratedPassword<AccountSummary>> {
	let generatedPassword: string | null = null;
	const updated = await changeAccount(db, ref, change, async (tx, target) => {
		assertTargetManageable(change.actor, target);
		const password = chosenPassword(ref.password, target);
		if (password.kind === 'generated') generatedPassword = password.value;
		const passwordHash = await hashPassword(password.value);
		const [updated] = await tx
			.update(users)
			.set({ passwordHash, failedLogins: 0, lastFailedLoginAt: null, updatedAt: new Date() })
			.where(accountWhere(ref))
			.returning(summaryColumns);
		await recordAccountChange(tx, updated, change, 'password_reset', null, {
			passwordSet: password.kind
		});
		await invalidateUserSessions(tx, updated);
		return updated;
	});
	return { ...updated, generatedPassword };
}

/** Deactivating also ends the account's sessions, so it takes effect at once. */
export async function setAccountActive(
	db: Queryable,
	ref: AccountRef & { active: boolean },
	change: AccountChange
): Promise<AccountSummary> {
	return changeAccount(db, ref, change, async (tx, target) => {
		assertTargetManageable(change.actor, target);
		if (target.active === ref.active) return target;
		const [updated] = await tx
			.update(users)
			.set({ active: ref.active, updatedAt: new Date() })
			.where(accountWhere(ref))
			.returning(summaryColumns);
		await recordAccountChange(
			tx,
			updated,
			change,
			ref.active ? 'activate' : 'deactivate',
			{ active: target.active },
			{ active: updated.active }
		);
		if (!ref.active) await invalidateUserSessions(tx, updated);
		return updated;
	});
}

/**
 * A new display name (typos, a name change). It alters nothing the account may do, so its
 * sessions continue; the old and new names are audited.
 */
export async function renameAccount(
	db: Queryable,
	ref: AccountRef & { name: string },
	change: AccountChange
): Promise<AccountSummary> {
	return changeAccount(db, ref, change, async (tx, target) => {
		assertTargetManageable(change.actor, target);
		if (target.name === ref.name) return target;
		const [updated] = await tx
			.update(users)
			.set({ name: ref.name, updatedAt: new Date() })
			.where(accountWhere(ref))
			.returning(summaryColumns);
		await recordAccountChange(
			tx,
			updated,
			change,
			'rename',
			{ name: target.name },
			{ name: updated.name }
		);
		return updated;
	});
}

/** A new role takes effect at once: the account's sessions end, it signs in with the new one. */
export async function setRole(
	db: Queryable,
	ref: AccountRef & { role: UserRole },
	change: AccountChange
): Promise<AccountSummary> {
	return changeAccount(db, ref, change, async (tx, target) => {
		assertTargetManageable(change.actor, target);
		assertRoleAssignable(change.actor, ref.role);
		if (target.role === ref.role) return target;
		const [updated] = await tx
			.update(users)
			.set({ role: ref.role, updatedAt: new Date() })
			.where(accountWhere(ref))
			.returning(summaryColumns);
		await recordAccountChange(
			tx,
			updated,
			change,
			'role_change',
			{ role: target.role },
			{ role: updated.role }
		);
		await invalidateUserSessions(tx, updated);
		return updated;
	});
}

/**
 * The stations a region manager reads (roles.md, "Create stations, assign regions": a system
 * administrator's, or the command line's), given by code: the list replaces the one before, an
 * empty list leaves the manager with none. Audited on the manager's account as `region_change`
 * (the station codes before and after), and their sessions end like any change of what an
 * account may do. An unknown code is refused and nothing changes.
 */
export async function setRegionStations(
	db: Queryable,
	ref: AccountRef & { stationCodes: readonly string[] },
	change: AccountChange
): Promise<{ account: AccountSummary; stationCodes: string[] }> {
	if (change.actor.kind === 'user' && change.actor.user.role !== 'system_admin') {
		throw refusal(
			'FORBIDDEN',
			'Only a system administrator assigns stations to a region manager.',
			'region_assign_not_allowed'
		);
	}
	const codes = [...new Set(ref.stationCodes)].sort();
	let after: string[] = [];
	const account = await changeAccount(db, ref, change, async (tx, target) => {
		if (target.role !== 'region_manager') {
			throw refusal(
				'BAD_REQUEST',
				`"${target.login}" is a ${target.role}: only a region manager is assigned stations.`,
				'region_target_not_manager'
			);
		}
		const assigned =
			codes.length === 0
				? []
				: await tx
						.select({ id: stations.id, code: stations.code })
						.from(stations)
						.where(inArray(stations.code, codes));
		const missing = codes.filter((code) => !assigned.some((station) => station.code === code));
		if (missing.length > 0) {
			throw refusal(
				'NOT_FOUND',
				`There is no station with code ${missing.join(', ')}.`,
				'station_unknown'
			);
		}
		const before = await regionStationCodes(tx, target);
		await tx
			.delete(regionStations)
			.where(
				and(
					eq(regionStations.userStationId, target.stationId),
					eq(regionStations.userId, target.id)
				)
			);
		if (assigned.length > 0) {
			await tx.insert(regionStations).values(
				assigned.map((station) => ({
					stationId: station.id,
					userStationId: target.stationId,
					userId: target.id
				}))
			);
		}
		after = assigned.map((station) => station.code).sort();
		await recordAccountChange(
			tx,
			target,
			change,
			'region_change',
			{ stations: before },
			{ stations: after }
		);
		await invalidateUserSessions(tx, target);
		return target;
	});
	return { account, stationCodes: after };
}

/** The codes of the stations assigned to a region manager, sorted. */
async function regionStationCodes(
	db: Queryable,
	manager: { id: string; stationId: string }
): Promise<string[]> {
	const rows = await db
		.select({ code: stations.code })
		.from(regionStations)
		.innerJoin(stations, eq(stations.id, regionStations.stationId))
		.where(
			and(
				eq(regionStations.userStationId, manager.stationId),
				eq(regionStations.userId, manager.id)
			)
		)
		.orderBy(asc(stations.code));
	return rows.map((row) => row.code);
}

/**
 * A person changing their own password: the current one must be right. Every session of the
 * account ends, this one included; the person signs in again with the new password.
 */
export async function changeOwnPassword(
	db: Queryable,
	user: { id: string; stationId: string; stationCode: string; login: string; role: UserRole },
	passwords: { current: string; next: string }
): Promise<void> {
	const ref = { stationId: user.stationId, userId: user.id };
	const change: AccountChange = { actor: { kind: 'user', user } };
	await changeAccount(
		db,
		ref,
		change,
		async (tx, target) => {
			const [stored] = await tx
				.select({ passwordHash: users.passwordHash })
				.from(users)
				.where(accountWhere(ref));
			if (
				!stored?.passwordHash ||
				!(await verifyPassword(stored.passwordHash, passwords.current))
			) {
				throw refusal('BAD_REQUEST', 'The current password is not correct.', 'wrong_password');
			}
			assertPasswordAllowed(passwords.next, target);
			const passwordHash = await hashPassword(passwords.next);
			await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(accountWhere(ref));
			await recordAccountChange(tx, target, change, 'password_change', null, null);
			await invalidateUserSessions(tx, target);
			return target;
		},
		'own'
	);
}

/**
 * The latest audited change of the account in the row (account_audit_user_idx finds it). The
 * names are written out: in a select list drizzle renders columns without their table, which
 * inside this subquery would name account_audit's own columns.
 */
const lastChangedAt = sql<Date | null>`(
	SELECT max(audit.changed_at) FROM account_audit audit
	WHERE audit.station_id = "users"."station_id" AND audit.user_id = "users"."id"
)`.mapWith(accountAudit.changedAt);

export async function listAccounts(
	db: Queryable,
	stationId: string,
	actor: AccountActor
): Promise<ListedAccount[]> {
	assertStationInScope(actor, stationId);
	await requireStation(db, stationId);
	return db
		.select({ ...summaryColumns, lastChangedAt })
		.from(users)
		.where(eq(users.stationId, stationId))
		.orderBy(asc(users.login));
}

/** One change of an account as its history shows it, newest first. */
interface AccountHistoryEntry {
	changedAt: Date;
	actorLogin: string;
	action: AccountAuditAction;
	before: unknown;
	after: unknown;
	reason: string | null;
}

/**
 * One account with its audited history, for an administrator in whose scope the station is.
 * Any account of the station may be read (the list shows them all); changing one is what
 * assertTargetManageable limits.
 */
export async function accountDetail(
	db: Queryable,
	ref: AccountRef,
	actor: AccountActor
): Promise<{
	account: ListedAccount;
	history: AccountHistoryEntry[];
	assignableRoles: readonly UserRole[];
	/** A region manager's stations by code (setRegionStations); null for any other account. */
	regionStationCodes: string[] | null;
}> {
	assertStationInScope(actor, ref.stationId);
	const [account] = await db
		.select({ ...summaryColumns, lastChangedAt })
		.from(users)
		.where(accountWhere(ref));
	if (!account) throw await unknownAccount(db, ref);
	const history = await db
		.select({
			changedAt: accountAudit.changedAt,
			actorLogin: accountAudit.actorLogin,
			action: accountAudit.action,
			before: accountAudit.before,
			after: accountAudit.after,
			reason: accountAudit.reason
		})
		.from(accountAudit)
		.where(and(eq(accountAudit.stationId, account.stationId), eq(accountAudit.userId, account.id)))
		.orderBy(desc(accountAudit.changedAt), desc(accountAudit.id));
	return {
		account,
		history,
		regionStationCodes:
			account.role === 'region_manager' ? await regionStationCodes(db, account) : null,
		// What the page may offer: nothing for an account beyond the actor's reach.
		assignableRoles: assignableRoles(actor).includes(account.role) ? assignableRoles(actor) : []
	};
}

/** One account's change, as the audit keeps it. */
export interface AuditedChange {
	target: { id: string; stationId: string };
	change: AccountChange;
	action: AccountAuditAction;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
}

async function recordAccountChange(
	db: Queryable,
	target: AuditedChange['target'],
	change: AccountChange,
	action: AccountAuditAction,
	before: AuditedChange['before'],
	after: AuditedChange['after']
): Promise<void> {
	await recordAccountChanges(db, [{ target, change, action, before, after }]);
}

/**
 * Writes audit rows in one statement. Exported for the technicians.csv import, whose new
 * accounts and role changes are account changes like any other.
 */
export async function recordAccountChanges(
	db: Queryable,
	changes: readonly AuditedChange[]
): Promise<void> {
	// In slices: one INSERT takes at most 65,535 parameters, and an import may create thousands.
	for (let start = 0; start < changes.length; start += 1000) {
		await insertAuditRows(db, changes.slice(start, start + 1000));
	}
}

async function insertAuditRows(db: Queryable, changes: readonly AuditedChange[]): Promise<void> {
	await db.insert(accountAudit).values(
		changes.map(({ target, change: { actor, reason }, action, before, after }) => ({
			stationId: target.stationId,
			userId: target.id,
			actorId: actor.kind === 'user' ? actor.user.id : null,
			actorStationId: actor.kind === 'user' ? actor.user.stationId : null,
			actorLogin:
				actor.kind === 'user' ? `${actor.user.stationCode}/${actor.user.login}` : actor.label,
			action,
			before,
			after,
			reason: reason?.trim() || null
		}))
	);
}

/**
 * A password the server makes: 4 groups of 4 characters from 31 that cannot be mistaken for
 * each other when read off a screen (no 0/o, 1/l/i), about 79 bits from the system's CSPRNG.
 * Drawn again in the (astronomically rare) case the policy finds the owner's login in it.
 */
function generatedPassword(owner: { login: string; name: string }): string {
	const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
	for (;;) {
		const groups = Array.from({ length: 4 }, () =>
			Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('')
		);
		const password = groups.join('-');
		if (!passwordProblem(password, owner)) return password;
	}
}

/** The password to set and where it came from (the audit says which, never the password). */
function chosenPassword(
	password: NewPassword,
	owner: { login: string; name: string }
): { kind: 'typed' | 'generated'; value: string } {
	if (typeof password !== 'string') return { kind: 'generated', value: generatedPassword(owner) };
	assertPasswordAllowed(password, owner);
	return { kind: 'typed', value: password };
}

function describeAccount(account: AccountSummary): Record<string, unknown> {
	return { login: account.login, name: account.name, role: account.role, active: account.active };
}

/**
 * Runs a change on one account inside a transaction, with the account's row locked so that
 * two administrators' changes (or an import) queue instead of deciding on a stale role.
 */
async function changeAccount(
	db: Queryable,
	ref: AccountRef,
	change: AccountChange,
	apply: (tx: Queryable, target: AccountSummary) => Promise<AccountSummary>,
	scope: 'managed' | 'own' = 'managed'
): Promise<AccountSummary> {
	// One's own account is always in reach; anyone else's only within the actor's stations.
	if (scope === 'managed') assertStationInScope(change.actor, ref.stationId);
	return db.transaction(async (tx) => {
		const [target] = await tx
			.select(summaryColumns)
			.from(users)
			.where(accountWhere(ref))
			.for('update');
		if (!target) throw await unknownAccount(tx, ref);
		return apply(tx, target);
	});
}

async function requireStation(db: Queryable, stationId: string): Promise<{ code: string }> {
	const [station] = await db
		.select({ code: stations.code })
		.from(stations)
		.where(eq(stations.id, stationId));
	if (!station) throw unknownStation(stationId);
	return station;
}

/** Missing, or outside the actor's scope: the same answer, so neither is confirmed. */
function unknownStation(stationId: string): Refusal {
	return refusal('NOT_FOUND', `There is no station with id ${stationId}.`, 'station_unknown');
}

function accountWhere(ref: AccountRef) {
	return and(
		eq(users.stationId, ref.stationId),
		ref.userId !== undefined ? eq(users.id, ref.userId) : eq(users.login, ref.login)
	);
}

/** The error for a lookup that matched nothing: the station or the account is missing. */
async function unknownAccount(db: Queryable, ref: AccountRef): Promise<Refusal> {
	const station = await requireStation(db, ref.stationId);
	const who = ref.userId !== undefined ? `with id ${ref.userId}` : `"${ref.login}"`;
	return refusal(
		'NOT_FOUND',
		`There is no user ${who} in station ${station.code}.`,
		'account_unknown'
	);
}
