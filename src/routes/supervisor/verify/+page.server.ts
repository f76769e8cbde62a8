import { fail } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { VERIFY_BATCH_MAX } from '$lib/server/jobs/verification';
import { parsePeriodKey } from '$lib/shared/time/periods';
import { requireSupervisorPage } from '../../access';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pageNumber(raw: string | null): number {
	const page = Number(raw ?? '1');
	return Number.isInteger(page) && page >= 1 ? page : 1;
}

export const load: PageServerLoad = async (event) => {
	const user = requireSupervisorPage(event.locals);
	const params = event.url.searchParams;
	const technician = params.get('technician') ?? '';
	const month = params.get('period') ?? '';
	const period = month ? parsePeriodKey(month) : null;
	const filters = {
		technicianId: UUID.test(technician) ? technician : undefined,
		period: period ? { from: period.from, to: period.to } : undefined,
		page: pageNumber(params.get('page'))
	};
	const caller = await serverCaller(event);
	// One page holds at most one bulk verification, so "all shown" is always one call.
	const list = await caller.worklists.unverified({ ...filters, pageSize: VERIFY_BATCH_MAX });
	return {
		timeZone: user.timeZone,
		filters: { ...filters, month: period ? month : '' },
		list,
		pageCount: Math.max(1, Math.ceil(list.total / VERIFY_BATCH_MAX))
	};
};

export const actions: Actions = {
	/** One job (its row's button), the ticked ones, or every one shown. */
	verify: async (event) => {
		requireSupervisorPage(event.locals);
		const form = await event.request.formData();
		const texts = (name: string) => form.getAll(name).map(String);
		const one = texts('one');
		const jobIds = one.length > 0 ? one : texts(form.get('all') ? 'shown' : 'selected');
		if (jobIds.length === 0) return fail(400, { problem: 'none_selected' as const });
		const caller = await serverCaller(event);
		try {
			const { verified } = await caller.worklists.verifyMany({ jobIds });
			return { verified };
		} catch (error) {
			return fail(formRefusal(error).status, { message: formRefusal(error).message });
		}
	}
};
