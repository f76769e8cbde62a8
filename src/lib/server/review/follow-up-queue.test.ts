/**
 * The follow-up queue on a hand-built station: what enters it and in which order, paging, and
 * recording a call that takes a job off it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { followUps, type Job, type NewJob } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { testEngines } from '../testing/databases';
import { createCategory, createJob, createStation, createUser } from '../testing/fixtures';
import { createCallerFactory } from '../trpc/core';
import { reviewRouter } from '../trpc/routers/review';
import { followUpQueuePageSchema } from './schemas';
import { RecordFollowUpError } from './follow-up-queue';

const createCaller = createCallerFactory(reviewRouter);
/** Completed at noon in Shanghai (04:00 UTC) on the given day of March 2026. */
const marchNoon = (day: number) => new Date(Date.UTC(2026, 2, day, 4));

for (const engine of testEngines()) {
	describe(`review follow-up queue (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let boss: SessionUser;
		let alice: SessionUser;
		let bob: SessionUser;
		let southBoss: SessionUser;
		let stationCount = 0;
		const as = (user: SessionUser | null) => createCaller({ db, user });

		function completed(
			tech: SessionUser,
			jobNo: string,
			day: number,
			values: Partial<NewJob> = {}
		) {
			return createJob(db, tech, {
				jobNo,
				status: 'completed',
				outcome: 'fixed',
				completedAt: marchNoon(day),
				...values
			});
		}

		async function followedUp(job: Job) {
			await db.insert(followUps).values({
				stationId: job.stationId,
				id: randomUUID(),
				jobId: job.id,
				visitedAt: new Date(job.completedAt!.getTime() + 60 * 60 * 1000)
			});
		}

		/** A station of its own, so recording calls never disturbs the other tests. */
		async function freshStation() {
			stationCount += 1;
			const station = await createStation(db, `Q${stationCount}`);
			return {
				supervisor: await createUser(db, station, 'boss', 'supervisor'),
				tech: await createUser(db, station, 'tech')
			};
		}

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const north = await createStation(db, 'NORTH');
			boss = await createUser(db, north, 'boss', 'supervisor');
			alice = await createUser(db, north, 'alice');
			bob = await createUser(db, north, 'bob');
			const aircon = await createCategory(db, north.id, 'AC', 90);

			await completed(bob, 'N-3', 3, {
				customerName: '王芳',
				customerPhone: '138 0013 8000',
				productModel: 'KFR-35GW',
				faultCategoryId: aircon.id,
				faultDescription: '不制冷',
				outcome: 'not_fixed'
			});
			await completed(alice, 'N-1', 1);
			// Same completion time as N-3: the job number breaks the tie.
			await completed(alice, 'N-2', 3);
			await completed(alice, 'N-4', 9);
			await followedUp(await completed(alice, 'FOLLOWED', 2));
			await createJob(db, alice, { jobNo: 'CANCELLED', status: 'cancelled' });
			await createJob(db, alice, { jobNo: 'OPEN', status: 'open' });
			await createJob(db, bob, { jobNo: 'BUSY', status: 'in_progress' });

			const south = await createStation(db, 'SOUTH');
			southBoss = await createUser(db, south, 'boss', 'supervisor');
			await completed(await createUser(db, south, 'carol'), 'S-1', 1);
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('lists completed jobs without a follow-up, oldest completion first', async () => {
			const page = await as(boss).followUpQueue({});
			expect(followUpQueuePageSchema.parse(page)).toEqual(page);
			expect(page).toMatchObject({ total: 4, page: 1, pageSize: 20 });
			expect(page.jobs.map((job) => job.jobNo)).toEqual(['N-1', 'N-2', 'N-3', 'N-4']);
			expect(page.jobs[2]).toEqual({
				jobId: expect.any(String),
				jobNo: 'N-3',
				completedAt: '2026-03-03T04:00:00.000Z',
				outcome: 'not_fixed',
				customerName: '王芳',
				customerPhone: '138 0013 8000',
				productModel: 'KFR-35GW',
				faultCategoryName: 'AC',
				faultDescription: '不制冷',
				technicianId: bob.id,
				technicianLogin: 'bob',
				technicianName: 'bob 名字'
			});
			expect(page.jobs[0].faultCategoryName).toBeNull();
		});

		it('pages through the queue, with the total even past the end', async () => {
			const second = await as(boss).followUpQueue({ page: 2, pageSize: 3 });
			expect(second).toMatchObject({ total: 4, page: 2, pageSize: 3 });
			expect(second.jobs.map((job) => job.jobNo)).toEqual(['N-4']);
			const beyond = await as(boss).followUpQueue({ page: 5, pageSize: 3 });
			expect(beyond).toMatchObject({ total: 4, jobs: [] });
		});

		it('shows each station only its own jobs', async () => {
			const south = await as(southBoss).followUpQueue({});
			expect(south.jobs.map((job) => job.jobNo)).toEqual(['S-1']);
			expect(south.total).toBe(1);
		});

		it('takes a job off the queue once its call is recorded', async () => {
			const { supervisor, tech } = await freshStation();
			await completed(tech, 'FIRST', 1);
			await completed(tech, 'SECOND', 2);
			const [first] = (await as(supervisor).followUpQueue({})).jobs;
			const recorded = await as(supervisor).recordFollowUp({
				id: randomUUID(),
				jobId: first.jobId,
				visitedAt: '2026-03-05T09:30',
				channel: 'onsite',
				satisfaction: 4,
				issueResolved: true,
				comment: '客户满意'
			});
			expect(recorded).toMatchObject({
				jobId: first.jobId,
				userId: supervisor.id,
				channel: 'onsite',
				satisfaction: 4,
				issueResolved: true,
				comment: '客户满意',
				// 09:30 in Shanghai.
				visitedAt: new Date('2026-03-05T01:30:00Z')
			});
			const after = await as(supervisor).followUpQueue({});
			expect(after.jobs.map((job) => job.jobNo)).toEqual(['SECOND']);
			expect(after.total).toBe(1);
		});

		it('reads the call time in the station’s own time zone', async () => {
			stationCount += 1;
			const station = await createStation(db, `Q${stationCount}`, 'America/New_York');
			const supervisor = await createUser(db, station, 'boss', 'supervisor');
			const job = await completed(await createUser(db, station, 'tech'), 'NY-1', 1);
			// 8 March 2026 is the first day of daylight saving time in New York: 10:00 is UTC−4.
			const recorded = await as(supervisor).recordFollowUp({
				id: randomUUID(),
				jobId: job.id,
				visitedAt: '2026-03-08T10:00'
			});
			expect(recorded).toMatchObject({ visitedAt: new Date('2026-03-08T14:00:00Z') });
			expect(recorded).toMatchObject({ channel: 'phone', satisfaction: null, issueResolved: null });
		});

		it.each([
			['a time in the future', '2099-01-01T10:00', 'visited_in_future'],
			['a time before the job was completed', '2026-03-01T11:59', 'visited_before_completion']
		])('refuses %s', async (_name, visitedAt, problem) => {
			const { supervisor, tech } = await freshStation();
			// Completed at 12:00 Shanghai time on 1 March.
			const job = await completed(tech, 'TIMED', 1);
			const call = as(supervisor).recordFollowUp({ id: randomUUID(), jobId: job.id, visitedAt });
			// The tRPC error carries the service's refusal (trpc/core.ts).
			await expect(call).rejects.toMatchObject({
				code: 'BAD_REQUEST',
				cause: expect.any(RecordFollowUpError)
			});
			await expect(call).rejects.toMatchObject({ cause: { problem } });
			expect((await as(supervisor).followUpQueue({})).total).toBe(1);
		});

		it('accepts a call in the same minute as the completion', async () => {
			const { supervisor, tech } = await freshStation();
			const job = await completed(tech, 'SAME-MINUTE', 1, {
				completedAt: new Date('2026-03-01T04:00:45Z')
			});
			await as(supervisor).recordFollowUp({
				id: randomUUID(),
				jobId: job.id,
				visitedAt: '2026-03-01T12:00'
			});
			expect((await as(supervisor).followUpQueue({})).total).toBe(0);
		});

		it('refuses a job that is not completed, of another station, or already recorded', async () => {
			const { supervisor, tech } = await freshStation();
			const open = await createJob(db, tech, { jobNo: 'STILL-OPEN' });
			await expect(
				as(supervisor).recordFollowUp({
					id: randomUUID(),
					jobId: open.id,
					visitedAt: '2026-03-05T10:00'
				})
			).rejects.toMatchObject({ cause: { problem: 'job_not_completed' } });

			const [northJob] = (await as(boss).followUpQueue({})).jobs;
			await expect(
				as(supervisor).recordFollowUp({
					id: randomUUID(),
					jobId: northJob.jobId,
					visitedAt: '2026-03-05T10:00'
				})
			).rejects.toMatchObject({ code: 'NOT_FOUND', cause: { problem: 'job_not_found' } });

			const done = await completed(tech, 'DONE', 2);
			const call = { id: randomUUID(), jobId: done.id, visitedAt: '2026-03-05T10:00' };
			await as(supervisor).recordFollowUp(call);
			// The same form sent twice (a double tap) records one call, not two.
			await expect(as(supervisor).recordFollowUp(call)).rejects.toMatchObject({
				cause: { problem: 'already_recorded' }
			});
			expect((await as(boss).followUpQueue({})).total).toBe(4);
		});

		it('refuses bad input with the field named', async () => {
			const { supervisor, tech } = await freshStation();
			const job = await completed(tech, 'FORM', 1);
			const base = { id: randomUUID(), jobId: job.id, visitedAt: '2026-03-05T10:00' };
			for (const [input, message] of [
				[{ ...base, visitedAt: '2026-02-30T10:00' }, 'must be a real date and time'],
				[{ ...base, visitedAt: '5 March' }, 'must be a local date and time'],
				[{ ...base, satisfaction: 6 }, 'satisfaction'],
				[{ ...base, channel: 'fax' }, 'channel']
			] as const) {
				await expect(
					as(supervisor).recordFollowUp(
						input as Parameters<ReturnType<typeof as>['recordFollowUp']>[0]
					)
				).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(message) });
			}
			await expect(as(supervisor).followUpQueue({ page: 0 })).rejects.toMatchObject({
				code: 'BAD_REQUEST',
				message: expect.stringContaining('page starts at 1')
			});
		});

		it('refuses technicians and anonymous callers', async () => {
			await expect(as(alice).followUpQueue({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
			const [own] = (await as(boss).followUpQueue({})).jobs;
			await expect(
				as(alice).recordFollowUp({
					id: randomUUID(),
					jobId: own.jobId,
					visitedAt: '2026-03-05T10:00'
				})
			).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(as(null).followUpQueue({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
			expect((await as(boss).followUpQueue({})).total).toBe(4);
		});
	});
}
