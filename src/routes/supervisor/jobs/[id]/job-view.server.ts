/**
 * What the job page shows, read for the signed-in supervisor: the job, its change history and
 * the technicians it can be reassigned to. Served as JSON (job.json) so that the page's load
 * runs in the browser too and can fall back to the copy kept on the device when offline.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { isSupervisor } from '$lib/shared/domain';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { jobReaderOfRequest } from '../../scorecard-request.server';

const jobIdSchema = z.uuid();

export function jobIdOf(event: RequestEvent): string {
	const parsed = jobIdSchema.safeParse(event.params.id);
	if (!parsed.success) error(404, m.jb_not_found());
	return parsed.data;
}

export async function readJobView(event: RequestEvent) {
	// An answer to fetch(): 401/403 the page's load understands, not a redirect to HTML.
	const user = jobReaderOfRequest(event.locals);
	// A station administrator reads the job but decides nothing on it (roles.md).
	const mayDecide = isSupervisor(user);
	const jobId = jobIdOf(event);
	const caller = await serverCaller(event);
	try {
		const [detail, history, technicians] = await Promise.all([
			caller.jobs.detail({ id: jobId }),
			caller.jobs.history({ jobId }),
			mayDecide ? caller.stations.technicianSummary() : []
		]);
		return {
			timeZone: user.timeZone,
			mayDecide,
			detail,
			history,
			technicians: technicians
				.filter((technician) => technician.active || technician.id === detail.job.technicianId)
				.map(({ id, name, login, active }) => ({ id, name, login, active }))
		};
	} catch (caught) {
		if (formRefusal(caught).code === 'NOT_FOUND') error(404, m.jb_not_found());
		throw caught;
	}
}

export type JobView = Awaited<ReturnType<typeof readJobView>>;
