/**
 * The supervisor's review listings, always for the caller's own station: KPI alerts, the
 * follow-up queue (and recording a call from it), and jobs with data-quality flags. Technicians
 * are refused: these pages compare colleagues.
 */
import { roleProcedure, router } from '../core';
import { kpiPeriodSchema } from '../../../shared/kpi';
import { reviewAlerts } from '../../review/alerts';
import { dataQuality } from '../../review/data-quality';
import { followUpQueue, recordQueuedFollowUp } from '../../review/follow-up-queue';
import {
	alertsReportSchema,
	dataQualityReportSchema,
	followUpQueueInputSchema,
	followUpQueuePageSchema,
	recordFollowUpSchema
} from '../../review/schemas';

const reviewerProcedure = roleProcedure('supervisor');

export const reviewRouter = router({
	alerts: reviewerProcedure
		.input(kpiPeriodSchema)
		.output(alertsReportSchema)
		.query(({ ctx, input }) => reviewAlerts(ctx.db, { stationId: ctx.user.stationId, ...input })),

	followUpQueue: reviewerProcedure
		.input(followUpQueueInputSchema)
		.output(followUpQueuePageSchema)
		.query(({ ctx, input }) => followUpQueue(ctx.db, ctx.user.stationId, input)),

	recordFollowUp: reviewerProcedure
		.input(recordFollowUpSchema)
		.mutation(({ ctx, input }) => recordQueuedFollowUp(ctx.db, ctx.user, input)),

	dataQuality: reviewerProcedure
		.input(kpiPeriodSchema)
		.output(dataQualityReportSchema)
		.query(({ ctx, input }) => dataQuality(ctx.db, { stationId: ctx.user.stationId, ...input }))
});
