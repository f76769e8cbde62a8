/**
 * The region manager's reads (kpi/region.ts): the assigned stations side by side, and one of
 * them's own scorecard. Queries only: a region manager changes nothing (roles.md).
 */
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import { roleProcedure, router } from '../core';
import { kpiPeriodSchema } from '../../../shared/kpi';
import { regionComparison, regionStationScorecard, regionStationsOf } from '../../kpi/region';

const regionProcedure = roleProcedure('region_manager');

const stationPeriodSchema = zm.extend(kpiPeriodSchema, {
	// Checked against the region by the service (NOT_FOUND outside it, whatever the text).
	stationId: z.string().max(64)
});

export const regionRouter = router({
	stations: regionProcedure.query(({ ctx }) => regionStationsOf(ctx.db, ctx.user)),
	comparison: regionProcedure
		.input(kpiPeriodSchema)
		.query(({ ctx, input }) => regionComparison(ctx.db, ctx.user, input)),
	stationScorecard: regionProcedure
		.input(stationPeriodSchema)
		.query(({ ctx, input }) => regionStationScorecard(ctx.db, ctx.user, input))
});
