import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import type { DatabaseHandle } from '../../db';
import type { SessionUser } from '../../auth/session-user';
import { testEngines } from '../../testing/databases';
import { createJob, createStation, createUser } from '../../testing/fixtures';
import { SCORECARD_COLUMNS, jobFactSchema, scorecardRowSchema } from '../../../shared/kpi';
import { createCallerFactory } from '../core';
import { kpiRouter } from './kpi';
import { refreshStaleFacts } from '../../kpi/fact-refresh';

const createCaller = createCallerFactory(kpiRouter);
const MARCH = { from: '2026-03-01', to: '2026-04-01' };

for (const engine of testEngines()) {
	describe(`kpi router (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let alice: SessionUser;
		let bob: SessionUser;
		let boss: SessionUser;
		let root: SessionUser;
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
			root = await createUser(db, north, 'root', 'admin');
			const carol = await createUser(db, south, 'carol');
			southBoss = await createUser(db, south, 'boss', 'supervisor');
			const completed = (tech: SessionUser, jobNo: string) =>
				createJob(db, tech, {
					jobNo,
					status: 'completed',
					outcome: 'fixed',
					completedAt: new Date('2026-03-02T05:00:00Z')
				});
			await completed(alice, 'A-1');
			await completed(bob, 'B-1');
			await completed(bob, 'B-2');
			await completed(carol, 'C-1');
			// The facts a write's request or the background worker would refresh (fact-refresh.ts).
			await refreshStaleFacts(db);
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('gives a supervisor every technician of their own station', async () => {
			const rows = await as(boss).scorecard(MARCH);
			expect(rows.map((r) => [r.login, r.jobs_completed])).toEqual([
				['alice', 1],
				['bob', 2]
			]);
			for (const row of rows) {
				expect(Object.keys(row)).toEqual([...SCORECARD_COLUMNS]);
				expect(scorecardRowSchema.parse(row)).toEqual(row);
			}
			expect((await as(southBoss).scorecard(MARCH)).map((r) => r.login)).toEqual(['carol']);
		});

		it('shows a station administrator no scorecard (roles.md: accounts and data only)', async () => {
			await expect(as(root).scorecard(MARCH)).rejects.toMatchObject({ code: 'FORBIDDEN' });
		});

		it('gives a technician only their own row', async () => {
			const rows = await as(bob).scorecard(MARCH);
			expect(rows.map((r) => r.login)).toEqual(['bob']);
			expect(rows[0].jobs_completed).toBe(2);
		});

		it('gives the rows with their ground to a supervisor, their own to a technician', async () => {
			const { rows, ground } = await as(boss).scorecardWithGround(MARCH);
			expect(rows).toEqual(await as(boss).scorecard(MARCH));
			expect(ground.map((r) => [r.login, r.jobs_completed])).toEqual([
				['alice', 1],
				['bob', 2]
			]);
			const bobsRow = ground[1].kpis.find((kpi) => kpi.kpi === 'repair_success_rate');
			expect(bobsRow).toMatchObject({ value: 1, sample: 2, minimum: 5, tooFew: true });
			const own = await as(bob).scorecardWithGround(MARCH);
			expect([own.rows.map((r) => r.login), own.ground.map((r) => r.login)]).toEqual([
				['bob'],
				['bob']
			]);
			await expect(as(root).scorecardWithGround(MARCH)).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
		});

		it('gives a technician their own job facts and refuses anyone else’s', async () => {
			const own = await as(alice).jobFacts(MARCH);
			expect(own.map((f) => f.job_no)).toEqual(['A-1']);
			expect(z.array(jobFactSchema).parse(own)).toEqual(own);
			expect((await as(alice).jobFacts({ ...MARCH, technicianId: alice.id })).length).toBe(1);
			await expect(as(alice).jobFacts({ ...MARCH, technicianId: bob.id })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
		});

		it('lets a supervisor drill into one technician or the whole station', async () => {
			const bobs = await as(boss).jobFacts({ ...MARCH, technicianId: bob.id });
			expect(bobs.map((f) => f.job_no)).toEqual(['B-1', 'B-2']);
			const all = await as(boss).jobFacts(MARCH);
			expect(all.map((f) => f.job_no)).toEqual(['A-1', 'B-1', 'B-2']);
			// Another station's supervisor sees nothing of this station's technician.
			expect(await as(southBoss).jobFacts({ ...MARCH, technicianId: bob.id })).toEqual([]);
		});

		it('refuses callers who are not signed in', async () => {
			await expect(as(null).scorecard(MARCH)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
			await expect(as(null).jobFacts(MARCH)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		});

		it.each([
			[{ from: '2026-03-02', to: '2026-03-01' }, /must be after \\"from\\"/],
			[{ from: '2026-03-01', to: '2026-03-01' }, /must be after \\"from\\"/],
			[{ from: '2026-02-30', to: '2026-03-01' }, /must be a real calendar date/],
			[{ from: '20260301', to: '2026-03-05' }, /must be a date written YYYY-MM-DD/]
		])('refuses the period %j as BAD_REQUEST', async (period, message) => {
			for (const call of [as(boss).scorecard(period), as(boss).jobFacts(period)]) {
				await expect(call).rejects.toMatchObject({ code: 'BAD_REQUEST', message });
			}
		});

		it('refuses a technicianId that is not a UUID', async () => {
			await expect(as(boss).jobFacts({ ...MARCH, technicianId: 'bob' })).rejects.toMatchObject({
				code: 'BAD_REQUEST',
				message: expect.stringContaining('technicianId must be a user id')
			});
		});
	});
}
