/**
 * What every settings form's validation shares. Validation problems are BAD_REQUEST refusals
 * whose cause is a ZodError: API clients get the field path and an English message, and each
 * issue carries `params.problem` (a SettingsProblem) plus its numbers, so the settings page can
 * say the same in the reader's language.
 */
import { z, ZodRealError } from 'zod';
import { refusal, type Refusal } from '../../refusal';

/** What a settings issue's `params.problem` says; the settings page words each one. */
export type SettingsProblem =
	| 'not_a_number'
	| 'out_of_range'
	| 'rate_out_of_range'
	| 'negative'
	| 'threshold_incomplete'
	| 'threshold_equal'
	| 'excellent_not_above_pass'
	| 'excellent_not_below_pass'
	| 'weight_without_threshold'
	| 'nothing_scored'
	| 'required'
	| 'too_long'
	| 'code_format'
	| 'code_taken'
	| 'nothing_to_change'
	| 'ahp_too_few'
	| 'ahp_duplicate'
	| 'ahp_matrix_size'
	| 'ahp_matrix_invalid'
	| 'ahp_inconsistent'
	| 'ahp_kpi_not_scored'
	| 'effective_date_invalid'
	| 'effective_date_past'
	| 'effective_date_too_far';

export function addProblem(
	ctx: z.RefinementCtx,
	path: PropertyKey[],
	problem: SettingsProblem,
	message: string,
	params: Record<string, unknown> = {}
) {
	ctx.addIssue({ code: 'custom', path, message, params: { problem, ...params } });
}

/** A refusal shaped like an input validation error, for rules that need the database. */
export function invalidInput(
	path: PropertyKey[],
	problem: SettingsProblem,
	message: string,
	params: Record<string, unknown> = {},
	code: 'BAD_REQUEST' | 'CONFLICT' = 'BAD_REQUEST'
): Refusal {
	const field = path.join('.');
	return refusal(
		code,
		`${field}: ${message}`,
		'invalid_field',
		{ field, problem },
		// ZodRealError is the Error subclass zod's parse throws, as tRPC's own input errors carry.
		new ZodRealError([
			{ code: 'custom', path, message, params: { problem, ...params }, input: undefined }
		])
	);
}

/** A finite number: NaN and ±Infinity (an unparsable form field) are "not a number" too. */
export const numberValue = z.custom<number>(
	(value) => typeof value === 'number' && Number.isFinite(value),
	{ message: 'must be a number', params: { problem: 'not_a_number' } }
);

export function wholeNumberIn(range: { min: number; max: number }) {
	return numberValue.refine(
		(value) => Number.isInteger(value) && value >= range.min && value <= range.max,
		{
			message: `must be a whole number from ${range.min} to ${range.max}`,
			params: { problem: 'out_of_range', ...range }
		}
	);
}

export function requiredText(max: number) {
	return z
		.string({ error: 'must be text' })
		.trim()
		.refine((text) => text.length > 0, {
			message: 'is required',
			params: { problem: 'required' }
		})
		.refine((text) => text.length <= max, {
			message: `must be at most ${max} characters`,
			params: { problem: 'too_long', max }
		});
}
