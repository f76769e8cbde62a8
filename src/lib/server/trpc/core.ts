import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z } from 'zod';
import type { Database } from '../db';
import { isRetryableDatabaseError } from '../db/outage';
import { logServerError } from '../http/server-errors';
import { Refusal, refusalIn } from '../refusal';
import { refusalText } from '../refusal-text';
import { m } from '../../paraglide/messages.js';
import type { SessionUser } from '../auth/session-user';
import type { UserRole } from '../../shared/domain';
import { roleAlternatives, roleName } from '../../shared/role-names';

export interface Context {
	db: Database;
	/** The read replica (READ_DATABASE_URL) for the read-only procedures; see db/read-replica.ts. */
	readDb?: Database;
	/** Null when the request carries no valid session. */
	user: SessionUser | null;
}

const t = initTRPC.context<Context>().create({
	transformer: superjson,
	// Never the development shape (stack traces), whatever NODE_ENV says.
	isDev: false,
	errorFormatter({ shape, error, path }) {
		const { stack: _stack, ...data } = shape.data;
		return {
			...shape,
			// A server fault's own message may hold SQL, a file path or a parameter: the client gets
			// a generic one in its language and an id to find the detail in the server log.
			message: clientMessage(error, path),
			data: {
				...data,
				// Field-level problems, so a form can show each one beside its input.
				issues:
					validationErrorIn(error)?.issues.map((i) => ({
						path: i.path.join('.'),
						message: i.message
					})) ?? null
			}
		};
	}
});

/** Codes whose message the procedures wrote for a person: kept as they are. */
const CLIENT_FAULT_CODES = new Set([
	'BAD_REQUEST',
	'UNAUTHORIZED',
	'FORBIDDEN',
	'NOT_FOUND',
	'CONFLICT',
	'PRECONDITION_FAILED',
	'PAYLOAD_TOO_LARGE',
	'TOO_MANY_REQUESTS',
	'METHOD_NOT_SUPPORTED',
	'UNPROCESSABLE_CONTENT'
]);

export function clientMessage(error: TRPCError, path: string | undefined): string {
	if (error.code === 'SERVICE_UNAVAILABLE') return m.http_database_unavailable();
	// The parser's message quotes the unreadable input back.
	if (error.code === 'PARSE_ERROR' || error.cause instanceof SyntaxError) {
		return m.http_request_unreadable();
	}
	if (!CLIENT_FAULT_CODES.has(error.code)) {
		const errorId = logServerError(`tRPC ${path ?? '(no procedure)'}`, error);
		return m.http_server_error({ errorId });
	}
	// A domain refusal and a schema's verdict carry English for the server's own callers and
	// logs; a person reads them in the request's language (zod's issues stay in data.issues).
	const invalid = validationErrorIn(error);
	if (invalid) {
		const fields = [...new Set(invalid.issues.map((issue) => issue.path.join('.')))];
		return m.srv_invalid_input({ fields: fields.filter(Boolean).join(', ') || '—' });
	}
	const refusal = refusalIn(error);
	if (refusal) return refusalText(refusal.reason);
	return error.message;
}

/**
 * The field problems behind an error: the input schema's (tRPC makes the zod error the cause),
 * or those of a service's refusal that is a validation verdict (the refusal's cause).
 * (core's $ZodError: the shared schemas are zod/mini, whose errors are not classic ZodErrors)
 */
export function validationErrorIn(error: TRPCError): z.core.$ZodError | null {
	const cause = refusalIn(error)?.cause ?? error.cause;
	return cause instanceof z.core.$ZodError ? cause : null;
}

/**
 * The one place a domain refusal (refusal.ts) becomes a tRPC error: its kind is the code, its
 * English message stays the message (logs and server-side callers), and it stays the cause,
 * which the error formatter words in the request's language and form actions read
 * (form-refusal.ts).
 */
export function trpcErrorOf(refusal: Refusal): TRPCError {
	return new TRPCError({ code: refusal.code, message: refusal.message, cause: refusal });
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * A request that failed because the database was unreachable or lost a race is not a server
 * fault: SERVICE_UNAVAILABLE (HTTP 503, Retry-After from the hooks) tells the phone to retry.
 */
const databaseOutage = t.middleware(async ({ next }) => {
	const result = await next();
	if (!result.ok && isRetryableDatabaseError(result.error)) {
		logServerError('database unavailable', result.error);
		throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', cause: result.error });
	}
	return result;
});

/** A service's refusal thrown in a procedure answers with its own code (trpcErrorOf). */
const domainRefusals = t.middleware(async ({ next }) => {
	const result = await next();
	// tRPC wraps whatever a procedure throws that is not its own error: the refusal is the cause.
	if (!result.ok && result.error.cause instanceof Refusal) throw trpcErrorOf(result.error.cause);
	return result;
});

export const publicProcedure = t.procedure.use(databaseOutage).use(domainRefusals);

/** Any signed-in account: one's own account (auth.me, a password change) and administration. */
export const signedInProcedure = publicProcedure.use(({ ctx, next }) => {
	if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: m.srv_sign_in_first() });
	return next({ ctx: { ...ctx, user: ctx.user } });
});

/**
 * Station work: jobs, sync, scorecards. The domain services scope by station and treat every
 * role but technician as station-wide, so the system administrator, who manages stations and
 * accounts and reads no jobs, and the region manager, who reads their region through its own
 * procedures (routers/region.ts) and writes nothing (roles.md), are kept out here once for all
 * of them: every write path (procedures, the sync push) refuses them.
 */
export const authedProcedure = signedInProcedure.use(({ ctx, next }) => {
	if (ctx.user.role === 'system_admin') {
		throw new TRPCError({
			code: 'FORBIDDEN',
			message: m.srv_system_admin_no_station_work()
		});
	}
	if (ctx.user.role === 'region_manager') {
		throw new TRPCError({ code: 'FORBIDDEN', message: m.region_no_station_work() });
	}
	return next({ ctx });
});

/** A procedure only the given roles may call; everything else is FORBIDDEN with a reason. */
export function roleProcedure(...roles: UserRole[]) {
	return signedInProcedure.use(({ ctx, next }) => {
		if (!roles.includes(ctx.user.role)) {
			throw new TRPCError({
				code: 'FORBIDDEN',
				message: m.srv_role_required({
					roles: roleAlternatives(roles),
					role: roleName(ctx.user.role)
				})
			});
		}
		return next({ ctx });
	});
}
