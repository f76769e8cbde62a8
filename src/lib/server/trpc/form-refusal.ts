/**
 * The one place a refused call becomes what a route's form action or load answers (its
 * `fail(...)` or `error(...)`): the HTTP status, the domain refusal (refusal.ts) if it was one,
 * the field problems of a validation verdict, and the message in the request's language, as
 * the tRPC error formatter words it. A route calls the API through serverCaller, so what it
 * catches is a tRPC error; a service called directly throws the refusal itself. Anything that
 * is not a refusal (a server fault, a database outage) is rethrown.
 */
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { refusalIn, type Refusal } from '../refusal';
import { clientMessage, trpcErrorOf, validationErrorIn } from './core';

const STATUS = {
	BAD_REQUEST: 400,
	UNAUTHORIZED: 401,
	FORBIDDEN: 403,
	NOT_FOUND: 404,
	CONFLICT: 409
} as const;

interface FormRefusal {
	code: keyof typeof STATUS;
	status: (typeof STATUS)[keyof typeof STATUS];
	/** A domain service's refusal, with its reason; null for the API's own (a role, the input). */
	refusal: Refusal | null;
	/** Field by field, when the input (or a service's check of it) was refused. */
	issues: readonly z.core.$ZodIssue[];
	/** For a person, in the request's language. */
	message: string;
}

export function formRefusal(caught: unknown): FormRefusal {
	const domain = refusalIn(caught);
	const error = caught instanceof TRPCError ? caught : domain ? trpcErrorOf(domain) : null;
	if (!error || !(error.code in STATUS)) throw caught;
	const code = error.code as keyof typeof STATUS;
	return {
		code,
		status: STATUS[code],
		refusal: refusalIn(error),
		issues: validationErrorIn(error)?.issues ?? [],
		message: clientMessage(error, undefined)
	};
}
