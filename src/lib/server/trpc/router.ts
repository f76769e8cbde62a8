import { router } from './core';
import { adminRouter } from './routers/admin';
import { appealsRouter } from './routers/appeals';
import { authRouter } from './routers/auth';
import { boardRouter } from './routers/board';
import { filesRouter } from './routers/files';
import { followUpsRouter } from './routers/follow-ups';
import { jobsRouter } from './routers/jobs';
import { kpiRouter } from './routers/kpi';
import { overlapsRouter } from './routers/overlaps';
import { partsRouter } from './routers/parts';
import { periodsRouter } from './routers/periods';
import { regionRouter } from './routers/region';
import { reviewRouter } from './routers/review';
import { settingsRouter } from './routers/settings';
import { stationsRouter } from './routers/stations';
import { syncRouter } from './routers/sync';
import { worklistsRouter } from './routers/worklists';

export const appRouter = router({
	auth: authRouter,
	admin: adminRouter,
	appeals: appealsRouter,
	jobs: jobsRouter,
	board: boardRouter,
	files: filesRouter,
	parts: partsRouter,
	followUps: followUpsRouter,
	stations: stationsRouter,
	kpi: kpiRouter,
	overlaps: overlapsRouter,
	periods: periodsRouter,
	region: regionRouter,
	review: reviewRouter,
	settings: settingsRouter,
	sync: syncRouter,
	worklists: worklistsRouter
});

export type AppRouter = typeof appRouter;
