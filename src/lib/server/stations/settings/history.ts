/** Who changed which setting when: the station's settings_audit, read back page by page. */
import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db';
import { settingsAudit, users } from '../../db/schema';
import type { SessionUser } from '../../auth/session-user';
import { SCORED_KPIS } from '../../../shared/domain';
import type { SettingsChange, SettingsHistoryPage } from '../../../shared/station-settings';
import { ahpRecordSchema, weightsValueSchema } from './ahp';
import { categoryValueSchema } from './categories';
import { AHP_SUBJECT, CATEGORY_SUBJECT, KPI_SUBJECT, requireSettingsEditor } from './editing';
import { STATION_SWITCHES, type StationSwitch } from './evidence';
import { VERSION_SUBJECT } from './versions';

export const settingsHistoryInputSchema = z.object({
	page: z.number().int().min(1).default(1),
	pageSize: z.number().int().min(1).max(100).default(20)
});

const kpiRuleValueSchema = z.object({
	threshold: z.object({ pass: z.number(), excellent: z.number() }).nullable(),
	weight: z.number(),
	minimum: z.number().optional()
});

function parsedOrNull<T>(schema: z.ZodType<T>, value: unknown): T | null {
	const parsed = schema.nullable().safeParse(value);
	return parsed.success ? parsed.data : null;
}

/** An audit row's change, read back into the shape its subject was written with. */
function readChange(subject: string, oldValue: unknown, newValue: unknown): SettingsChange {
	const other: SettingsChange = { kind: 'other', old: oldValue, new: newValue };
	if (subject.startsWith(KPI_SUBJECT)) {
		const kpi = z.enum(SCORED_KPIS).safeParse(subject.slice(KPI_SUBJECT.length));
		const old = kpiRuleValueSchema.nullable().safeParse(oldValue);
		const next = kpiRuleValueSchema.nullable().safeParse(newValue);
		if (!kpi.success || !old.success || !next.success) return other;
		return { kind: 'kpi', kpi: kpi.data, old: old.data, new: next.data };
	}
	if (subject === AHP_SUBJECT) {
		const next = ahpRecordSchema.safeParse(newValue);
		if (!next.success) return other;
		return { kind: 'ahp', old: parsedOrNull(weightsValueSchema, oldValue), new: next.data };
	}
	if (subject === 'rework_window_days' || subject === 'min_jobs_for_ranking') {
		const old = z.number().nullable().safeParse(oldValue);
		const next = z.number().nullable().safeParse(newValue);
		if (!old.success || !next.success) return other;
		return { kind: subject, old: old.data, new: next.data };
	}
	if (isStationSwitch(subject)) {
		const old = z.boolean().nullable().safeParse(oldValue);
		const next = z.boolean().nullable().safeParse(newValue);
		if (!old.success || !next.success) return other;
		return { kind: subject, old: old.data, new: next.data };
	}
	if (subject === VERSION_SUBJECT) {
		const next = z.object({ effectiveFrom: z.string() }).safeParse(newValue);
		if (!next.success) return other;
		return { kind: 'version', effectiveFrom: next.data.effectiveFrom };
	}
	if (subject.startsWith(CATEGORY_SUBJECT)) {
		const old = categoryValueSchema.nullable().safeParse(oldValue);
		const next = categoryValueSchema.nullable().safeParse(newValue);
		if (!old.success || !next.success) return other;
		return {
			kind: 'fault_category',
			code: subject.slice(CATEGORY_SUBJECT.length),
			old: old.data,
			new: next.data
		};
	}
	return other;
}

/**
 * The station's settings changes, newest first. Rows of one change share its transaction's
 * time, so they stay together, ordered by subject.
 */
export async function listSettingsHistory(
	db: Database,
	user: SessionUser,
	options: z.output<typeof settingsHistoryInputSchema>
): Promise<SettingsHistoryPage> {
	requireSettingsEditor(user);
	const rows = await db
		.select({
			id: settingsAudit.id,
			changedAt: settingsAudit.changedAt,
			subject: settingsAudit.subject,
			oldValue: settingsAudit.oldValue,
			newValue: settingsAudit.newValue,
			login: users.login,
			name: users.name
		})
		.from(settingsAudit)
		.leftJoin(
			users,
			and(eq(users.stationId, settingsAudit.stationId), eq(users.id, settingsAudit.userId))
		)
		.where(eq(settingsAudit.stationId, user.stationId))
		.orderBy(desc(settingsAudit.changedAt), asc(settingsAudit.subject), asc(settingsAudit.id))
		.limit(options.pageSize + 1)
		.offset((options.page - 1) * options.pageSize);
	return {
		entries: rows.slice(0, options.pageSize).map((row) => ({
			id: row.id,
			changedAt: row.changedAt,
			changedBy:
				row.login !== null && row.name !== null ? { login: row.login, name: row.name } : null,
			subject: row.subject,
			change: readChange(row.subject, row.oldValue, row.newValue)
		})),
		page: options.page,
		pageSize: options.pageSize,
		hasMore: rows.length > options.pageSize
	};
}

function isStationSwitch(subject: string): subject is StationSwitch {
	return (STATION_SWITCHES as readonly string[]).includes(subject);
}
