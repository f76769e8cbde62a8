/**
 * A station's own rules are editable by its supervisors only (roles.md). Every change writes
 * settings_audit rows (who, when, subject, old value, new value) in the transaction that makes
 * it, so a change and its record stand or fall together. The station row is locked
 * (SELECT … FOR UPDATE) first (versions.ts lockSettings), so concurrent edits queue and every
 * "old value" in the audit is the value the change really replaced.
 */
import type { Database, Queryable, Transaction } from '../../db';
import { settingsAudit } from '../../db/schema';
import type { SessionUser } from '../../auth/session-user';
import { SCORED_KPIS, type KpiSettings } from '../../../shared/domain';
import { DEFAULT_KPI_MINIMUMS } from '../../../shared/kpi-settings';
import { isSupervisor } from '../../../shared/roles';
import { refusal, type Refusal } from '../../refusal';

/** The audit's subjects: `kpi:<kpi>`, `fault_category:<code>`, and these. */
export const KPI_SUBJECT = 'kpi:';
export const AHP_SUBJECT = 'kpi_weights:ahp';
export const CATEGORY_SUBJECT = 'fault_category:';

/** Station settings are for supervisors (roles.md); anyone else is refused with the reason. */
export function requireSettingsEditor(user: SessionUser) {
	if (!isSupervisor(user)) {
		throw refusal(
			'FORBIDDEN',
			`Station settings are for supervisors; this account is a ${user.role}.`,
			'settings_supervisors_only',
			{ role: user.role }
		);
	}
}

/** A change of the station's settings: supervisors only, all of it in one transaction. */
export function editSettings<T>(
	db: Database,
	user: SessionUser,
	change: (tx: Transaction) => Promise<T>
): Promise<T> {
	requireSettingsEditor(user);
	return db.transaction(change);
}

export function stationGone(): Refusal {
	return refusal('NOT_FOUND', 'The station no longer exists.', 'station_gone');
}

export interface AuditRow {
	subject: string;
	oldValue: unknown;
	newValue: unknown;
}

export async function writeAudit(tx: Queryable, user: SessionUser, rows: AuditRow[]) {
	if (rows.length === 0) return;
	await tx.insert(settingsAudit).values(
		rows.map((row) => ({
			stationId: user.stationId,
			userId: user.id,
			subject: row.subject,
			oldValue: row.oldValue,
			newValue: row.newValue
		}))
	);
}

/**
 * The station's KPI settings as scoring reads them: an absent threshold means not scored, an
 * absent weight 0, an absent minimum the default (settings stored before minimums existed).
 */
export function effectiveKpiSettings(stored: Partial<KpiSettings> | null): KpiSettings {
	const thresholds: KpiSettings['thresholds'] = {};
	const weights = {} as KpiSettings['weights'];
	const minimums = {} as KpiSettings['minimums'];
	for (const kpi of SCORED_KPIS) {
		thresholds[kpi] = stored?.thresholds?.[kpi] ?? null;
		weights[kpi] = stored?.weights?.[kpi] ?? 0;
		minimums[kpi] = stored?.minimums?.[kpi] ?? DEFAULT_KPI_MINIMUMS[kpi];
	}
	return { thresholds, weights, minimums };
}
