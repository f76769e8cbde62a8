/**
 * The shared zod schemas' problems as sentences in the technician's language, per form field
 * (the schemas' own messages are English, for logs and API callers).
 */
import type { z } from 'zod/mini';
import { m } from '$lib/paraglide/messages.js';

export type FieldErrors = Record<string, string>;

/** Field name (the issue path joined by "."; "" for the whole form) → first problem with it. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of issues) {
		const field = issue.path.map(String).join('.');
		errors[field] ??= describe(issue, field);
	}
	return errors;
}

function describe(issue: z.core.$ZodIssue, field: string): string {
	const leaf = field.split('.').at(-1) ?? '';
	if (leaf === 'qty') return m.tech_error_quantity();
	switch (issue.code) {
		case 'too_small':
			if (issue.origin === 'string') {
				return leaf === 'reason' ? m.tech_error_reason_required() : m.tech_error_required();
			}
			return m.tech_error_invalid();
		case 'too_big':
			return issue.origin === 'string'
				? m.tech_error_too_long({ max: Number(issue.maximum) })
				: m.tech_error_invalid();
		case 'invalid_type':
			return issue.expected === 'date' ? m.tech_error_date() : m.tech_error_required();
		case 'invalid_value':
			return m.tech_error_choose();
		case 'custom':
			return field === '' ? m.tech_error_times_unchanged() : m.tech_error_invalid();
		default:
			return m.tech_error_invalid();
	}
}
