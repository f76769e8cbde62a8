/** The kpi router's trend, drill-down and scoring procedures: who sees what. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db';
import type { SessionUser } from '../../auth/session-user';
import { testEngines } from '../../testing/databases';
import { createJob, createStation, createUser } from '../../testing/fixtures';
import { DEFAULT_KPI_SETTINGS } from '../../../shared/kpi-settings';
import { createCallerFactory } from '../core';
import { kpiRouter } from './kpi';
import { refreshStaleFacts } from '../../kpi/fact-refresh';

const createCaller = createCallerFactory(kpiRouter);
const MARCH = { from: '2026-03-01', to: '2026-04-01' };
const SPRING = { firstMonth: '2026-02', months: 3 };

for (const engine of testEngines()) {
	describe(`kpi router trends and drill-down (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let alice: SessionUser;
		let bob: SessionUser;
		let boss: SessionUser;
		let southBoss: SessionUser;
		const as = (user: SessionUser | null) => createCaller({ db: handle.db, user });

		beforeAll(async () => {
			handle = await engine.open();
			const db = handle.db;
			const north = await createStation(db, 'NORTH');
			const south = await createStation(db, 'SOUTH');
			alice = await createUser(db, north, 'alice');
			bob = await createUser(db, north, 'bob');
			boss = await createUser(db, north, 'boss', 'supervisor');
			southBoss = await createUser(db, south, 'boss', 'supervisor');
			const carol = await createUser(db, south, 'carol');
			const completed = (tech: SessionUser, jobNo: string, completedAt: string) =>
				createJob(db, tech, {
					jobNo,
					customerName: `客户 ${jobNo}`,
					status: 'completed',
					outcome: 'fixed',
					reportedAt: new Date(Date.parse(completedAt) - 3_600_000),
					completedAt: new Date(completedAt)
				});
			await completed(alice, 'A-1', '2026-03-02T05:00:00Z');
			await completed(alice, 'A-2', '2026-04-02T05:00:00Z');
			await completed(bob, 'B-1', '2026-03-03T05:00:00Z');
			await completed(carol, 'C-1', '2026-03-02T05:00:00Z');
			// The facts a write's request or the background worker would refresh (fact-refresh.ts).
			await refreshStaleFacts(db);
		});
		afterAll(async () => {
			await handle?.close();
		});

		it("gives supervisors every technician's months of their own station", async () => {
			const rows = await as(boss).trends(SPRING);
			expect(rows.map((r) => [r.month, r.login, r.jobs_completed])).toEqual([
				['2026-03', 'alice', 1],
				['2026-03', 'bob', 1],
				['2026-04', 'alice', 1]
			]);
			expect((await as(southBoss).trends(SPRING)).map((r) => r.login)).toEqual(['carol']);
		});

		it('gives a technician only their own months', async () => {
			const rows = await as(bob).trends(SPRING);
			expect(rows.map((r) => [r.month, r.login])).toEqual([['2026-03', 'bob']]);
		});

		it('names the jobs behind the numbers with customer and report time', async () => {
			const jobs = await as(boss).drillDown({ ...MARCH, technicianId: alice.id });
			expect(jobs).toHaveLength(1);
			expect(jobs[0]).toMatchObject({
				job_no: 'A-1',
				technician_login: 'alice',
				customer_name: '客户 A-1',
				reported_at: '2026-03-02T04:00:00.000Z',
				completed_at: '2026-03-02T05:00:00.000Z',
				success: true
			});
			const station = await as(boss).drillDown(MARCH);
			expect(station.map((job) => job.job_no)).toEqual(['A-1', 'B-1']);
		});

		it('keeps a technician to their own jobs and a station to its own', async () => {
			expect((await as(bob).drillDown(MARCH)).map((job) => job.job_no)).toEqual(['B-1']);
			await expect(as(bob).drillDown({ ...MARCH, technicianId: alice.id })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
			expect(await as(southBoss).drillDown({ ...MARCH, technicianId: alice.id })).toEqual([]);
		});

		it("tells anyone signed in the station's scoring rules", async () => {
			expect(await as(bob).scoring()).toEqual({
				kpiSettings: DEFAULT_KPI_SETTINGS,
				minJobsForRanking: 5
			});
		});

		it('refuses callers without a session and windows that are not whole months', async () => {
			await expect(as(null).trends(SPRING)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
			await expect(as(null).drillDown(MARCH)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
			await expect(as(null).scoring()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
			await expect(as(boss).trends({ firstMonth: '2026-3', months: 3 })).rejects.toMatchObject({
				code: 'BAD_REQUEST'
			});
		});
	});
}
