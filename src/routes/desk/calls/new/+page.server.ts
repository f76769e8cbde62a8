/**
 * /desk/calls/new: the desk takes a customer's call. The form posts to the jobs service
 * (jobs.openFromCall) as the signed-in user, who must work the desk; the job's number, reported
 * time and origin are the server's. Saved, the call opens the job's page.
 */
import { fail, redirect } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { requireDeskPage } from '../../../access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireDeskPage(event.locals);
	const caller = await serverCaller(event);
	const [technicians, categories] = await Promise.all([
		caller.jobs.dispatchTechnicians(),
		caller.stations.faultCategories()
	]);
	return {
		technicians,
		categories: categories
			.filter((category) => category.active)
			.map(({ id, code, name }) => ({ id, code, name }))
	};
};

/** The form's fields as typed, given back with a refusal so nothing has to be typed again. */
const FIELDS = [
	'customerName',
	'customerPhone',
	'customerAddress',
	'productModel',
	'deviceSerial',
	'faultCategoryId',
	'faultDescription',
	'urgency',
	'previousJobId',
	'technicianId'
] as const;
export type CallField = (typeof FIELDS)[number];

export interface CallRefusal {
	values: Record<CallField, string>;
	/** Field by field, for the inputs that were refused. */
	problems: Partial<Record<CallField, string>>;
	/** What went wrong, in the reader's language. */
	message: string;
}

export const actions: Actions = {
	default: async (event) => {
		requireDeskPage(event.locals);
		const form = await event.request.formData();
		const values = Object.fromEntries(
			FIELDS.map((field) => [field, String(form.get(field) ?? '')])
		) as Record<CallField, string>;
		// Empty choices mean "none": no category, no earlier job, not dispatched yet.
		const optional = (value: string) => (value === '' ? null : value);
		const caller = await serverCaller(event);
		let jobId: string;
		try {
			const job = await caller.jobs.openFromCall({
				customerName: values.customerName,
				customerPhone: values.customerPhone,
				customerAddress: values.customerAddress,
				productModel: values.productModel,
				deviceSerial: values.deviceSerial,
				faultCategoryId: optional(values.faultCategoryId),
				faultDescription: values.faultDescription,
				urgency: values.urgency === 'urgent' ? 'urgent' : 'normal',
				previousJobId: optional(values.previousJobId),
				technicianId: optional(values.technicianId)
			});
			jobId = job.id;
		} catch (caught) {
			const refused = formRefusal(caught);
			const problems: CallRefusal['problems'] = {};
			for (const issue of refused.issues) {
				const field = String(issue.path[0] ?? '') as CallField;
				if (FIELDS.includes(field)) problems[field] ??= issue.message;
			}
			return fail(refused.status, { values, problems, message: refused.message } as CallRefusal);
		}
		redirect(303, `/supervisor/jobs/${jobId}`);
	}
};
