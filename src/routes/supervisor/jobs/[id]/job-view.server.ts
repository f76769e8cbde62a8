/**
 * What the job page shows, read for the signed-in reader of the station's jobs (the desk,
 * supervisors, station administrators): the job, its change history, the technicians it can
 * be assigned to and which decisions this reader may take (roles.md). Served as JSON (job.json) so that the page's load
 * runs in the browser too and can fall back to the copy kept on the device when offline.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { isSupervisor, worksTheDesk } from '$lib/shared/roles';
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
	// The desk and supervisors dispatch and cancel; only supervisors verify and read the
	// technicians' scorecards; a station administrator reads the job and decides nothing.
	const mayDispatch = worksTheDesk(user);
	const isSupervisorView = isSupervisor(user);
	const jobId = jobIdOf(event);
	const caller = await serverCaller(event);
	try {
		const [detail, history, technicians, acceptedFlags, positions, receipt] = await Promise.all([
			caller.jobs.detail({ id: jobId }),
			caller.jobs.history({ jobId }),
			mayDispatch ? caller.jobs.dispatchTechnicians() : [],
			// Flags a supervisor accepted, with who, when and why (review/flag-acceptance.ts).
			isSupervisorView ? caller.review.jobAcceptedFlags({ jobId }) : [],
			// Where arrival and completion happened: supervisors only (jobs/positions.ts).
			isSupervisorView ? caller.jobs.positions({ jobId }) : [],
			// The customer's signature, as the receipt shows it (jobs/receipt.ts).
			caller.jobs.receipt({ jobId })
		]);
		return {
			timeZone: user.timeZone,
			mayDispatch,
			mayVerify: isSupervisorView,
			/** Who did a completed job is a supervisor's correction (jobs/service.ts assignJob). */
			reassignsCompleted: isSupervisorView,
			readsScorecards: isSupervisorView,
			detail,
			history,
			technicians,
			acceptedFlags,
			positions,
			signature: receipt.signature
		};
	} catch (caught) {
		if (formRefusal(caught).code === 'NOT_FOUND') error(404, m.jb_not_found());
		throw caught;
	}
}

export type JobView = Awaited<ReturnType<typeof readJobView>>;
