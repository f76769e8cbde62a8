/**
 * Administration of stations and their accounts (roles.md, "Manage accounts" and "Create
 * stations"). A station administrator manages its own station's technicians and supervisors;
 * a system administrator every station and account up to station administrators. Who may
 * change what is decided in auth/accounts.ts and stations/admin.ts, for this API and the CLI
 * alike; their refusals answer like every other (core.ts): another station is NOT_FOUND (its
 * existence is not confirmed), a role or account beyond one's reach FORBIDDEN.
 */
import { roleProcedure, router } from '../core';
import type { SessionUser } from '../../auth/session-user';
import {
	GENERATE_PASSWORD,
	accountDetail,
	createAccount,
	listAccounts,
	renameAccount,
	setAccountActive,
	setPassword,
	setRegionStations,
	setRole,
	type AccountChange
} from '../../auth/accounts';
import { createStation, listManagedStations } from '../../stations/admin';
import { newStationSchema, stationRefSchema } from '../../../shared/schemas';
import {
	accountRefSchema,
	newStationUserSchema,
	renameUserSchema,
	setRegionStationsSchema,
	setUserActiveSchema,
	setUserPasswordSchema,
	setUserRoleSchema
} from '../../../shared/account-schemas';

const adminProcedure = roleProcedure('admin', 'system_admin');
const systemAdminProcedure = roleProcedure('system_admin');

const stationsAdminRouter = router({
	/** A station administrator sees its own station only. */
	list: adminProcedure.query(({ ctx }) => listManagedStations(ctx.db, ctx.user)),
	create: systemAdminProcedure
		.input(newStationSchema)
		.mutation(({ ctx, input }) => createStation(ctx.db, input, actorOf(ctx.user)))
});

const usersAdminRouter = router({
	list: adminProcedure
		.input(stationRefSchema)
		.query(({ ctx, input }) => listAccounts(ctx.db, input.stationId, actorOf(ctx.user))),
	/** One account with its audited history. */
	get: adminProcedure
		.input(accountRefSchema)
		.query(({ ctx, input }) => accountDetail(ctx.db, input, actorOf(ctx.user))),
	/** The answer carries a generated password: the only time anyone can read it. */
	create: adminProcedure.input(newStationUserSchema).mutation(({ ctx, input }) => {
		const { reason, generatePassword, password, ...account } = input;
		return createAccount(
			ctx.db,
			{ ...account, password: generatePassword ? GENERATE_PASSWORD : password },
			changeBy(ctx.user, reason)
		);
	}),
	setPassword: adminProcedure.input(setUserPasswordSchema).mutation(({ ctx, input }) => {
		const { reason, password, ...ref } = input;
		return setPassword(
			ctx.db,
			{ ...ref, password: password ?? GENERATE_PASSWORD },
			changeBy(ctx.user, reason)
		);
	}),
	setActive: adminProcedure.input(setUserActiveSchema).mutation(({ ctx, input }) => {
		const { reason, ...ref } = input;
		return setAccountActive(ctx.db, ref, changeBy(ctx.user, reason));
	}),
	/** The display name only; the account's sessions continue. */
	rename: adminProcedure.input(renameUserSchema).mutation(({ ctx, input }) => {
		const { reason, ...ref } = input;
		return renameAccount(ctx.db, ref, changeBy(ctx.user, reason));
	}),
	setRole: adminProcedure.input(setUserRoleSchema).mutation(({ ctx, input }) => {
		const { reason, ...ref } = input;
		return setRole(ctx.db, ref, changeBy(ctx.user, reason));
	}),
	/** The stations a region manager reads (roles.md, "assign regions": system administrators). */
	setRegionStations: systemAdminProcedure
		.input(setRegionStationsSchema)
		.mutation(({ ctx, input }) => {
			const { reason, ...ref } = input;
			return setRegionStations(ctx.db, ref, changeBy(ctx.user, reason));
		})
});

export const adminRouter = router({
	stations: stationsAdminRouter,
	users: usersAdminRouter
});

function actorOf(user: SessionUser): AccountChange['actor'] {
	return { kind: 'user', user };
}

function changeBy(user: SessionUser, reason: string | undefined): AccountChange {
	return { actor: actorOf(user), reason };
}
