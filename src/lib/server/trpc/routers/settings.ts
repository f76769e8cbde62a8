/**
 * Station settings over tRPC, always for the caller's own station: supervisors
 * only (anyone else gets FORBIDDEN with the reason). Every mutation is audited by the service.
 */
import { z } from 'zod';
import { roleProcedure, router } from '../core';
import { ahpApplyInputSchema, applyAhpWeights } from '../../stations/settings/ahp';
import {
	addFaultCategory,
	changeFaultCategory,
	faultCategoryChangeInputSchema,
	newFaultCategoryInputSchema
} from '../../stations/settings/categories';
import { readStationSettings } from '../../stations/settings/current';
import { listSettingsHistory, settingsHistoryInputSchema } from '../../stations/settings/history';
import {
	kpiSettingsInputSchema,
	resetKpiSettings,
	updateKpiSettings
} from '../../stations/settings/kpi-rules';
import {
	positionRecordingInputSchema,
	signatureRequirementInputSchema,
	updatePositionRecording,
	updateSignatureRequirement
} from '../../stations/settings/evidence';
import { rankingRulesInputSchema, updateRankingRules } from '../../stations/settings/ranking';
import { effectiveFromSchema } from '../../stations/settings/versions';

const settingsProcedure = roleProcedure('supervisor');

export const settingsRouter = router({
	/** Current settings with kpi.md's defaults beside them, fault categories, last AHP. */
	get: settingsProcedure.query(({ ctx }) => readStationSettings(ctx.db, ctx.user)),
	/**
	 * Thresholds and weights of every scored KPI; weights are stored normalised to sum 1. Each
	 * change takes effect from `effectiveFrom` (today or later; default today).
	 */
	updateKpi: settingsProcedure
		.input(kpiSettingsInputSchema)
		.mutation(({ ctx, input }) => updateKpiSettings(ctx.db, ctx.user, input)),
	resetKpi: settingsProcedure
		.input(z.object({ effectiveFrom: effectiveFromSchema }).optional())
		.mutation(({ ctx, input }) => resetKpiSettings(ctx.db, ctx.user, input?.effectiveFrom)),
	/** Weights from a pairwise comparison matrix; refused when CR >= 0.10. */
	applyAhp: settingsProcedure
		.input(ahpApplyInputSchema)
		.mutation(({ ctx, input }) => applyAhpWeights(ctx.db, ctx.user, input)),
	updateRanking: settingsProcedure
		.input(rankingRulesInputSchema)
		.mutation(({ ctx, input }) => updateRankingRules(ctx.db, ctx.user, input)),
	/** Whether phones record where arrival and completion happened; from their next tap. */
	updatePositions: settingsProcedure
		.input(positionRecordingInputSchema)
		.mutation(({ ctx, input }) => updatePositionRecording(ctx.db, ctx.user, input)),
	/** Whether a technician's completion must carry the customer's signature. */
	updateSignatureRequirement: settingsProcedure
		.input(signatureRequirementInputSchema)
		.mutation(({ ctx, input }) => updateSignatureRequirement(ctx.db, ctx.user, input)),
	addFaultCategory: settingsProcedure
		.input(newFaultCategoryInputSchema)
		.mutation(({ ctx, input }) => addFaultCategory(ctx.db, ctx.user, input)),
	changeFaultCategory: settingsProcedure
		.input(faultCategoryChangeInputSchema)
		.mutation(({ ctx, input }) => changeFaultCategory(ctx.db, ctx.user, input)),
	/** Who changed what when, newest first. */
	history: settingsProcedure
		.input(settingsHistoryInputSchema.default({ page: 1, pageSize: 20 }))
		.query(({ ctx, input }) => listSettingsHistory(ctx.db, ctx.user, input))
});
