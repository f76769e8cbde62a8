/**
 * /supervisor/jobs/[id]: the decisions on a job: assign or reassign and cancel (the desk and
 * supervisors), verify (supervisors). What the page shows is loaded by +page.ts from job.json,
 * so that it can be read offline too. The actions are plain form posts (they work without
 * JavaScript; use:enhance keeps the page in place) that call the tRPC API as the signed-in
 * user, so permissions and the history's actor come from the jobs service.
 */
import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { requireDeskPage, requireSupervisorPage } from '../../../access';
import { jobIdOf } from './job-view.server';
import type { Actions } from './$types';

export type JobActionProblem =
	| 'technician_invalid'
	| 'not_completed'
	| 'reason_required'
	| 'job_not_found'
	| 'forbidden'
	| 'unknown';

/** A refused action: a problem the page words, or the service's own reason, already worded. */
type Refused<A extends string> = { action: A; problem: JobActionProblem; message?: string };

export type JobActionResult =
	| Refused<'assign'>
	| { action: 'assign'; assignedTo: string; changed: boolean }
	| Refused<'verify'>
	| { action: 'verify'; verified: true }
	| Refused<'cancel'>
	| { action: 'cancel'; cancelled: true };

/** The reason a refused call gives: the service's words when it said why, else a code. */
function refused<A extends string>(action: A, caught: unknown, badRequest: JobActionProblem) {
	const { code, refusal, message } = formRefusal(caught);
	const problem: JobActionProblem =
		code === 'BAD_REQUEST'
			? badRequest
			: code === 'NOT_FOUND'
				? 'job_not_found'
				: code === 'FORBIDDEN'
					? 'forbidden'
					: 'unknown';
	const answer: Refused<A> = refusal ? { action, problem, message } : { action, problem };
	return fail(problem === 'job_not_found' ? 404 : 400, answer);
}

/** A reason typed in a form: trimmed, absent when blank. */
function reasonOf(form: FormData): string | undefined {
	const reason = String(form.get('reason') ?? '').trim();
	return reason === '' ? undefined : reason;
}

export const actions: Actions = {
	assign: async (event) => {
		requireDeskPage(event.locals);
		const jobId = jobIdOf(event);
		const form = await event.request.formData();
		const technicianId = z.uuid().safeParse(String(form.get('technicianId') ?? ''));
		if (!technicianId.success) {
			return fail(400, { action: 'assign', problem: 'technician_invalid' } as JobActionResult);
		}
		const caller = await serverCaller(event);
		try {
			const before = await caller.jobs.detail({ id: jobId });
			const after = await caller.jobs.assign({
				jobId,
				technicianId: technicianId.data,
				reason: reasonOf(form)
			});
			const { technicianName } = await caller.jobs.detail({ id: jobId });
			return {
				action: 'assign',
				assignedTo: technicianName ?? '',
				changed: before.job.technicianId !== after.technicianId
			} as JobActionResult;
		} catch (caught) {
			return refused('assign', caught, 'technician_invalid');
		}
	},
	cancel: async (event) => {
		requireDeskPage(event.locals);
		const jobId = jobIdOf(event);
		const reason = reasonOf(await event.request.formData());
		if (!reason) {
			return fail(400, { action: 'cancel', problem: 'reason_required' } as JobActionResult);
		}
		const caller = await serverCaller(event);
		try {
			await caller.jobs.cancel({ jobId, reason });
			return { action: 'cancel', cancelled: true } as JobActionResult;
		} catch (caught) {
			return refused('cancel', caught, 'unknown');
		}
	},
	verify: async (event) => {
		requireSupervisorPage(event.locals);
		const jobId = jobIdOf(event);
		const caller = await serverCaller(event);
		try {
			await caller.jobs.verify({ jobId });
			return { action: 'verify', verified: true } as JobActionResult;
		} catch (caught) {
			return refused('verify', caught, 'not_completed');
		}
	}
};
