/**
 * The KPI contract over tRPC, always for the caller's own station. Supervisors see every
 * technician; a technician sees only their own row and their own jobs (the ranks in
 * that row are still computed over the whole station).
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import { m } from '../../../paraglide/messages.js';
import { roleProcedure, router } from '../core';
import type { SessionUser } from '../../auth/session-user';
import { technicianScope } from '../../jobs/access';
import { jobFactSchema, kpiPeriodSchema, scorecardRowSchema } from '../../../shared/kpi';
import { kpiSettingsSchema } from '../../../shared/kpi-settings';
import { computeScorecard } from '../../kpi/scorecard';
import { jobFacts } from '../../kpi/job-facts';
import { drillDownJobSchema, drillDownJobs } from '../../kpi/drill-down';
import {
	monthlyScorecardRowSchema,
	monthlyScorecards,
	stationScoring,
	trendWindowSchema
} from '../../kpi/trends';

const jobFactsInputSchema = zm.safeExtend(kpiPeriodSchema, {
	technicianId: z.uuid('technicianId must be a user id (UUID)').optional()
});

/**
 * Scorecards and their settings are for technicians (their own) and supervisors; a station
 * administrator reads jobs but no scores (roles.md).
 */
const scorecardProcedure = roleProcedure('technician', 'supervisor');

/** Whose jobs a caller may see: a technician always their own, others whom they ask for. */
function factsTechnicianId(user: SessionUser, requested: string | undefined): string | undefined {
	const ownJobsOnly = technicianScope(user);
	if (ownJobsOnly === null) return requested;
	if (requested && requested !== ownJobsOnly) {
		throw new TRPCError({
			code: 'FORBIDDEN',
			message: m.srv_own_facts_only()
		});
	}
	return ownJobsOnly;
}

export const kpiRouter = router({
	scorecard: scorecardProcedure
		.input(kpiPeriodSchema)
		.output(z.array(scorecardRowSchema))
		.query(async ({ ctx, input }) => {
			const rows = await computeScorecard(ctx.db, { stationId: ctx.user.stationId, ...input });
			if (ctx.user.role !== 'technician') return rows;
			return rows.filter((row) => row.login === ctx.user.login);
		}),

	/** The jobs behind a scorecard row; without technicianId, the whole station's. */
	jobFacts: scorecardProcedure
		.input(jobFactsInputSchema)
		.output(z.array(jobFactSchema))
		.query(({ ctx, input }) =>
			jobFacts(ctx.db, {
				stationId: ctx.user.stationId,
				from: input.from,
				to: input.to,
				technicianId: factsTechnicianId(ctx.user, input.technicianId)
			})
		),

	/** The same jobs with the customer and report time, for the drill-down lists. */
	drillDown: scorecardProcedure
		.input(jobFactsInputSchema)
		.output(z.array(drillDownJobSchema))
		.query(({ ctx, input }) =>
			drillDownJobs(ctx.db, {
				stationId: ctx.user.stationId,
				from: input.from,
				to: input.to,
				technicianId: factsTechnicianId(ctx.user, input.technicianId)
			})
		),

	/** The scorecard of each month of a window (a technician: their own rows). */
	trends: scorecardProcedure
		.input(trendWindowSchema)
		.output(z.array(monthlyScorecardRowSchema))
		.query(async ({ ctx, input }) => {
			const rows = await monthlyScorecards(ctx.db, { stationId: ctx.user.stationId, ...input });
			if (ctx.user.role !== 'technician') return rows;
			return rows.filter((row) => row.login === ctx.user.login);
		}),

	/** The thresholds, weights and ranking minimum the station's scores are computed with. */
	scoring: scorecardProcedure
		.output(z.object({ kpiSettings: kpiSettingsSchema, minJobsForRanking: z.number().int() }))
		.query(({ ctx }) => stationScoring(ctx.db, ctx.user.stationId))
});
