/**
 * /supervisor/appeals: technicians' appeals of reworks and flags on their jobs
 * (review/appeals.ts), pending first, for a supervisor to accept or reject with a reason. Plain
 * form posts through the tRPC API as the signed-in supervisor, so the roles and the audit's
 * "who" come from the service.
 */
import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { APPEAL_REASON_MAX } from '$lib/shared/appeal-schemas';
import { requireSupervisorPage } from '../../access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireSupervisorPage(event.locals);
	const caller = await serverCaller(event);
	return { timeZone: user.timeZone, appeals: await caller.appeals.list({}) };
};

const decisionForm = z.object({
	appealId: z.uuid(),
	decision: z.enum(['accept', 'reject']),
	jobNo: z.string().max(100),
	reason: z.string().trim().max(APPEAL_REASON_MAX)
});

export const actions: Actions = {
	decide: async (event) => {
		requireSupervisorPage(event.locals);
		const form = decisionForm.safeParse(Object.fromEntries(await event.request.formData()));
		if (!form.success) return fail(400, { refused: m.error_unexpected() });
		const { appealId, decision, jobNo, reason } = form.data;
		if (reason === '') return fail(400, { appealId, missingReason: true });
		try {
			await (
				await serverCaller(event)
			).appeals.decide({ appealId, accept: decision === 'accept', reason });
		} catch (caught) {
			const refused = formRefusal(caught);
			return fail(refused.status, { refused: refused.message });
		}
		return {
			done:
				decision === 'accept'
					? m.ap_appeals_accepted_done({ jobNo })
					: m.ap_appeals_rejected_done({ jobNo })
		};
	}
};
