/**
 * /supervisor/quality: a supervisor accepts a flag on a job with a reason (review.acceptFlag,
 * audited in job_flag_acceptances). What the page shows is loaded by +page.ts from data.json;
 * the action is a plain form post that calls the tRPC API as the signed-in user, so the
 * service's own rule (supervisors only) decides.
 */
import { fail } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { requireSupervisorPage } from '../../access';
import type { Actions } from './$types';

export type AcceptFlagResult = { accepted: string } | { problem: string };

export const actions: Actions = {
	acceptFlag: async (event) => {
		requireSupervisorPage(event.locals);
		const form = await event.request.formData();
		const input = {
			jobId: String(form.get('jobId') ?? ''),
			flag: String(form.get('flag') ?? ''),
			reason: String(form.get('reason') ?? '')
		};
		const caller = await serverCaller(event);
		try {
			// The API validates the input (a blank reason, an unknown flag) and words its refusal.
			const accepted = await caller.review.acceptFlag(input as never);
			return { accepted: accepted.flag } satisfies AcceptFlagResult;
		} catch (caught) {
			const { status, message } = formRefusal(caught);
			return fail(status, { problem: message } satisfies AcceptFlagResult);
		}
	}
};
