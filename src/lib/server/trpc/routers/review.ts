/**
 * The supervisor's review listings, always for the caller's own station: KPI alerts and jobs
 * with data-quality flags. Technicians are refused: these pages compare colleagues. (Follow-up
 * calls are the desk's worklist: routers/worklists.ts.)
 */
import { roleProcedure, router } from '../core';
import { kpiPeriodSchema } from '../../../shared/kpi';
import { reviewAlerts } from '../../review/alerts';
import { dataQuality } from '../../review/data-quality';
import { z } from 'zod';
import { onReadReplica } from '../../db/read-replica';
import { acceptedFlagsOfJob, acceptJobFlag } from '../../review/flag-acceptance';
import {
	monthlyReport,
	monthlyReportSchema,
	reportMonthInputSchema
} from '../../review/monthly-report';
import {
	acceptFlagInputSchema,
	acceptedFlagSchema,
	alertsReportSchema,
	dataQualityReportSchema
} from '../../review/schemas';

const reviewerProcedure = roleProcedure('supervisor');

export const reviewRouter = router({
	alerts: reviewerProcedure
		.input(kpiPeriodSchema)
		.output(alertsReportSchema)
		.query(({ ctx, input }) => reviewAlerts(ctx.db, { stationId: ctx.user.stationId, ...input })),

	dataQuality: reviewerProcedure
		.input(kpiPeriodSchema)
		.output(dataQualityReportSchema)
		.query(({ ctx, input }) => dataQuality(ctx.db, { stationId: ctx.user.stationId, ...input })),

	/**
	 * The month's report: scorecard, samples, the jobs behind failures and flags. A read: served
	 * by the read replica when there is one (db/read-replica.ts).
	 */
	monthlyReport: reviewerProcedure
		.input(reportMonthInputSchema)
		.output(monthlyReportSchema)
		.query(({ ctx, input }) =>
			onReadReplica(ctx, (db) => monthlyReport(db, ctx.user, input.month))
		),

	/** Accepts a flag on a job with a reason (audited); the service refuses anyone else. */
	acceptFlag: reviewerProcedure
		.input(acceptFlagInputSchema)
		.output(acceptedFlagSchema)
		.mutation(({ ctx, input }) => acceptJobFlag(ctx.db, ctx.user, input)),

	/** A job's accepted flags with who accepted each, when and why (the job page). */
	jobAcceptedFlags: reviewerProcedure
		.input(z.object({ jobId: z.uuid() }))
		.output(z.array(acceptedFlagSchema))
		.query(({ ctx, input }) => acceptedFlagsOfJob(ctx.db, ctx.user, input.jobId))
});
