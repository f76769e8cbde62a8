/**
 * Appeals and exclusions in the reader's words, shared by the supervisor's appeals page, the
 * drill-down and the phone's appeal section (loaded on demand there).
 */
import { m } from '$lib/paraglide/messages.js';
import type { AppealStatus, AppealSubject, ExcludableKpi } from '$lib/shared/honesty-domain';

/** kpi.md's flags and docs/kpi-rules.md's time flags. */
const FLAG_NAMES: Record<string, () => string> = {
	missing_arrival: m.sc_flag_missing_arrival,
	missing_start: m.sc_flag_missing_start,
	out_of_order: m.sc_flag_out_of_order,
	long_repair: m.sc_flag_long_repair,
	typed_time: m.kpi_flag_typed_time,
	late_entry: m.kpi_flag_late_entry,
	same_minute: m.kpi_flag_same_minute,
	too_fast: m.kpi_flag_too_fast
};

export function flagText(flag: string): string {
	return (FLAG_NAMES[flag] ?? (() => flag))();
}

export function appealSubjectText(appeal: { subject: AppealSubject; flag: string | null }): string {
	return appeal.subject === 'rework'
		? m.ap_subject_rework()
		: m.ap_subject_flag({ flag: flagText(appeal.flag ?? '') });
}

export function appealStatusText(status: AppealStatus): string {
	switch (status) {
		case 'pending':
			return m.ap_status_pending();
		case 'accepted':
			return m.ap_status_accepted();
		case 'rejected':
			return m.ap_status_rejected();
	}
}

const KPI_NAMES: Record<ExcludableKpi, () => string> = {
	repair_success_rate: m.sc_kpi_repair_success_rate,
	record_accuracy: m.sc_kpi_record_accuracy
};

/** "Excluded from <KPI>: <reason>", as both drill-downs show an accepted appeal. */
export function exclusionText(exclusion: { kpi: ExcludableKpi; reason: string }): string {
	return m.ap_excluded_from({ kpi: KPI_NAMES[exclusion.kpi](), reason: exclusion.reason });
}
