/**
 * The station's worklists (issue 12): follow-up calls and the reworks for the desk and
 * supervisors, unverified jobs for supervisors. The services check every role themselves
 * (roles.md); the procedures only validate and pass on.
 */
import { authedProcedure, router } from '../core';
import {
	closeForFollowUp,
	closeForFollowUpSchema,
	followUpCallList,
	followUpCallListInputSchema,
	followUpCallListSchema,
	recordCallSchema,
	recordFollowUpCall,
	reopenForFollowUp,
	reopenForFollowUpSchema
} from '../../follow-ups/calls';
import { reworkList, reworkListInputSchema, reworkListSchema } from '../../review/reworks';
import {
	unverifiedJobs,
	unverifiedListInputSchema,
	unverifiedListSchema,
	verifyJobs,
	verifyJobsSchema
} from '../../jobs/verification';

import { worklistCounts } from '../../review/worklist-counts';
import { kpiPeriodSchema } from '../../../shared/kpi';

export const worklistsRouter = router({
	/** The station home's counts of every worklist (supervisors). */
	counts: authedProcedure
		.input(kpiPeriodSchema)
		.query(({ ctx, input }) => worklistCounts(ctx.db, ctx.user, input)),
	followUpCalls: authedProcedure
		.input(followUpCallListInputSchema)
		.output(followUpCallListSchema)
		.query(({ ctx, input }) => followUpCallList(ctx.db, ctx.user, input)),
	recordCall: authedProcedure
		.input(recordCallSchema)
		.mutation(({ ctx, input }) => recordFollowUpCall(ctx.db, ctx.user, input)),
	closeForFollowUp: authedProcedure
		.input(closeForFollowUpSchema)
		.mutation(({ ctx, input }) => closeForFollowUp(ctx.db, ctx.user, input)),
	reopenForFollowUp: authedProcedure
		.input(reopenForFollowUpSchema)
		.mutation(({ ctx, input }) => reopenForFollowUp(ctx.db, ctx.user, input)),
	reworks: authedProcedure
		.input(reworkListInputSchema)
		.output(reworkListSchema)
		.query(({ ctx, input }) => reworkList(ctx.db, ctx.user, input)),
	unverified: authedProcedure
		.input(unverifiedListInputSchema)
		.output(unverifiedListSchema)
		.query(({ ctx, input }) => unverifiedJobs(ctx.db, ctx.user, input)),
	verifyMany: authedProcedure
		.input(verifyJobsSchema)
		.mutation(({ ctx, input }) => verifyJobs(ctx.db, ctx.user, input))
});
