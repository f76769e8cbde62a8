/**
 * What the receipt page and its PDF share: the desk and supervisors (roles.md: the desk prints
 * and sends what the customer is given), the job the address names, its receipt read through
 * the API as the signed-in user (jobs/receipt.ts checks the scope again).
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { requireDeskPage } from '../../../../access';
import { jobIdOf } from '../job-view.server';

export async function readReceipt(event: RequestEvent) {
	requireDeskPage(event.locals);
	const jobId = jobIdOf(event);
	const caller = await serverCaller(event);
	try {
		return await caller.jobs.receipt({ jobId });
	} catch (caught) {
		if (formRefusal(caught).code === 'NOT_FOUND') error(404, m.jb_not_found());
		throw caught;
	}
}
