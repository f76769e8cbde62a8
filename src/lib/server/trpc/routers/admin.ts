/**
 * Administration of stations and their accounts (roles.md, "Manage accounts" and "Create
 * stations"). A station administrator manages its own station's technicians and supervisors;
 * a system administrator every station and account up to station administrators. Who may
 * change what is decided in auth/accounts.ts, for this API and the CLI alike; here the
 * refusals become tRPC errors in the reader's language: another station is NOT_FOUND (its
 * existence is not confirmed), a role or account beyond one's reach FORBIDDEN.
 */
import { TRPCError } from '@trpc/server';
import { asc, count, eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages.js';
import { roleProcedure, router } from '../core';
import type { SessionUser } from '../../auth/session-user';
import { stations, users } from '../../db/schema';
import {
	AccountError,
	createAccount,
	listAccounts,
	setAccountActive,
	setPassword,
	setRole,
	type AccountChange
} from '../../auth/accounts';
import { passwordProblemMessage } from '../../auth/password-messages';
import {
	newStationSchema,
	newStationUserSchema,
	setUserActiveSchema,
	setUserPasswordSchema,
	setUserRoleSchema,
	stationRefSchema
} from '../../../shared/schemas';

const adminProcedure = roleProcedure('admin', 'system_admin');
const systemAdminProcedure = roleProcedure('system_admin');

const stationColumns = {
	id: stations.id,
	code: stations.code,
	name: stations.name,
	timeZone: stations.timeZone
};

const stationsAdminRouter = router({
	/** A station administrator sees its own station only. */
	list: adminProcedure.query(({ ctx }) =>
		ctx.db
			.select({ ...stationColumns, userCount: count(users.id) })
			.from(stations)
			.leftJoin(users, eq(users.stationId, stations.id))
			.where(ctx.user.role === 'system_admin' ? undefined : eq(stations.id, ctx.user.stationId))
			.groupBy(stations.id)
			.orderBy(asc(stations.code))
	),
	create: systemAdminProcedure.input(newStationSchema).mutation(async ({ ctx, input }) => {
		const [created] = await ctx.db
			.insert(stations)
			.values(input)
			.onConflictDoNothing({ target: stations.code })
			.returning(stationColumns);
		if (!created) {
			throw new TRPCError({
				code: 'CONFLICT',
				message: m.acc_station_code_taken({ code: input.code })
			});
		}
		return created;
	})
});

const usersAdminRouter = router({
	list: adminProcedure
		.input(stationRefSchema)
		.query(({ ctx, input }) =>
			withAccountErrors(() => listAccounts(ctx.db, input.stationId, actorOf(ctx.user)))
		),
	create: adminProcedure.input(newStationUserSchema).mutation(({ ctx, input }) => {
		const { reason, ...account } = input;
		return withAccountErrors(() => createAccount(ctx.db, account, changeBy(ctx.user, reason)));
	}),
	setPassword: adminProcedure.input(setUserPasswordSchema).mutation(({ ctx, input }) => {
		const { reason, ...ref } = input;
		return withAccountErrors(() => setPassword(ctx.db, ref, changeBy(ctx.user, reason)));
	}),
	setActive: adminProcedure.input(setUserActiveSchema).mutation(({ ctx, input }) => {
		const { reason, ...ref } = input;
		return withAccountErrors(() => setAccountActive(ctx.db, ref, changeBy(ctx.user, reason)));
	}),
	setRole: adminProcedure.input(setUserRoleSchema).mutation(({ ctx, input }) => {
		const { reason, ...ref } = input;
		return withAccountErrors(() => setRole(ctx.db, ref, changeBy(ctx.user, reason)));
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

/** An AccountError as the tRPC error a client shows, in the reader's language. */
export async function withAccountErrors<T>(action: () => Promise<T>): Promise<T> {
	try {
		return await action();
	} catch (error) {
		if (!(error instanceof AccountError)) throw error;
		const refusal = (code: TRPCError['code'], message: string) =>
			new TRPCError({ code, message, cause: error });
		switch (error.kind) {
			case 'unknown_station':
			case 'unknown_user':
				throw refusal('NOT_FOUND', m.acc_out_of_scope());
			case 'duplicate_login':
				throw refusal('CONFLICT', m.acc_duplicate_login({ login: error.detail.login ?? '' }));
			case 'weak_password':
				throw refusal(
					'BAD_REQUEST',
					error.detail.passwordProblem
						? passwordProblemMessage(error.detail.passwordProblem)
						: error.message
				);
			case 'wrong_password':
				throw refusal('BAD_REQUEST', m.acc_password_wrong_current());
			case 'role_not_allowed':
				throw refusal('FORBIDDEN', m.acc_role_not_allowed());
			case 'target_not_allowed':
				throw refusal('FORBIDDEN', m.acc_target_not_allowed());
		}
	}
}
