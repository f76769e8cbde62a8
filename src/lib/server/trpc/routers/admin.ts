/**
 * Administration of stations and their accounts, for the admin role only. Admins manage every
 * station; supervisors and technicians get FORBIDDEN from roleProcedure.
 */
import { TRPCError } from '@trpc/server';
import { asc, count, eq } from 'drizzle-orm';
import { roleProcedure, router } from '../core';
import { stations, users } from '../../db/schema';
import {
	AccountError,
	createAccount,
	listAccounts,
	setAccountActive,
	setPassword
} from '../../auth/accounts';
import {
	newStationSchema,
	newStationUserSchema,
	setUserActiveSchema,
	setUserPasswordSchema,
	stationRefSchema
} from '../../../shared/schemas';

const adminProcedure = roleProcedure('admin');

const stationColumns = {
	id: stations.id,
	code: stations.code,
	name: stations.name,
	timeZone: stations.timeZone
};

const stationsAdminRouter = router({
	list: adminProcedure.query(({ ctx }) =>
		ctx.db
			.select({ ...stationColumns, userCount: count(users.id) })
			.from(stations)
			.leftJoin(users, eq(users.stationId, stations.id))
			.groupBy(stations.id)
			.orderBy(asc(stations.code))
	),
	create: adminProcedure.input(newStationSchema).mutation(async ({ ctx, input }) => {
		const [created] = await ctx.db
			.insert(stations)
			.values(input)
			.onConflictDoNothing({ target: stations.code })
			.returning(stationColumns);
		if (!created) {
			throw new TRPCError({
				code: 'CONFLICT',
				message: `The station code "${input.code}" is already taken.`
			});
		}
		return created;
	})
});

const usersAdminRouter = router({
	list: adminProcedure
		.input(stationRefSchema)
		.query(({ ctx, input }) => withAccountErrors(() => listAccounts(ctx.db, input.stationId))),
	create: adminProcedure
		.input(newStationUserSchema)
		.mutation(({ ctx, input }) => withAccountErrors(() => createAccount(ctx.db, input))),
	setPassword: adminProcedure
		.input(setUserPasswordSchema)
		.mutation(({ ctx, input }) => withAccountErrors(() => setPassword(ctx.db, input))),
	setActive: adminProcedure.input(setUserActiveSchema).mutation(({ ctx, input }) => {
		if (!input.active && input.userId === ctx.user.id && input.stationId === ctx.user.stationId) {
			throw new TRPCError({
				code: 'BAD_REQUEST',
				message: 'You cannot deactivate your own account; ask another admin.'
			});
		}
		return withAccountErrors(() => setAccountActive(ctx.db, input));
	})
});

export const adminRouter = router({
	stations: stationsAdminRouter,
	users: usersAdminRouter
});

async function withAccountErrors<T>(action: () => Promise<T>): Promise<T> {
	try {
		return await action();
	} catch (error) {
		if (!(error instanceof AccountError)) throw error;
		throw new TRPCError({
			code: error.kind === 'duplicate_login' ? 'CONFLICT' : 'NOT_FOUND',
			message: error.message,
			cause: error
		});
	}
}
