/** The ranking rules: the rework window (days) and the minimum completed jobs for a rank. */
import { z } from 'zod';
import type { Database } from '../../db';
import type { SessionUser } from '../../auth/session-user';
import type { SettingsChangeResult } from '../../../shared/station-settings';
import { addProblem, wholeNumberIn } from './fields';
import { editSettings, writeAudit, type AuditRow } from './editing';
import { effectiveFromSchema, lockSettings, writeSettingsVersion } from './versions';

/** kpi.md defaults of the station's ranking rules (the column defaults of `stations`). */
export const DEFAULT_REWORK_WINDOW_DAYS = 30;
export const DEFAULT_MIN_JOBS_FOR_RANKING = 5;

export const REWORK_WINDOW_DAYS_RANGE = { min: 1, max: 365 } as const;
export const MIN_JOBS_FOR_RANKING_RANGE = { min: 0, max: 1000 } as const;

export const rankingRulesInputSchema = z
	.object({
		reworkWindowDays: wholeNumberIn(REWORK_WINDOW_DAYS_RANGE).optional(),
		minJobsForRanking: wholeNumberIn(MIN_JOBS_FOR_RANKING_RANGE).optional(),
		effectiveFrom: effectiveFromSchema
	})
	.superRefine((input, ctx) => {
		if (input.reworkWindowDays === undefined && input.minJobsForRanking === undefined) {
			addProblem(ctx, [], 'nothing_to_change', 'give reworkWindowDays, minJobsForRanking or both');
		}
	});

export async function updateRankingRules(
	db: Database,
	user: SessionUser,
	input: z.output<typeof rankingRulesInputSchema>
): Promise<SettingsChangeResult> {
	return editSettings(db, user, async (tx) => {
		const station = await lockSettings(tx, user, input.effectiveFrom);
		const rows: AuditRow[] = [];
		if (
			input.reworkWindowDays !== undefined &&
			input.reworkWindowDays !== station.reworkWindowDays
		) {
			rows.push({
				subject: 'rework_window_days',
				oldValue: station.reworkWindowDays,
				newValue: input.reworkWindowDays
			});
		}
		if (
			input.minJobsForRanking !== undefined &&
			input.minJobsForRanking !== station.minJobsForRanking
		) {
			rows.push({
				subject: 'min_jobs_for_ranking',
				oldValue: station.minJobsForRanking,
				newValue: input.minJobsForRanking
			});
		}
		if (rows.length === 0) return { changed: 0 };
		await writeSettingsVersion(tx, user, station, (values) => ({
			...values,
			reworkWindowDays: input.reworkWindowDays ?? values.reworkWindowDays,
			minJobsForRanking: input.minJobsForRanking ?? values.minJobsForRanking
		}));
		await writeAudit(tx, user, rows);
		return { changed: rows.length };
	});
}
