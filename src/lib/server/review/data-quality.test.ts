/** Data-quality flags grouped per technician, on a hand-built station. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import type { NewJob } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { testEngines } from '../testing/databases';
import { createJob, createStation, createUser } from '../testing/fixtures';
import { jobFacts } from '../kpi/job-facts';
import { createCallerFactory } from '../trpc/core';
import { reviewRouter } from '../trpc/routers/review';
import { dataQualityReportSchema } from './schemas';
import { refreshStaleFacts } from '../kpi/fact-refresh';

const createCaller = createCallerFactory(reviewRouter);
const MINUTE = 60 * 1000;
const MARCH = { from: '2026-03-01', to: '2026-04-01' };
/** Noon in Shanghai on a day of March 2026. */
const marchNoon = (day: number) => new Date(Date.UTC(2026, 2, day, 4));
const before = (date: Date, minutes: number) => new Date(date.getTime() - minutes * MINUTE);

for (const engine of testEngines()) {
	describe(`review data quality (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let stationId: string;
		let boss: SessionUser;
		let alice: SessionUser;
		let bob: SessionUser;
		let southBoss: SessionUser;
		const as = (user: SessionUser | null) => createCaller({ db, user });

		/** Completed at noon on `day`; clean (reported 3 h, arrived 2 h, started 1 h before) unless changed. */
		function completed(
			tech: SessionUser,
			jobNo: string,
			day: number,
			values: Partial<NewJob> = {}
		) {
			const completedAt = marchNoon(day);
			return createJob(db, tech, {
				jobNo,
				status: 'completed',
				outcome: 'fixed',
				reportedAt: before(completedAt, 180),
				arrivedAt: before(completedAt, 120),
				startedAt: before(completedAt, 60),
				completedAt,
				...values
			});
		}

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const north = await createStation(db, 'NORTH');
			stationId = north.id;
			boss = await createUser(db, north, 'boss', 'supervisor');
			alice = await createUser(db, north, 'alice');
			bob = await createUser(db, north, 'bob');
			const carl = await createUser(db, north, 'carl');

			await completed(alice, 'A-CLEAN', 1);
			await completed(alice, 'A-NO-ARRIVAL', 2, { arrivedAt: null });
			// No arrival and no start: two flags on one job.
			await completed(alice, 'A-NO-TIMES', 3, { arrivedAt: null, startedAt: null });
			// Arrived before the customer reported the fault.
			await completed(alice, 'A-ORDER', 4, { arrivedAt: before(marchNoon(4), 240) });
			// 13 hours of repair: over 720 minutes.
			await completed(alice, 'A-LONG', 5, {
				startedAt: before(marchNoon(5), 780),
				reportedAt: before(marchNoon(5), 900),
				arrivedAt: before(marchNoon(5), 800)
			});
			await completed(bob, 'B-NO-START', 6, { startedAt: null });
			await completed(bob, 'B-CLEAN', 7);
			// Flagged, but outside the period or not completed: not listed.
			await completed(bob, 'B-APRIL', 1, {
				completedAt: new Date('2026-04-01T04:00:00Z'),
				arrivedAt: null
			});
			await createJob(db, bob, { jobNo: 'B-OPEN', status: 'open' });
			await createJob(db, bob, { jobNo: 'B-CANCELLED', status: 'cancelled' });
			await completed(carl, 'C-CLEAN', 8);

			const south = await createStation(db, 'SOUTH');
			southBoss = await createUser(db, south, 'boss', 'supervisor');
			await completed(await createUser(db, south, 'dora'), 'S-NO-ARRIVAL', 2, { arrivedAt: null });
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('groups the flagged jobs per technician with a count per flag', async () => {
			await refreshStaleFacts(db);
			const report = await as(boss).dataQuality(MARCH);
			expect(dataQualityReportSchema.parse(report)).toEqual(report);
			expect(report.period).toEqual(MARCH);
			// Only technicians with flagged jobs, the most flagged first.
			expect(report.groups.map((group) => group.login)).toEqual(['alice', 'bob']);

			const [aliceGroup, bobGroup] = report.groups;
			expect(aliceGroup).toMatchObject({
				technicianId: alice.id,
				name: 'alice 名字',
				jobsCompleted: 5,
				flaggedJobs: 4,
				flagCounts: { missing_arrival: 2, missing_start: 1, out_of_order: 1, long_repair: 1 }
			});
			expect(aliceGroup.jobs.map((job) => [job.jobNo, job.flags])).toEqual([
				['A-NO-ARRIVAL', ['missing_arrival']],
				['A-NO-TIMES', ['missing_arrival', 'missing_start']],
				['A-ORDER', ['out_of_order']],
				['A-LONG', ['long_repair']]
			]);
			expect(bobGroup).toMatchObject({
				technicianId: bob.id,
				jobsCompleted: 2,
				flaggedJobs: 1,
				flagCounts: { missing_arrival: 0, missing_start: 1, out_of_order: 0, long_repair: 0 }
			});
		});

		it('gives each job its times', async () => {
			await refreshStaleFacts(db);
			const report = await as(boss).dataQuality(MARCH);
			const jobs = new Map(
				report.groups.flatMap((group) => group.jobs).map((job) => [job.jobNo, job])
			);
			expect(jobs.get('A-NO-TIMES')).toEqual({
				jobId: expect.any(String),
				jobNo: 'A-NO-TIMES',
				reportedAt: '2026-03-03T01:00:00.000Z',
				arrivedAt: null,
				startedAt: null,
				completedAt: '2026-03-03T04:00:00.000Z',
				repairMinutes: null,
				flags: ['missing_arrival', 'missing_start'],
				accepted: []
			});
			expect(jobs.get('A-LONG')).toMatchObject({
				arrivedAt: '2026-03-04T14:40:00.000Z',
				startedAt: '2026-03-04T15:00:00.000Z',
				repairMinutes: 780
			});
		});

		it('lists exactly the jobs the KPI engine flags', async () => {
			await refreshStaleFacts(db);
			const report = await as(boss).dataQuality(MARCH);
			const listed = report.groups.flatMap((group) => group.jobs.map((job) => job.jobNo)).sort();
			await refreshStaleFacts(db);
			const facts = await jobFacts(db, { stationId, ...MARCH });
			// A job whose flags were all accepted is still listed, as accepted.
			const flagged = facts
				.filter((fact) => fact.flags.length > 0 || fact.accepted_flags.length > 0)
				.map((fact) => fact.job_no);
			expect(listed).toEqual(flagged.sort());
		});

		it('keeps to the period and the station', async () => {
			await refreshStaleFacts(db);
			const april = await as(boss).dataQuality({ from: '2026-04-01', to: '2026-05-01' });
			expect(
				april.groups.map((group) => [group.login, group.jobs.map((job) => job.jobNo)])
			).toEqual([['bob', ['B-APRIL']]]);
			await refreshStaleFacts(db);
			const south = await as(southBoss).dataQuality(MARCH);
			expect(south.groups.map((group) => group.login)).toEqual(['dora']);
			expect(JSON.stringify(await as(boss).dataQuality(MARCH))).not.toContain('S-NO-ARRIVAL');
			await refreshStaleFacts(db);
			expect((await as(boss).dataQuality({ from: '2025-01-01', to: '2025-02-01' })).groups).toEqual(
				[]
			);
		});

		it('refuses technicians and anonymous callers', async () => {
			await expect(as(alice).dataQuality(MARCH)).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(as(null).dataQuality(MARCH)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		});
	});
}
