/**
 * A domain refusal (refusal.ts) in the language of the request, for a person who meets it
 * through the API: the stable reason says what went wrong, the error's English message stays
 * for the server log and for the push answer (the phone words that one itself).
 */
import { m } from '../paraglide/messages.js';
import type { UserRole } from '../shared/domain';
import { roleName } from '../shared/role-names';
import type { RejectionReason } from '../shared/sync';

type Params = Record<string, string>;

const REASONS: Record<string, (params: Params) => string> = {
	job_not_found: () => m.srv_reason_job_not_found(),
	line_not_found: () => m.srv_reason_line_not_found(),
	job_id_taken: () => m.srv_reason_job_id_taken(),
	fault_category_unknown: () => m.srv_reason_fault_category_unknown(),
	previous_job_unknown: () => m.srv_reason_previous_job_unknown(),
	not_active_technician: () => m.srv_reason_not_active_technician(),
	supervisor_only: () => m.srv_reason_supervisor_only(),
	station_admin_read_only: () => m.acc2_reason_station_admin_read_only(),
	own_jobs_only: () => m.srv_reason_own_jobs_only(),
	// The desk's rules (jobs/access.ts, jobs/service.ts assignJob).
	desk_no_visit_steps: () => m.desk_reason_no_visit_steps(),
	desk_opens_calls: () => m.desk_reason_opens_calls(),
	desk_supervisor_only: () => m.desk_reason_supervisor_only(),
	desk_job_completed: ({ jobNo }) => m.desk_reason_job_completed({ jobNo }),
	reassign_reason_required: ({ jobNo }) => m.desk_reason_reassign_reason_required({ jobNo }),
	job_closed_for_assignment: ({ jobNo }) => m.desk_reason_job_closed_for_assignment({ jobNo }),
	part_unknown: () => m.ss_part_unknown(),
	part_inactive: ({ sku }) => m.ss_part_inactive({ sku }),
	signature_required: ({ jobNo }) => m.ss_signature_required({ jobNo }),
	job_verified: ({ jobNo }) => m.srv_reason_job_verified({ jobNo }),
	job_cancelled: ({ jobNo }) => m.ss_job_cancelled({ jobNo }),
	job_not_completed: ({ jobNo }) => m.ss_job_not_completed({ jobNo }),
	job_completed: ({ jobNo }) => m.ss_job_completed({ jobNo }),
	job_completed_correct: ({ jobNo }) => m.ph_job_completed_correct({ jobNo }),
	job_no_taken: ({ jobNo }) => m.ss_job_no_taken({ jobNo }),
	database_refused: () => m.srv_reason_database_refused(),
	server_error: () => m.ss_server_error(),
	invalid_field: invalidFieldText,
	// The desk's worklists (follow-ups/calls.ts, review/reworks.ts).
	desk_only: () => m.wl_reason_desk_only(),
	already_recorded: () => m.wl_reason_already_recorded(),
	already_followed_up: ({ jobNo }) => m.wl_reason_already_followed_up({ jobNo }),
	follow_up_closed: ({ jobNo }) => m.wl_reason_follow_up_closed({ jobNo }),
	// Follow-ups' dates and verified jobs (follow-ups/service.ts followUpRefusal).
	follow_up_in_future: ({ jobNo }) => m.sv_reason_follow_up_in_future({ jobNo }),
	follow_up_before_completion: ({ jobNo }) => m.sv_reason_follow_up_before_completion({ jobNo }),
	follow_up_job_verified: ({ jobNo }) => m.sv_reason_follow_up_job_verified({ jobNo }),
	// The customer survey's public page (survey/service.ts): plain, nothing about the job.
	survey_invalid: () => m.sv_reason_survey_invalid(),
	survey_expired: () => m.sv_reason_survey_expired(),
	survey_answered: () => m.sv_reason_survey_answered(),
	survey_throttled: ({ minutes }) => m.sv_reason_survey_throttled({ minutes }),
	survey_staff_session: () => m.sv_reason_survey_staff_session(),
	// Station settings (stations/settings/).
	settings_supervisors_only: ({ role }) =>
		m.acc2_settings_supervisors_only({ role: roleName(role as UserRole) }),
	station_gone: () => m.srv_station_gone(),
	fault_category_not_found: ({ id }) => m.srv_fault_category_not_found({ id }),
	// Scorecards (kpi/visible-scorecard.ts).
	own_facts_only: () => m.srv_own_facts_only(),
	home_station_kpis_supervisors_only: () => m.home_station_kpis_supervisors_only(),
	// Closed periods (kpi/closing.ts).
	period_not_over: ({ month }) => m.pc_reason_period_not_over({ month }),
	period_already_closed: ({ month }) => m.pc_reason_period_already_closed({ month }),
	period_reopened: () => m.pc_reason_period_reopened(),
	closure_not_found: () => m.pc_reason_closure_not_found(),
	// Accounts and stations (auth/accounts.ts, stations/admin.ts): another station, or an
	// account outside one's reach, is not confirmed to exist.
	station_unknown: () => m.acc_out_of_scope(),
	account_unknown: () => m.acc_out_of_scope(),
	station_code_taken: ({ code }) => m.acc_station_code_taken({ code }),
	login_taken: ({ login }) => m.acc_duplicate_login({ login }),
	weak_password: weakPasswordText,
	wrong_password: () => m.acc_password_wrong_current(),
	role_not_allowed: () => m.acc_role_not_allowed(),
	target_not_allowed: () => m.acc_target_not_allowed(),
	station_create_not_allowed: () => m.adm_station_create_not_allowed(),
	// The region (auth/accounts.ts setRegionStations, kpi/region.ts).
	region_assign_not_allowed: () => m.region_reason_assign_not_allowed(),
	region_target_not_manager: () => m.region_reason_target_not_manager(),
	region_managers_only: () => m.region_reason_managers_only(),
	region_station_unknown: () => m.region_reason_station_unknown(),
	region_manager_read_only: () => m.region_reason_manager_read_only(),
	region_technician_unknown: () => m.region_reason_technician_unknown(),
	// The open-jobs board (jobs/board.ts).
	// Reassignment and the desk's jobs (jobs/offline-work.ts, jobs/overlaps.ts, jobs/service.ts).
	reassigned_job_taken_over: ({ jobNo }) => m.sync_reason_reassigned_job_taken_over({ jobNo }),
	reported_time_desk_owned: ({ jobNo }) => m.sync_reason_reported_time_desk_owned({ jobNo }),
	overlap_not_found: () => m.sync_reason_overlap_not_found(),
	// Times that can be trusted (jobs/step-times.ts) and accepted flags (review/flag-acceptance.ts).
	step_in_future: ({ jobNo }) => m.tm_reason_step_in_future({ jobNo }),
	step_before_report: ({ jobNo }) => m.tm_reason_step_before_report({ jobNo }),
	step_out_of_order: ({ jobNo }) => m.tm_reason_step_out_of_order({ jobNo }),
	step_missing: ({ jobNo }) => m.tm_reason_step_missing({ jobNo }),
	flag_not_raised: ({ jobNo }) => m.tm_reason_flag_not_raised({ jobNo }),
	// Links and empty jobs (jobs/access.ts requireLinkable, jobs/service.ts newJobRow).
	previous_job_not_own: () => m.ap_reason_previous_job_not_own(),
	previous_job_not_earlier: ({ jobNo }) => m.ap_reason_previous_job_not_earlier({ jobNo }),
	previous_job_unrelated: ({ jobNo }) => m.ap_reason_previous_job_unrelated({ jobNo }),
	job_needs_customer: () => m.ap_reason_job_needs_customer(),
	job_needs_device: () => m.ap_reason_job_needs_device(),
	job_needs_fault: () => m.ap_reason_job_needs_fault(),
	// Appeals (review/appeals.ts).
	appeal_technician_only: () => m.ap_reason_appeal_technician_only(),
	appeal_job_not_completed: ({ jobNo }) => m.ap_reason_appeal_job_not_completed({ jobNo }),
	appeal_no_rework: ({ jobNo }) => m.ap_reason_appeal_no_rework({ jobNo }),
	appeal_no_flag: ({ jobNo }) => m.ap_reason_appeal_no_flag({ jobNo }),
	appeal_already_excluded: ({ jobNo }) => m.ap_reason_appeal_already_excluded({ jobNo }),
	appeal_pending: ({ jobNo }) => m.ap_reason_appeal_pending({ jobNo }),
	appeal_not_found: () => m.ap_reason_appeal_not_found(),
	appeal_decided: () => m.ap_reason_appeal_decided(),
	// A job's photos and signature (files/service.ts).
	file_not_found: () => m.files_reason_not_found(),
	file_id_taken: () => m.files_reason_id_taken(),
	job_files_full: ({ max }) => m.files_reason_job_full({ max }),
	file_not_declared_type: ({ type }) => m.files_reason_not_declared_type({ type }),
	file_thumbnail_not_image: () => m.files_reason_thumbnail_not_image(),
	file_thumbnail_too_large: ({ max }) => m.files_reason_thumbnail_too_large({ max }),
	file_piece_empty: () => m.files_reason_piece_empty(),
	file_piece_too_large: ({ max }) => m.files_reason_piece_too_large({ max }),
	file_piece_past_end: ({ size }) => m.files_reason_piece_past_end({ size }),
	file_bytes_differ: () => m.files_reason_bytes_differ(),
	file_hash_mismatch: () => m.files_reason_hash_mismatch()
};

/** A refused password (auth/password-policy.ts's PasswordProblem as params). */
function weakPasswordText({ problem, min, max }: Params): string {
	switch (problem) {
		case 'too_short':
			return m.acc_password_too_short({ min });
		case 'too_long':
			return m.acc_password_too_long({ max });
		case 'like_login':
			return m.acc_password_like_login();
		case 'common':
			return m.acc_password_common();
		default:
			return m.ss_reason_other();
	}
}

function invalidFieldText({ field, problem, max }: Params): string {
	switch (problem) {
		case 'unknown_key':
			return m.ss_invalid_unknown_key({ field });
		case 'required':
			return m.srv_field_required({ field });
		case 'too_long':
			return m.srv_field_too_long({ field, max });
		case 'unstorable':
			return m.ss_invalid_field({ field, problem: m.ss_problem_unstorable() });
		default:
			return m.srv_field_invalid({ field });
	}
}

export function refusalText(reason: RejectionReason): string {
	// A job a reason does not number (never expected) reads as a dash, not "undefined".
	const params: Params = { jobNo: '—' };
	for (const [key, value] of Object.entries(reason.params)) params[key] = String(value);
	return (REASONS[reason.key] ?? m.ss_reason_other)(params);
}
