/**
 * Why the server refused a change, in the technician's language: the server sends a stable
 * reason (shared/sync.ts, rejectionReasonSchema) that names a job by its number and a field by
 * its name. A refusal stored on the device before reasons existed keeps its server text.
 */
import { m } from '$lib/paraglide/messages.js';
import type { RejectedChange } from '../local/db';

type Options = { locale?: 'en' | 'zh-CN' };

/** The forms' own labels for the fields a change carries; times share one word. */
const FIELD_LABELS: Record<string, (inputs: object, options: Options) => string> = {
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
	channel: m.tech_follow_up_channel,
	satisfaction: m.tech_follow_up_satisfaction,
	issueResolved: m.tech_follow_up_resolved,
	comment: m.tech_follow_up_comment,
	reason: m.tech_times_reason,
	outcome: m.tech_outcome_question,
	at: m.ss_field_time,
	madeAt: m.ss_field_time,
	arrivedAt: m.ss_field_time,
	startedAt: m.ss_field_time,
	completedAt: m.ss_field_time
};

/** A field path ("fields.notes") as its label; a name the app has no label for stays as sent. */
function fieldLabel(path: string, options: Options): string {
	const leaf = path.split('.').at(-1) ?? path;
	const label = FIELD_LABELS[leaf];
	return label ? label({}, options) : path;
}

export function rejectionText(
	change: Pick<RejectedChange, 'code' | 'message' | 'reason' | 'jobNo'>,
	options: Options = {}
): string {
	const { reason } = change;
	if (!reason) return change.message || change.code;
	const text = (key: unknown) =>
		typeof key === 'string' || typeof key === 'number' ? String(key) : '';
	const jobNo = text(reason.params.jobNo) || change.jobNo || m.ss_job_unnamed({}, options);
	switch (reason.key) {
		case 'invalid_field':
			return invalidField(
				text(reason.params.field),
				text(reason.params.problem),
				reason.params.max,
				options
			);
		case 'job_not_found':
			return m.ss_job_not_found({ jobNo }, options);
		case 'line_not_found':
			return m.ss_line_not_found({}, options);
		case 'part_unknown':
			return m.ss_part_unknown({}, options);
		case 'part_inactive':
			return m.ss_part_inactive({ sku: text(reason.params.sku) }, options);
		case 'job_id_taken':
			return m.ss_job_id_taken({ jobNo }, options);
		case 'job_no_taken':
			return m.ss_job_no_taken({ jobNo }, options);
		case 'fault_category_unknown':
			return m.ss_fault_category_unknown({}, options);
		case 'previous_job_unknown':
			return m.ss_previous_job_unknown({}, options);
		case 'not_active_technician':
			return m.ss_not_active_technician({}, options);
		case 'supervisor_only':
			return m.ss_supervisor_only({}, options);
		case 'own_jobs_only':
			return m.ss_own_jobs_only({}, options);
		case 'job_verified':
			return m.ss_job_verified({ jobNo }, options);
		case 'job_cancelled':
			return m.ss_job_cancelled({ jobNo }, options);
		case 'job_not_completed':
			return m.ss_job_not_completed({ jobNo }, options);
		case 'job_completed':
			return m.ss_job_completed({ jobNo }, options);
		case 'database_refused':
			return m.ss_database_refused({}, options);
		case 'server_error':
			return m.ss_server_error({}, options);
		default:
			// A reason a newer server knows and this app does not.
			return m.ss_reason_unknown({}, options);
	}
}

function invalidField(path: string, problem: string, max: unknown, options: Options): string {
	const field = fieldLabel(path, options);
	switch (problem) {
		case 'required':
			return m.ss_invalid_required({ field }, options);
		case 'too_long':
			return m.ss_invalid_too_long({ field, max: Number(max) }, options);
		case 'unknown_key':
			// Names of fields the app never sends: shown as they came.
			return m.ss_invalid_unknown_key({ field: path }, options);
		case 'unstorable':
			return m.ss_invalid_unstorable({ field }, options);
		case 'date':
			return m.ss_invalid_date({ field }, options);
		case 'choose':
			return m.ss_invalid_choose({ field }, options);
		case 'times_unchanged':
			return m.ss_invalid_times_unchanged({}, options);
		default:
			return m.ss_invalid_other({ field }, options);
	}
}
