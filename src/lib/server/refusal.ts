/**
 * The one error a domain service throws when it refuses (a rule, a permission, a missing or
 * taken thing): a kind, a stable reason (key and params) and an English message for the
 * server's log and for push answers. It knows nothing of tRPC or forms; those map it in one
 * place each: trpc/core.ts (a tRPC error, worded in the request's language by refusal-text.ts)
 * and trpc/form-refusal.ts (a form action's failure). A device words the reason itself
 * (shared/sync.ts, rejectionReasonSchema). Reasons name jobs by number, never by id.
 */
import type { z } from 'zod/mini';
import { UNSTORABLE_TEXT_MESSAGE } from '../shared/schemas';
import type { RejectionReason } from '../shared/sync';

type RefusalKind = 'bad_request' | 'forbidden' | 'not_found' | 'conflict';

/** A kind as the factory takes it, and as tRPC and push answers spell it. */
type RefusalCode = Uppercase<RefusalKind>;

export class Refusal extends Error {
	readonly kind: RefusalKind;

	constructor(
		code: RefusalCode,
		message: string,
		readonly reason: RejectionReason,
		cause?: unknown
	) {
		super(message, { cause });
		this.name = 'Refusal';
		this.kind = code.toLowerCase() as RefusalKind;
	}

	get code(): RefusalCode {
		return this.kind.toUpperCase() as RefusalCode;
	}
}

export function refusal(
	code: RefusalCode,
	message: string,
	key: string,
	params: RejectionReason['params'] = {},
	cause?: unknown
): Refusal {
	return new Refusal(code, message, { key, params }, cause);
}

/** The refusal an error is, or carries as its cause (a tRPC error made from one). */
export function refusalIn(error: unknown): Refusal | null {
	if (error instanceof Refusal) return error;
	if (error instanceof Error && error.cause instanceof Refusal) return error.cause;
	return null;
}

/** The reason for the first problem zod found (the message lists them all). */
export function invalidFieldReason(issues: readonly z.core.$ZodIssue[]): RejectionReason {
	const [issue] = issues;
	if (!issue) return { key: 'invalid_field', params: { field: '', problem: 'invalid' } };
	const path = issue.path.map(String).join('.');
	const reason = (problem: string, extra: Record<string, string | number> = {}) => ({
		key: 'invalid_field',
		params: { field: path, problem, ...extra }
	});
	switch (issue.code) {
		case 'unrecognized_keys':
			return reason('unknown_key', {
				field: issue.keys.map((key) => (path ? `${path}.${key}` : key)).join(', ')
			});
		case 'invalid_format':
			return reason(issue.message === UNSTORABLE_TEXT_MESSAGE ? 'unstorable' : 'invalid');
		case 'too_small':
			if (issue.origin === 'string') return reason('required');
			return reason(issue.origin === 'date' ? 'date' : 'invalid');
		case 'too_big':
			if (issue.origin === 'string') return reason('too_long', { max: Number(issue.maximum) });
			return reason(issue.origin === 'date' ? 'date' : 'invalid');
		case 'invalid_type':
			if (issue.expected === 'date') return reason('date');
			return reason(issue.input === undefined ? 'required' : 'invalid');
		case 'invalid_value':
			return reason('choose');
		case 'custom':
			return reason(path === '' ? 'times_unchanged' : 'invalid');
		default:
			return reason('invalid');
	}
}
