import { authedProcedure, roleProcedure, router } from '../core';
import { listFaultCategories } from '../../catalog/service';
import { technicianSummary } from '../../stations/service';

export const stationsRouter = router({
	current: authedProcedure.query(({ ctx }) => ({
		id: ctx.user.stationId,
		code: ctx.user.stationCode,
		name: ctx.user.stationName,
		timeZone: ctx.user.timeZone
	})),
	faultCategories: authedProcedure.query(({ ctx }) => listFaultCategories(ctx.db, ctx.user)),
	technicianSummary: roleProcedure('supervisor').query(({ ctx }) =>
		technicianSummary(ctx.db, ctx.user)
	)
});
