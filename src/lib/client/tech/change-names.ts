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
