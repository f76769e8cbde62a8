/**
 * Closed periods (kpi/closing.ts, kpi/closed-periods.ts), always of the caller's own station:
 * a supervisor closes a past month and reopens it with a reason; a scorecard's reader asks
 * whether its period is closed, by whom and when, and what changed since.
 */
import { z } from 'zod';
import { roleProcedure, router } from '../core';
import { kpiPeriodSchema, scorecardRowSchema } from '../../../shared/kpi';
import {
	closeMonthInputSchema,
	periodClosureViewSchema,
	reopenPeriodInputSchema
} from '../../../shared/period-closing';
import { closeMonth, reopenPeriod } from '../../kpi/closing';
import { liveScorecard, visibleClosure } from '../../kpi/closed-periods';

export const periodsRouter = router({
	/** The period's closure, null when it is not closed (a technician: changes on own jobs). */
	closure: roleProcedure('technician', 'supervisor')
		.input(kpiPeriodSchema)
		.output(periodClosureViewSchema.nullable())
		.query(({ ctx, input }) => visibleClosure(ctx.db, ctx.user, input)),

	/** A closed period's numbers as its jobs are now, to compare with the closed ones. */
	liveScorecard: roleProcedure('supervisor')
		.input(kpiPeriodSchema)
		.output(z.array(scorecardRowSchema))
		.query(({ ctx, input }) => liveScorecard(ctx.db, ctx.user, input)),

	close: roleProcedure('supervisor')
		.input(closeMonthInputSchema)
		.output(periodClosureViewSchema)
		.mutation(({ ctx, input }) => closeMonth(ctx.db, ctx.user, input)),

	reopen: roleProcedure('supervisor')
		.input(reopenPeriodInputSchema)
		.output(z.object({ reopened: z.literal(true) }))
		.mutation(async ({ ctx, input }) => {
			await reopenPeriod(ctx.db, ctx.user, input);
			return { reopened: true as const };
		})
});
