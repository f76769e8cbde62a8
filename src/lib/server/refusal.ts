/**
 * A refusal by a domain service: a tRPC error (its English message for logs and push answers)
 * that also carries a stable reason, so a device can say it in its user's language
 * (shared/sync.ts, rejectionReasonSchema) and an HTTP answer says it in the request's
 * (refusal-text.ts, used by core.ts's error formatter). Reasons name jobs by number, never by id.
 */
import { TRPCError } from '@trpc/server';
import type { z } from 'zod/mini';
import { UNSTORABLE_TEXT_MESSAGE } from '../shared/schemas';
import type { RejectionReason } from '../shared/sync';

type RefusalCode = 'BAD_REQUEST' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

export class Refusal extends TRPCError {
	constructor(
		code: RefusalCode,
		message: string,
		readonly reason: RejectionReason,
		cause?: unknown
	) {
		super({ code, message, cause });
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
