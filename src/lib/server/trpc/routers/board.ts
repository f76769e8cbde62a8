/**
 * The open-jobs board of the caller's station (jobs/board.ts): the desk and supervisors; the
 * service refuses everyone else.
 */
import { authedProcedure, router } from '../core';
import { boardFiltersSchema } from '../../../shared/board';
import { openJobsBoard } from '../../jobs/board';

export const boardRouter = router({
	openJobs: authedProcedure
		.input(boardFiltersSchema)
		.query(({ ctx, input }) => openJobsBoard(ctx.db, ctx.user, input))
});
