/**
 * /desk/overlaps: offline work that arrived after a job was reassigned (jobs/overlaps.ts), for
 * the desk (dispatchers and supervisors) to decide: give the job back to the technician who
 * worked it, or keep the new assignment. Plain form posts through the tRPC API as the signed-in
 * user, so the roles and the history's actor come from the service.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { worksTheDesk } from '$lib/shared/roles';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import type { Actions, PageServerLoad } from './$types';

function requireDeskPage(locals: App.Locals) {
	if (!locals.user) redirect(303, '/login');
	if (!worksTheDesk(locals.user)) error(403, m.error_forbidden());
	return locals.user;
}

export const load: PageServerLoad = async (event) => {
	const user = requireDeskPage(event.locals);
	const caller = await serverCaller(event);
	return { timeZone: user.timeZone, overlaps: await caller.overlaps.list() };
};

const decisionForm = z.object({
	jobId: z.uuid(),
	technicianId: z.uuid(),
	jobNo: z.string().max(100),
	name: z.string().max(200)
});

async function decide(event: Parameters<Actions[string]>[0], decision: 'returned' | 'kept') {
	requireDeskPage(event.locals);
	const form = decisionForm.safeParse(Object.fromEntries(await event.request.formData()));
	if (!form.success) return fail(400, { refused: m.error_unexpected() });
	const { jobId, technicianId, jobNo, name } = form.data;
	try {
		await (await serverCaller(event)).overlaps.resolve({ jobId, technicianId, decision });
	} catch (caught) {
		const refused = formRefusal(caught);
		return fail(refused.status, { refused: refused.message });
	}
	return {
		done:
			decision === 'returned'
				? m.sync_overlaps_returned_done({ jobNo, name })
				: m.sync_overlaps_kept_done({ jobNo })
	};
}

export const actions: Actions = {
	return: (event) => decide(event, 'returned'),
	keep: (event) => decide(event, 'kept')
};
