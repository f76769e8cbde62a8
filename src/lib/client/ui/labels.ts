/** Translated names of the domain's enumerations, and the badge tone each one is shown with. */
import { m } from '$lib/paraglide/messages.js';
import type { JobOutcome, JobStatus } from '$lib/shared/domain';

export type BadgeTone =
	'neutral' | 'info' | 'warning' | 'success' | 'strong-success' | 'strong-danger';

const statusNames: Record<JobStatus, () => string> = {
	open: m.status_open,
	in_progress: m.status_in_progress,
	completed: m.status_completed,
	cancelled: m.status_cancelled
};

const statusTones: Record<JobStatus, BadgeTone> = {
	open: 'warning',
	in_progress: 'info',
	completed: 'success',
	cancelled: 'neutral'
};

const outcomeNames: Record<JobOutcome, () => string> = {
	fixed: m.outcome_fixed,
	not_fixed: m.outcome_not_fixed
};

const outcomeTones: Record<JobOutcome, BadgeTone> = {
	fixed: 'strong-success',
	not_fixed: 'strong-danger'
};

export const statusName = (status: JobStatus) => statusNames[status]();
export const statusTone = (status: JobStatus) => statusTones[status];
export const outcomeName = (outcome: JobOutcome) => outcomeNames[outcome]();
export const outcomeTone = (outcome: JobOutcome) => outcomeTones[outcome];
export { roleName } from '../../shared/role-names';
