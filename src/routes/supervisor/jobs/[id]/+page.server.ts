/**
 * /supervisor/jobs/[id]: the supervisor's two decisions on a job, reassign and verify. What the
 * page shows is loaded by +page.ts from job.json, so that it can be read offline too. The
 * actions are plain form posts (they work without JavaScript; use:enhance keeps the page in
 * place) that call the tRPC API as the signed-in user, so permissions and the history's actor
 * come from the jobs service.
 */
import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { requireSupervisorPage } from '../../../access';
import { jobIdOf } from './job-view.server';
import type { Actions } from './$types';

export type JobActionProblem =
	'technician_invalid' | 'not_completed' | 'job_not_found' | 'forbidden' | 'unknown';

export type JobActionResult =
	| { action: 'assign'; problem: JobActionProblem }
	| { action: 'assign'; assignedTo: string; changed: boolean }
	| { action: 'verify'; problem: JobActionProblem }
	| { action: 'verify'; verified: true };

/** The reason a refused call gives, as a code the page translates. */
function problemOf(caught: unknown, badRequest: JobActionProblem): JobActionProblem {
	switch (formRefusal(caught).code) {
		case 'BAD_REQUEST':
			return badRequest;
		case 'NOT_FOUND':
			return 'job_not_found';
		case 'FORBIDDEN':
			return 'forbidden';
		default:
			return 'unknown';
	}
}

export const actions: Actions = {
	assign: async (event) => {
		requireSupervisorPage(event.locals);
		const jobId = jobIdOf(event);
		const form = await event.request.formData();
		const technicianId = z.uuid().safeParse(String(form.get('technicianId') ?? ''));
		if (!technicianId.success) {
			return fail(400, { action: 'assign', problem: 'technician_invalid' } as JobActionResult);
		}
		const caller = await serverCaller(event);
		try {
			const before = await caller.jobs.detail({ id: jobId });
			const after = await caller.jobs.assign({ jobId, technicianId: technicianId.data });
			const { technicianName } = await caller.jobs.detail({ id: jobId });
			return {
				action: 'assign',
				assignedTo: technicianName,
				changed: before.job.technicianId !== after.technicianId
			} as JobActionResult;
		} catch (caught) {
			const problem = problemOf(caught, 'technician_invalid');
			return fail(problem === 'job_not_found' ? 404 : 400, {
				action: 'assign',
				problem
			} as JobActionResult);
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
			const problem = problemOf(caught, 'not_completed');
			return fail(problem === 'job_not_found' ? 404 : 400, {
				action: 'verify',
				problem
			} as JobActionResult);
		}
	}
};
