import { randomUUID } from 'node:crypto';
import { fail, redirect } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/caller';
import { toZonedInput } from '$lib/shared/time/local-time';
import { formRefusal } from '$lib/server/trpc/form-refusal';
import {
	RecordFollowUpError,
	type RecordFollowUpProblem
} from '$lib/server/review/follow-up-queue';
import { recordFollowUpSchema } from '$lib/server/review/schemas';
import { requireSupervisorPage } from '../../access';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 20;
const RESOLVED_CHOICES = ['yes', 'no', 'unknown'] as const;
type ResolvedChoice = (typeof RESOLVED_CHOICES)[number];

/** The fields of the call form, and what can be wrong with each, as codes the page translates. */
export type CallField = 'visitedAt' | 'channel' | 'satisfaction' | 'issueResolved' | 'comment';
export type CallFieldProblem =
	| 'visited_at_invalid'
	| 'visited_in_future'
	| 'visited_before_completion'
	| 'channel_invalid'
	| 'satisfaction_invalid'
	| 'resolved_invalid'
	| 'comment_too_long';
export type CallJobProblem = Extract<
	RecordFollowUpProblem,
	'job_not_found' | 'job_not_completed' | 'already_recorded'
>;

const ZOD_FIELD_PROBLEMS: Partial<Record<string, [CallField, CallFieldProblem]>> = {
	visitedAt: ['visitedAt', 'visited_at_invalid'],
	channel: ['channel', 'channel_invalid'],
	satisfaction: ['satisfaction', 'satisfaction_invalid'],
	comment: ['comment', 'comment_too_long']
};

function pageNumber(raw: string | null): number {
	const page = Number(raw ?? '1');
	return Number.isInteger(page) && page >= 1 ? page : 1;
}

export const load: PageServerLoad = async (event) => {
	const user = requireSupervisorPage(event.locals);
	const caller = await serverCaller(event);
	const page = pageNumber(event.url.searchParams.get('page'));
	const queue = await caller.review.followUpQueue({ page, pageSize: PAGE_SIZE });
	const pageCount = Math.max(1, Math.ceil(queue.total / PAGE_SIZE));
	// Past the end (the last jobs of the last page were just followed up): show the last page.
	if (queue.jobs.length === 0 && page > pageCount) redirect(303, `?page=${pageCount}`);
	return {
		timeZone: user.timeZone,
		queue,
		pageCount,
		now: toZonedInput(new Date(), user.timeZone),
		// One id per form: sending the same form twice records one call, not two.
		callIds: Object.fromEntries(queue.jobs.map((job) => [job.jobId, randomUUID()]))
	};
};

export const actions: Actions = {
	record: async (event) => {
		requireSupervisorPage(event.locals);
		const form = await event.request.formData();
		const text = (name: string) => String(form.get(name) ?? '');
		const values = {
			id: text('id'),
			jobId: text('jobId'),
			jobNo: text('jobNo'),
			visitedAt: text('visitedAt'),
			channel: text('channel'),
			satisfaction: text('satisfaction'),
			issueResolved: text('issueResolved'),
			comment: text('comment')
		};
		const failure = (
			fieldErrors: Partial<Record<CallField, CallFieldProblem>>,
			jobError: CallJobProblem | null = null
		) => fail(400, { jobId: values.jobId, values, fieldErrors, jobError });

		const resolved = values.issueResolved as ResolvedChoice;
		const parsed = recordFollowUpSchema.safeParse({
			id: values.id,
			jobId: values.jobId,
			visitedAt: values.visitedAt,
			channel: values.channel,
			satisfaction: values.satisfaction === '' ? null : Number(values.satisfaction),
			issueResolved: resolved === 'yes' ? true : resolved === 'no' ? false : null,
			comment: values.comment
		});
		const fieldErrors: Partial<Record<CallField, CallFieldProblem>> = {};
		if (!RESOLVED_CHOICES.includes(resolved)) fieldErrors.issueResolved = 'resolved_invalid';
		if (!parsed.success) {
			for (const issue of parsed.error.issues) {
				const key = String(issue.path[0]);
				// id and jobId come from the page itself: wrong ones mean the job is not there.
				if (key === 'id' || key === 'jobId') return failure({}, 'job_not_found');
				const known = ZOD_FIELD_PROBLEMS[key];
				if (known) fieldErrors[known[0]] ??= known[1];
			}
		}
		if (!parsed.success || Object.keys(fieldErrors).length > 0) return failure(fieldErrors);

		const caller = await serverCaller(event);
		try {
			await caller.review.recordFollowUp(parsed.data);
		} catch (error) {
			const refused = formRefusal(error);
			if (refused.refusal instanceof RecordFollowUpError) {
				switch (refused.refusal.problem) {
					case 'visited_in_future':
					case 'visited_before_completion':
						return failure({ visitedAt: refused.refusal.problem });
					default:
						return failure({}, refused.refusal.problem);
				}
			}
			// Two people saving the same form at the same instant: the second insert conflicts.
			if (refused.code === 'CONFLICT') {
				return failure({}, 'already_recorded');
			}
			throw error;
		}
		return { recorded: { jobId: values.jobId, jobNo: values.jobNo } };
	}
};
