/** What each kind of change is called on the technician's screens. */
import { m } from '$lib/paraglide/messages.js';
import type { MutationName } from '$lib/shared/sync';

const names: Record<MutationName, () => string> = {
	'job.create': m.tech_change_job_create,
	'job.update': m.tech_change_job_update,
	'job.arrive': m.tech_change_job_arrive,
	'job.start': m.tech_change_job_start,
	'job.complete': m.tech_change_job_complete,
	'job.setTimes': m.tech_change_job_set_times,
	'job.cancel': m.tech_change_job_cancel,
	'job.assign': m.tech_change_job_assign,
	'job.verify': m.tech_change_job_verify,
	'part.add': m.tech_change_part_add,
	'part.remove': m.tech_change_part_remove,
	'followUp.add': m.tech_change_follow_up_add
};

export const changeName = (name: MutationName) => names[name]();

/** What the technician can do about a refused change, by the server's error code. */
export function rejectionAdvice(code: string): string {
	switch (code) {
		case 'FORBIDDEN':
			return m.tech_rejected_advice_forbidden();
		case 'NOT_FOUND':
			return m.tech_rejected_advice_not_found();
		case 'BAD_REQUEST':
		case 'CONFLICT':
		case 'PRECONDITION_FAILED':
			return m.tech_rejected_advice_invalid();
		default:
			return m.tech_rejected_advice_other();
	}
}
