/**
 * The open-jobs board of the caller's station (jobs/board.ts): the desk and supervisors; the
 * service refuses everyone else. A read: served by the read replica when there is one.
 */
import { onReadReplica } from '../../db/read-replica';
import { authedProcedure, router } from '../core';
import { boardFiltersSchema } from '../../../shared/board';
import { openJobsBoard } from '../../jobs/board';

export const boardRouter = router({
	openJobs: authedProcedure
		.input(boardFiltersSchema)
		.query(({ ctx, input }) => onReadReplica(ctx, (db) => openJobsBoard(db, ctx.user, input)))
});
