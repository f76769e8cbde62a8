import { randomUUID } from 'node:crypto';
import { fail, redirect } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import { RETRY_AFTER_HOURS, OVERDUE_AFTER_DAYS } from '$lib/server/follow-ups/calls';
import { FOLLOW_UP_CALL_OUTCOMES, type FollowUpCallOutcome } from '$lib/shared/desk-domain';
import { parsePeriodKey } from '$lib/shared/time/periods';
import { requireDeskPage } from '../../access';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 20;
const LAST_OUTCOMES = ['none', ...FOLLOW_UP_CALL_OUTCOMES] as const;
type LastOutcome = (typeof LAST_OUTCOMES)[number];

function pageNumber(raw: string | null): number {
	const page = Number(raw ?? '1');
	return Number.isInteger(page) && page >= 1 ? page : 1;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filters of the URL; anything unusable is left out rather than breaking the page. */
function filtersOf(url: URL) {
	const params = url.searchParams;
	const technician = params.get('technician') ?? '';
	const month = params.get('period') ?? '';
	const outcome = params.get('outcome') ?? '';
	const period = month ? parsePeriodKey(month) : null;
	return {
		state: params.get('state') === 'closed' ? ('closed' as const) : ('due' as const),
		technicianId: UUID.test(technician) ? technician : undefined,
		period: period ? { from: period.from, to: period.to } : undefined,
		month: period ? month : '',
		lastOutcome: (LAST_OUTCOMES as readonly string[]).includes(outcome)
			? (outcome as LastOutcome)
			: undefined,
		overdueOnly: params.get('overdue') === '1',
		page: pageNumber(params.get('page'))
	};
}

export const load: PageServerLoad = async (event) => {
	const user = requireDeskPage(event.locals);
	const caller = await serverCaller(event);
	const { month, ...filters } = filtersOf(event.url);
	const list = await caller.worklists.followUpCalls({ ...filters, pageSize: PAGE_SIZE });
	const pageCount = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
	// Past the end (the last jobs of the last page were just cleared): show the last page.
	if (list.jobs.length === 0 && filters.page > pageCount) {
		const search = new URLSearchParams(event.url.searchParams);
		search.set('page', String(pageCount));
		redirect(303, `?${search}`);
	}
	return {
		timeZone: user.timeZone,
		filters: { ...filters, month },
		list,
		pageCount,
		retryAfterHours: RETRY_AFTER_HOURS,
		overdueAfterDays: OVERDUE_AFTER_DAYS,
		// One id per form: sending the same form twice records one call, not two.
		callIds: Object.fromEntries(list.jobs.map((job) => [job.jobId, randomUUID()]))
	};
};

const RESOLVED = { yes: true, no: false, unknown: null } as const;

export const actions: Actions = {
	record: async (event) => {
		requireDeskPage(event.locals);
		const form = await event.request.formData();
		const text = (name: string) => String(form.get(name) ?? '').trim();
		const jobId = text('jobId');
		const outcome = text('outcome') as FollowUpCallOutcome;
		const satisfaction = text('satisfaction');
		const resolved = text('issueResolved') as keyof typeof RESOLVED;
		const values = { outcome, satisfaction, issueResolved: resolved, comment: text('comment') };
		if (!FOLLOW_UP_CALL_OUTCOMES.includes(outcome)) {
			return fail(400, { action: 'record', jobId, values, problem: 'outcome_missing' as const });
		}
		const caller = await serverCaller(event);
		try {
			const saved = await caller.worklists.recordCall({
				id: text('id'),
				jobId,
				outcome,
				comment: values.comment,
				satisfaction: outcome === 'reached' && satisfaction ? Number(satisfaction) : null,
				issueResolved: outcome === 'reached' ? (RESOLVED[resolved] ?? null) : null
			});
			return { recorded: { jobNo: saved.jobNo, outcome } };
		} catch (error) {
			const refused = formRefusal(error);
			return fail(refused.status, { action: 'record', jobId, values, message: refused.message });
		}
	},
	close: async (event) => {
		requireDeskPage(event.locals);
		const form = await event.request.formData();
		const jobId = String(form.get('jobId') ?? '');
		const reason = String(form.get('reason') ?? '').trim();
		if (!reason) {
			return fail(400, {
				action: 'close',
				jobId,
				values: { reason },
				problem: 'reason_missing' as const
			});
		}
		const caller = await serverCaller(event);
		try {
			const closed = await caller.worklists.closeForFollowUp({ jobId, reason });
			return { closed: { jobNo: closed.jobNo } };
		} catch (error) {
			const refused = formRefusal(error);
			return fail(refused.status, {
				action: 'close',
				jobId,
				values: { reason },
				message: refused.message
			});
		}
	},
	reopen: async (event) => {
		requireDeskPage(event.locals);
		const form = await event.request.formData();
		const jobId = String(form.get('jobId') ?? '');
		const caller = await serverCaller(event);
		try {
			const reopened = await caller.worklists.reopenForFollowUp({ jobId });
			return { reopened: { jobNo: reopened.jobNo } };
		} catch (error) {
			const refused = formRefusal(error);
			return fail(refused.status, { action: 'reopen', jobId, message: refused.message });
		}
	}
};
