/**
 * Why the server refused a change, in the technician's language: the server sends a stable
 * reason (shared/sync.ts, rejectionReasonSchema) that names a job by its number and a field by
 * its name. A refusal stored on the device before reasons existed keeps its server text.
 * Kept small (the technician pages' script budget): field problems reuse the forms' messages,
 * a verified or missing job the job page's, and reasons a technician's phone does not meet
 * share one generic sentence (the notice names the change and its job number above it).
 */
import { m } from '$lib/paraglide/messages.js';
import type { RejectedChange } from '../local/db';

type Options = { locale?: 'en' | 'zh-CN' };
type Message = (inputs: never, options: Options) => string;

/** The forms' own labels for the fields a change carries; times share one word. */
const FIELD_LABELS: Record<string, Message> = {
	customerName: m.tech_field_customer_name,
	customerPhone: m.tech_field_customer_phone,
	customerAddress: m.tech_field_customer_address,
	productModel: m.tech_field_product_model,
	deviceSerial: m.tech_field_device_serial,
	faultCategoryId: m.tech_field_fault_category,
	faultDescription: m.tech_field_fault_description,
	notes: m.tech_field_notes,
	reportedAt: m.tech_field_reported_at,
	qty: m.tech_parts_qty,
	visitedAt: m.tech_follow_up_visited_at,
	satisfaction: m.tech_follow_up_satisfaction,
	comment: m.tech_follow_up_comment,
	reason: m.tech_times_reason,
	at: m.ss_field_time,
	madeAt: m.ss_field_time,
	arrivedAt: m.ss_field_time,
	startedAt: m.ss_field_time,
	completedAt: m.ss_field_time,
	signedAt: m.ss_field_time,
	signerName: m.sig_signer_name
};

/** What is wrong with a field, in the words the forms use for the same problem. */
const PROBLEMS: Record<string, Message> = {
	required: m.tech_error_required,
	too_long: m.tech_error_too_long,
	date: m.tech_error_date,
	choose: m.tech_error_choose,
	times_unchanged: m.tech_error_times_unchanged,
	unstorable: m.ss_problem_unstorable
};

const REASONS: Record<string, Message> = {
	job_not_found: m.tech_job_missing_body,
	line_not_found: m.tech_job_missing_body,
	job_verified: m.tech_job_verified,
	job_cancelled: m.ss_job_cancelled,
	signature_required: m.ss_signature_required,
	job_not_completed: m.ss_job_not_completed,
	job_completed: m.ss_job_completed,
	job_completed_correct: m.ph_job_completed_correct,
	job_no_taken: m.ss_job_no_taken,
	part_unknown: m.ss_part_unknown,
	part_inactive: m.ss_part_inactive,
	server_error: m.ss_server_error,
	reassigned_job_taken_over: m.sync_reason_reassigned_job_taken_over,
	reported_time_desk_owned: m.sync_reason_reported_time_desk_owned,
	// The order of a job's times (shared/step-times.ts), which the phone also checks first.
	step_in_future: m.tm_reason_step_in_future,
	step_before_report: m.tm_reason_step_before_report,
	step_out_of_order: m.tm_reason_step_out_of_order,
	step_missing: m.tm_reason_step_missing,
	follow_up_in_future: m.sv_reason_follow_up_in_future,
	follow_up_before_completion: m.sv_reason_follow_up_before_completion,
	follow_up_job_verified: m.sv_reason_follow_up_job_verified,
	// Recorded by the phone itself: the server refused the change's size (sync/push.ts).
	too_large: m.ss2_change_too_large
};

export function rejectionText(
	change: Pick<RejectedChange, 'code' | 'message' | 'reason' | 'jobNo'>,
	options: Options = {}
): string {
	const { reason } = change;
	if (!reason) return change.message || change.code;
	const params: Record<string, string> = { jobNo: change.jobNo ?? '—' };
	for (const [key, value] of Object.entries(reason.params)) params[key] = String(value);
	const say = (message: Message, inputs: object) => message(inputs as never, options);
	if (reason.key !== 'invalid_field') {
		// A reason a newer server knows, or one a technician's phone does not meet: generic.
		return say(REASONS[reason.key] ?? m.ss_reason_other, params);
	}
	const path = params.field ?? '';
	// Names of fields the app never sends: shown as they came.
	if (params.problem === 'unknown_key') return say(m.ss_invalid_unknown_key, { field: path });
	const label = FIELD_LABELS[path.split('.').at(-1) ?? ''];
	const problem =
		path === 'qty' && params.problem === 'invalid'
			? m.tech_error_quantity
			: (PROBLEMS[params.problem] ?? m.tech_error_invalid);
	return say(m.ss_invalid_field, {
		field: label ? say(label, {}) : path,
		problem: say(problem, { max: Number(params.max) })
	});
}

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
