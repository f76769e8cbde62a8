/**
 * What the administration pages' form actions answer when the API refuses: the action's name,
 * the message in the request's language (refusal-text.ts, or the validation's field problems)
 * and the fields concerned, so the page shows it beside the form that was sent.
 */
import { fail } from '@sveltejs/kit';
import { formRefusal } from '$lib/server/trpc/form-refusal';

export function refused(action: string, caught: unknown) {
	const { status, message, issues } = formRefusal(caught);
	return fail(status, {
		action,
		message,
		fields: issues.map((issue) => String(issue.path[0] ?? ''))
	});
}

/** A form's text field: absent and empty are both "not given". */
export function textField(form: FormData, name: string): string | undefined {
	const value = form.get(name);
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
