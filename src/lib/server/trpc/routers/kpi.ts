/**
 * The KPI contract over tRPC, always for the caller's own station. Who sees which rows is the
 * kpi domain's rule (kpi/visible-scorecard.ts): supervisors every technician, a technician only
 * their own row and their own jobs. Every procedure here only reads: each is served by the read
 * replica when there is one (db/read-replica.ts).
 */
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import { onReadReplica } from '../../db/read-replica';
import { roleProcedure, router } from '../core';
import {
	factsFreshnessSchema,
	jobFactSchema,
	kpiPeriodSchema,
	scorecardRowSchema,
	stationKpiRowSchema
} from '../../../shared/kpi';
import { kpiSettingsSchema } from '../../../shared/kpi-settings';
import { drillDownJobSchema } from '../../kpi/drill-down';
import { factsFreshness } from '../../kpi/fact-refresh';
import {
	monthlyStationKpiRowSchema,
	visibleMonthlyStationKpis,
	visibleStationKpis
} from '../../kpi/station-kpis';
import { monthlyScorecardRowSchema, stationScoring, trendWindowSchema } from '../../kpi/trends';
import { scorecardGroundRowSchema } from '../../kpi/scorecard';
import { technicianReport } from '../../kpi/technician-report';
import { stationDrillDown, stationDrillDownSchema } from '../../kpi/station-drill-down';
import {
	visibleDrillDownJobs,
	visibleJobFacts,
	visibleMonthlyScorecards,
	visibleScorecard,
	visibleScorecardWithGround
} from '../../kpi/visible-scorecard';

const jobFactsInputSchema = zm.safeExtend(kpiPeriodSchema, {
	technicianId: z.uuid('technicianId must be a user id (UUID)').optional()
});

/** Any id names no technician rather than being refused: the page answers 404 either way. */
const technicianReportInputSchema = zm.safeExtend(kpiPeriodSchema, {
	technicianId: z.string().max(64, 'technicianId is too long')
});

/**
 * Scorecards and their settings are for technicians (their own) and supervisors; a station
 * administrator reads jobs but no scores (roles.md).
 */
const scorecardProcedure = roleProcedure('technician', 'supervisor');

export const kpiRouter = router({
	scorecard: scorecardProcedure
		.input(kpiPeriodSchema)
		.output(z.array(scorecardRowSchema))
		.query(({ ctx, input }) => onReadReplica(ctx, (db) => visibleScorecard(db, ctx.user, input))),

	/**
	 * The scorecard with what each of its numbers rests on (docs/kpi-rules.md "Minimum samples"):
	 * per technician and scored KPI its sample, minimum, points, weight and contribution. One
	 * computation for both, for the pages that show both.
	 */
	scorecardWithGround: scorecardProcedure
		.input(kpiPeriodSchema)
		.output(
			z.object({ rows: z.array(scorecardRowSchema), ground: z.array(scorecardGroundRowSchema) })
		)
		.query(({ ctx, input }) =>
			onReadReplica(ctx, (db) => visibleScorecardWithGround(db, ctx.user, input))
		),

	/** The jobs behind a scorecard row; without technicianId, the whole station's. */
	jobFacts: scorecardProcedure
		.input(jobFactsInputSchema)
		.output(z.array(jobFactSchema))
		.query(({ ctx, input }) => onReadReplica(ctx, (db) => visibleJobFacts(db, ctx.user, input))),

	/** The same jobs with the customer and report time, for the drill-down lists. */
	drillDown: scorecardProcedure
		.input(jobFactsInputSchema)
		.output(z.array(drillDownJobSchema))
		.query(({ ctx, input }) =>
			onReadReplica(ctx, (db) => visibleDrillDownJobs(db, ctx.user, input))
		),

	/**
	 * One technician's page: their row, the one compared with, its ground, the settings, a year's
	 * trend, the jobs behind every number and the closure; null for no technician of the station.
	 */
	technicianReport: roleProcedure('supervisor')
		.input(technicianReportInputSchema)
		.query(({ ctx, input }) => onReadReplica(ctx, (db) => technicianReport(db, ctx.user, input))),

	/**
	 * The jobs behind the station's own figures: each list of the technician pages across the
	 * station, cut to what a page shows, with the count of all (supervisors).
	 */
	stationDrillDown: roleProcedure('supervisor')
		.input(kpiPeriodSchema)
		.output(stationDrillDownSchema)
		.query(({ ctx, input }) =>
			onReadReplica(ctx, (db) => stationDrillDown(db, { stationId: ctx.user.stationId, ...input }))
		),

	/** The scorecard of each month of a window (a technician: their own rows). */
	trends: scorecardProcedure
		.input(trendWindowSchema)
		.output(z.array(monthlyScorecardRowSchema))
		.query(({ ctx, input }) =>
			onReadReplica(ctx, (db) => visibleMonthlyScorecards(db, ctx.user, input))
		),

	/** The station's own row of a period (the station home; supervisors). */
	stationKpis: roleProcedure('supervisor')
		.input(kpiPeriodSchema)
		.output(zm.nullable(stationKpiRowSchema))
		.query(({ ctx, input }) => onReadReplica(ctx, (db) => visibleStationKpis(db, ctx.user, input))),

	/** The station's own row of each month of a window (the home's trend lines; supervisors). */
	stationTrends: roleProcedure('supervisor')
		.input(trendWindowSchema)
		.output(z.array(monthlyStationKpiRowSchema))
		.query(({ ctx, input }) =>
			onReadReplica(ctx, (db) => visibleMonthlyStationKpis(db, ctx.user, input))
		),

	/**
	 * How far the station's KPI facts are behind its writes: they are refreshed in the
	 * background, never by a read, so a page says "as of" while jobs wait (kpi/fact-refresh.ts).
	 */
	freshness: scorecardProcedure
		.output(factsFreshnessSchema)
		.query(({ ctx }) => factsFreshness(ctx.db, ctx.user.stationId)),

	/**
	 * The thresholds, weights and ranking minimum the station's scores of a period are computed
	 * with (the settings version in force on its last day, or today's); without one, today's.
	 */
	scoring: scorecardProcedure
		.input(zm.optional(kpiPeriodSchema))
		.output(z.object({ kpiSettings: kpiSettingsSchema, minJobsForRanking: z.number().int() }))
		.query(({ ctx, input }) =>
			onReadReplica(ctx, (db) => stationScoring(db, ctx.user.stationId, input))
		)
});
