import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z } from 'zod';
import type { Database } from '../db';
import type { SessionUser } from '../auth/session-user';
import type { UserRole } from '../../shared/domain';

export interface Context {
	db: Database;
	/** Null when the request carries no valid session. */
	user: SessionUser | null;
}

const t = initTRPC.context<Context>().create({
	transformer: superjson,
	isDev: process.env.NODE_ENV !== 'production',
	errorFormatter({ shape, error }) {
		return {
			...shape,
			data: {
				...shape.data,
				// Field-level problems, so a form can show each one beside its input.
				// (core's $ZodError: the shared schemas are zod/mini, whose errors are not classic ZodErrors)
				issues:
					error.cause instanceof z.core.$ZodError
						? error.cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
						: null,
				// Stack traces never leave the server in production.
				stack: process.env.NODE_ENV === 'production' ? undefined : shape.data.stack
			}
		};
	}
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/** Any signed-in account: one's own account (auth.me, a password change) and administration. */
export const signedInProcedure = t.procedure.use(({ ctx, next }) => {
	if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
	return next({ ctx: { ...ctx, user: ctx.user } });
});

/**
 * Station work: jobs, sync, scorecards. The domain services scope by station and treat every
 * role but technician as station-wide, so the system administrator, who manages stations and
 * accounts and reads no jobs (roles.md), is kept out here once for all of them.
 */
export const authedProcedure = signedInProcedure.use(({ ctx, next }) => {
	if (ctx.user.role === 'system_admin') {
		throw new TRPCError({
			code: 'FORBIDDEN',
			message: 'A system administrator manages stations and accounts, not station work.'
		});
	}
	return next({ ctx });
});

/** A procedure only the given roles may call; everything else is FORBIDDEN with a reason. */
export function roleProcedure(...roles: UserRole[]) {
	return signedInProcedure.use(({ ctx, next }) => {
		if (!roles.includes(ctx.user.role)) {
			throw new TRPCError({
				code: 'FORBIDDEN',
				message: `This needs the role ${roles.join(' or ')}; you are signed in as ${ctx.user.role}.`
			});
		}
		return next({ ctx });
	});
}
