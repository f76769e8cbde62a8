/**
 * /supervisor/jobs/[id]: one job with everything recorded about it, its change history, and the
 * supervisor's two decisions: reassign and verify. The actions are plain form posts (they work
 * without JavaScript; use:enhance keeps the page in place) that call the tRPC API as the
 * signed-in user, so permissions and the history's actor come from the jobs service.
 */
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { serverCaller } from '$lib/server/trpc/caller';
import { requireSupervisor } from '../../../access';
import type { Actions, PageServerLoad } from './$types';

export type JobActionProblem =
	'technician_invalid' | 'not_completed' | 'job_not_found' | 'forbidden' | 'unknown';

export type JobActionResult =
	| { action: 'assign'; problem: JobActionProblem }
	| { action: 'assign'; assignedTo: string; changed: boolean }
	| { action: 'verify'; problem: JobActionProblem }
	| { action: 'verify'; verified: true };

const jobIdSchema = z.uuid();

function jobIdOf(event: RequestEvent): string {
	const parsed = jobIdSchema.safeParse(event.params.id);
	if (!parsed.success) error(404, m.jb_not_found());
	return parsed.data;
}

export const load: PageServerLoad = async (event) => {
	const user = requireSupervisor(event.locals);
	const jobId = jobIdOf(event);
	const caller = await serverCaller(event);
	try {
		const [detail, history, technicians] = await Promise.all([
			caller.jobs.detail({ id: jobId }),
			caller.jobs.history({ jobId }),
			caller.stations.technicianSummary()
		]);
		return {
			timeZone: user.timeZone,
			detail,
			history,
			technicians: technicians
				.filter((technician) => technician.active || technician.id === detail.job.technicianId)
				.map(({ id, name, login, active }) => ({ id, name, login, active }))
		};
	} catch (caught) {
		if (caught instanceof TRPCError && caught.code === 'NOT_FOUND') error(404, m.jb_not_found());
		throw caught;
	}
};

/** The reason a refused call gives, as a code the page translates. */
function problemOf(caught: unknown, badRequest: JobActionProblem): JobActionProblem {
	if (!(caught instanceof TRPCError)) throw caught;
	switch (caught.code) {
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
		requireSupervisor(event.locals);
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
		requireSupervisor(event.locals);
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
