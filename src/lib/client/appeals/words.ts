/**
 * Appeals and exclusions in the reader's words, shared by the supervisor's appeals page, the
 * drill-down and the phone's appeal section (loaded on demand there).
 */
import { m } from '$lib/paraglide/messages.js';
import type { AppealStatus, AppealSubject, ExcludableKpi } from '$lib/shared/honesty-domain';
import { flagName, isJobFlag } from '$lib/shared/kpi-words';

/** A flag's name; an appeal's flag is a string, shown as it is if it names no flag we know. */
export function flagText(flag: string): string {
	return isJobFlag(flag) ? flagName(flag) : flag;
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
