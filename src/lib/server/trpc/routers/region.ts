/**
 * The region manager's reads (kpi/region.ts): the assigned stations side by side, and one of
 * them's own scorecard; and the jobs behind its numbers (kpi/region-drill-down.ts): a
 * technician's scorecard with its jobs, and one job. Queries only: a region manager changes
 * nothing (roles.md).
 */
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import { roleProcedure, router } from '../core';
import { kpiPeriodSchema } from '../../../shared/kpi';
import { regionComparison, regionStationScorecard, regionStationsOf } from '../../kpi/region';
import {
	regionJob,
	regionStationDrillDown,
	regionStationTechnicians,
	regionTechnicianReport
} from '../../kpi/region-drill-down';

const regionProcedure = roleProcedure('region_manager');

const stationPeriodSchema = zm.extend(kpiPeriodSchema, {
	// Checked against the region by the service (NOT_FOUND outside it, whatever the text).
	stationId: z.string().max(64)
});

const stationRefSchema = z.object({ stationId: z.string().max(64) });

const technicianPeriodSchema = zm.extend(stationPeriodSchema, {
	technicianId: z.uuid('technicianId must be a user id (UUID)')
});

const stationJobSchema = z.object({
	stationId: z.string().max(64),
	jobId: z.uuid('jobId must be a job id (UUID)')
});

export const regionRouter = router({
	stations: regionProcedure.query(({ ctx }) => regionStationsOf(ctx.db, ctx.user)),
	comparison: regionProcedure
		.input(kpiPeriodSchema)
		.query(({ ctx, input }) => regionComparison(ctx.db, ctx.user, input)),
	stationScorecard: regionProcedure
		.input(stationPeriodSchema)
		.query(({ ctx, input }) => regionStationScorecard(ctx.db, ctx.user, input)),
	stationTechnicians: regionProcedure
		.input(stationRefSchema)
		.query(({ ctx, input }) => regionStationTechnicians(ctx.db, ctx.user, input.stationId)),
	/** One technician's scorecard and the jobs behind each of its numbers. */
	technicianReport: regionProcedure
		.input(technicianPeriodSchema)
		.query(({ ctx, input }) => regionTechnicianReport(ctx.db, ctx.user, input)),
	/** The jobs behind the station's own figures (kpi/station-drill-down.ts). */
	stationDrillDown: regionProcedure
		.input(stationPeriodSchema)
		.query(({ ctx, input }) => regionStationDrillDown(ctx.db, ctx.user, input)),
	/** One job of a station of the region, read only. */
	job: regionProcedure
		.input(stationJobSchema)
		.query(({ ctx, input }) => regionJob(ctx.db, ctx.user, input))
});
