/**
 * Weights derived with AHP (kpi.md): the supervisor compares KPIs pairwise, the server
 * recomputes the weights and the consistency ratio and keeps the whole computation in the audit.
 */
import { z } from 'zod';
import type { Database } from '../../db';
import type { SessionUser } from '../../auth/session-user';
import { SCORED_KPIS, type ScoredKpi } from '../../../shared/domain';
import { ahpWeights } from '../../../shared/ahp';
import type { AhpRecord, SettingsChangeResult } from '../../../shared/station-settings';
import { addProblem, invalidInput, numberValue } from './fields';
import { AHP_SUBJECT, editSettings, writeAudit } from './editing';
import { effectiveFromSchema, lockSettings, writeSettingsVersion } from './versions';

/** kpi.md: AHP compares at least three KPIs (with two, weights are just one judgement). */
export const AHP_MIN_KPIS = 3;

/**
 * AHP weights for some of the KPIs: `matrix[i][j]` says how much more important `kpis[i]` is
 * than `kpis[j]` on Saaty's 1–9 scale. The server recomputes the weights and the consistency
 * ratio from the matrix (shared/ahp.ts) and refuses CR >= 0.10, naming the CR, λmax and the
 * weights it refused in the params.
 */
export const ahpApplyInputSchema = z
	.object({
		kpis: z.array(z.enum(SCORED_KPIS, { error: 'is not a scored KPI' })),
		matrix: z.array(z.array(numberValue)),
		effectiveFrom: effectiveFromSchema
	})
	.transform(({ kpis, matrix, effectiveFrom }, ctx) => {
		if (kpis.length < AHP_MIN_KPIS) {
			addProblem(ctx, ['kpis'], 'ahp_too_few', `choose at least ${AHP_MIN_KPIS} KPIs to compare`, {
				min: AHP_MIN_KPIS
			});
			return z.NEVER;
		}
		const duplicate = kpis.findIndex((kpi, index) => kpis.indexOf(kpi) !== index);
		if (duplicate >= 0) {
			addProblem(ctx, ['kpis', duplicate], 'ahp_duplicate', `${kpis[duplicate]} is listed twice`);
			return z.NEVER;
		}
		if (matrix.length !== kpis.length || matrix.some((row) => row.length !== kpis.length)) {
			addProblem(
				ctx,
				['matrix'],
				'ahp_matrix_size',
				`must be ${kpis.length}×${kpis.length}, one row and column per KPI in kpis`
			);
			return z.NEVER;
		}
		const result = ahpWeights(matrix);
		if (!result.ok && result.refusal === 'invalid_matrix') {
			addProblem(ctx, ['matrix'], 'ahp_matrix_invalid', result.reason);
			return z.NEVER;
		}
		if (!result.ok) {
			// The derived figures go along with the refusal, so a client can show how far the
			// judgements are from consistent and what they would have weighed.
			addProblem(ctx, ['matrix'], 'ahp_inconsistent', result.reason, {
				cr: result.cr,
				lambdaMax: result.lambdaMax,
				weights: Object.fromEntries(kpis.map((kpi, index) => [kpi, result.weights[index]]))
			});
			return z.NEVER;
		}
		const { weights, lambdaMax, ci, cr } = result;
		return { kpis, matrix, weights, lambdaMax, ci, cr, effectiveFrom };
	});

/** Every KPI's weight, as the audit stores the weights an AHP replaced (old_value). */
export const weightsValueSchema = z.record(z.enum(SCORED_KPIS), z.number());

/** An AHP as the audit stores it (settings_audit.new_value), read back. */
export const ahpRecordSchema = z.object({
	kpis: z.array(z.enum(SCORED_KPIS)),
	matrix: z.array(z.array(z.number())),
	lambdaMax: z.number(),
	ci: z.number(),
	cr: z.number(),
	weights: weightsValueSchema
});

/**
 * Weights from an accepted AHP: the compared KPIs get their AHP weights, every other KPI 0.
 * Thresholds stay. One audit row keeps the matrix, λmax, CI and CR next to the weights.
 */
export async function applyAhpWeights(
	db: Database,
	user: SessionUser,
	input: z.output<typeof ahpApplyInputSchema>
): Promise<SettingsChangeResult & { weights: Record<ScoredKpi, number>; cr: number }> {
	return editSettings(db, user, async (tx) => {
		const station = await lockSettings(tx, user, input.effectiveFrom);
		input.kpis.forEach((kpi, index) => {
			if (!station.kpiSettings.thresholds[kpi]) {
				throw invalidInput(
					['kpis', index],
					'ahp_kpi_not_scored',
					`${kpi} has no thresholds, so it is not scored; give it thresholds before weighting it`,
					{ kpi }
				);
			}
		});
		const weights = Object.fromEntries(SCORED_KPIS.map((kpi) => [kpi, 0])) as Record<
			ScoredKpi,
			number
		>;
		input.kpis.forEach((kpi, index) => (weights[kpi] = input.weights[index]));
		const record: AhpRecord = {
			kpis: input.kpis,
			matrix: input.matrix,
			lambdaMax: input.lambdaMax,
			ci: input.ci,
			cr: input.cr,
			weights
		};
		await writeSettingsVersion(tx, user, station, (values) => ({
			...values,
			kpiSettings: { ...values.kpiSettings, weights }
		}));
		await writeAudit(tx, user, [
			{ subject: AHP_SUBJECT, oldValue: station.kpiSettings.weights, newValue: record }
		]);
		return { changed: 1, weights, cr: input.cr };
	});
}
