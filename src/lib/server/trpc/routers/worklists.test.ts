/**
 * The station's worklists over tRPC on every engine: follow-up calls (due, retried, reached,
 * closed, reopened), reworks paired as the KPI engine counts them, and bulk verification, with
 * each role and another station's ids.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../../db';
import { followUpCalls, followUps, jobs, type NewJob } from '../../db/schema';
import type { SessionUser } from '../../auth/session-user';
import { countDueFollowUpCalls, RETRY_AFTER_HOURS } from '../../follow-ups/calls';
import { countReworks } from '../../review/reworks';
import { countUnverifiedJobs, VERIFY_BATCH_MAX } from '../../jobs/verification';
import { testEngines } from '../../testing/databases';
import { createCategory, createJob, createStation, createUser } from '../../testing/fixtures';
import { createCallerFactory } from '../core';
import { appRouter } from '../router';
import { refreshStaleFacts } from '../../kpi/fact-refresh';
import { codeOf } from '../../testing/outcomes';

const createCaller = createCallerFactory(appRouter);
/** Noon in Shanghai (04:00 UTC) on the given day of March 2026. */
const marchNoon = (day: number) => new Date(Date.UTC(2026, 2, day, 4));
const MARCH = { from: '2026-03-01', to: '2026-04-01' };

for (const engine of testEngines()) {
	describe(`worklists (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let stationCount = 0;
		const as = (user: SessionUser) => createCaller({ db, user }).worklists;

		/** A station of its own per test: its people and a job of another station. */
		async function station() {
			const created = await createStation(db, `W${++stationCount}`);
			const other = await createStation(db, `X${stationCount}`);
			const stranger = await createUser(db, other, 'carol');
			return {
				boss: await createUser(db, created, 'boss', 'supervisor'),
				desk: await createUser(db, created, 'desk', 'dispatcher'),
				admin: await createUser(db, created, 'admin', 'admin'),
				alice: await createUser(db, created, 'alice'),
				bob: await createUser(db, created, 'bob'),
				category: await createCategory(db, created.id, 'AC'),
				foreign: await completed(stranger, 'S-1', 2)
			};
		}

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
				reportedAt: new Date(marchNoon(day).getTime() - 3 * 3600_000),
				completedAt: marchNoon(day),
				...values
			});
		}

		const call = (
			jobId: string,
			outcome: 'reached' | 'no_answer' | 'refused' | 'wrong_number',
			extra = {}
		) => ({
			id: randomUUID(),
			jobId,
			outcome,
			...extra
		});

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('lists the completed jobs without a follow-up, oldest due first, with who and when', async () => {
			const s = await station();
			await completed(s.bob, 'N-3', 3, {
				customerName: '王芳',
				customerPhone: '138 0013 8000',
				faultCategoryId: s.category.id
			});
			await completed(s.alice, 'N-1', 1);
			const followed = await completed(s.alice, 'FOLLOWED', 2);
			await db.insert(followUps).values({
				source: 'desk',
				stationId: followed.stationId,
				id: randomUUID(),
				jobId: followed.id,
				visitedAt: marchNoon(4)
			});
			await createJob(db, s.alice, { jobNo: 'OPEN' });
			await createJob(db, s.alice, { jobNo: 'CANCELLED', status: 'cancelled' });

			const list = await as(s.desk).followUpCalls({});
			expect(list.total).toBe(2);
			expect(list.jobs.map((job) => job.jobNo)).toEqual(['N-1', 'N-3']);
			expect(list.jobs[1]).toEqual({
				jobId: expect.any(String),
				jobNo: 'N-3',
				customerName: '王芳',
				customerPhone: '138 0013 8000',
				productModel: '',
				faultCategoryName: 'AC',
				faultDescription: '',
				outcome: 'fixed',
				technicianId: s.bob.id,
				technicianName: 'bob 名字',
				completedAt: '2026-03-03T04:00:00.000Z',
				attempts: 0,
				lastCall: null,
				nextCallAt: '2026-03-03T04:00:00.000Z',
				waiting: false,
				overdue: true,
				closure: null
			});
			expect(list.technicians.map((t) => t.name).sort()).toEqual(['alice 名字', 'bob 名字']);
			expect(await countDueFollowUpCalls(db, s.desk)).toBe(2);
			// Filters: technician, completion period, overdue.
			expect(
				(await as(s.boss).followUpCalls({ technicianId: s.bob.id })).jobs.map((j) => j.jobNo)
			).toEqual(['N-3']);
			expect(
				(await as(s.boss).followUpCalls({ period: { from: '2026-03-02', to: '2026-03-04' } })).total
			).toBe(1);
			await completed(s.alice, 'RECENT', 1, {
				reportedAt: new Date(Date.now() - 7200_000),
				completedAt: new Date(Date.now() - 3600_000)
			});
			const overdue = await as(s.boss).followUpCalls({ overdueOnly: true });
			expect(overdue.jobs.map((j) => j.jobNo)).toEqual(['N-1', 'N-3']);
			expect(
				(await as(s.boss).followUpCalls({})).jobs.find((j) => j.jobNo === 'RECENT')?.overdue
			).toBe(false);
		});

		it('keeps a job due after a call that did not reach the customer, to be retried later', async () => {
			const s = await station();
			const job = await completed(s.alice, 'N-1', 1);
			await completed(s.alice, 'N-2', 2);
			const saved = await as(s.desk).recordCall(call(job.id, 'no_answer', { comment: '无人接' }));
			expect(saved.followUp).toBeNull();

			const list = await as(s.desk).followUpCalls({});
			expect(list.total).toBe(2);
			// Due again two hours after the call: after N-2, which was never called.
			expect(list.jobs.map((j) => j.jobNo)).toEqual(['N-2', 'N-1']);
			const retried = list.jobs[1];
			expect(retried).toMatchObject({
				attempts: 1,
				waiting: true,
				lastCall: { outcome: 'no_answer', comment: '无人接', callerName: 'desk 名字' }
			});
			expect(Date.parse(retried.nextCallAt) - Date.parse(retried.lastCall!.calledAt)).toBe(
				RETRY_AFTER_HOURS.no_answer * 3600_000
			);
			expect(
				(await as(s.desk).followUpCalls({ lastOutcome: 'no_answer' })).jobs.map((j) => j.jobNo)
			).toEqual(['N-1']);
			expect(
				(await as(s.desk).followUpCalls({ lastOutcome: 'none' })).jobs.map((j) => j.jobNo)
			).toEqual(['N-2']);
			expect(await db.select().from(followUps).where(eq(followUps.jobId, job.id))).toEqual([]);

			await as(s.boss).recordCall(call(job.id, 'wrong_number'));
			const again = (await as(s.desk).followUpCalls({})).jobs.find((j) => j.jobNo === 'N-1')!;
			expect(again.attempts).toBe(2);
			expect(Date.parse(again.nextCallAt) - Date.parse(again.lastCall!.calledAt)).toBe(
				RETRY_AFTER_HOURS.wrong_number * 3600_000
			);
			// Only a reached call carries satisfaction.
			expect(
				await codeOf(() => as(s.desk).recordCall(call(job.id, 'refused', { satisfaction: 4 })))
			).toBe('BAD_REQUEST');
		});

		it('clears a job with a reached call, writing exactly one follow-up linked to the call', async () => {
			const s = await station();
			const job = await completed(s.alice, 'N-1', 1);
			await as(s.desk).recordCall(call(job.id, 'no_answer'));
			const reached = call(job.id, 'reached', {
				satisfaction: 4,
				issueResolved: true,
				comment: '满意'
			});
			await as(s.desk).recordCall(reached);

			expect((await as(s.desk).followUpCalls({})).total).toBe(0);
			expect(await countDueFollowUpCalls(db, s.boss)).toBe(0);
			const written = await db.select().from(followUps).where(eq(followUps.jobId, job.id));
			expect(written).toHaveLength(1);
			expect(written[0]).toMatchObject({
				channel: 'phone',
				userId: s.desk.id,
				satisfaction: 4,
				issueResolved: true,
				comment: '满意'
			});
			const [row] = await db.select().from(followUpCalls).where(eq(followUpCalls.id, reached.id));
			expect(row.followUpId).toBe(written[0].id);
			expect(row.calledAt.getTime()).toBe(written[0].visitedAt.getTime());
			expect(Math.abs(row.calledAt.getTime() - Date.now())).toBeLessThan(60_000);

			// The same form again, or another call on a followed-up job: refused, nothing written.
			expect(await codeOf(() => as(s.desk).recordCall(reached))).toBe('CONFLICT');
			expect(await codeOf(() => as(s.boss).recordCall(call(job.id, 'reached')))).toBe('CONFLICT');
			expect(await db.select().from(followUps).where(eq(followUps.jobId, job.id))).toHaveLength(1);
		});

		it('closes a job for follow-up with a reason and reopens it', async () => {
			const s = await station();
			const job = await completed(s.alice, 'N-1', 1);
			expect(await codeOf(() => as(s.desk).closeForFollowUp({ jobId: job.id, reason: '  ' }))).toBe(
				'BAD_REQUEST'
			);
			await as(s.desk).closeForFollowUp({ jobId: job.id, reason: '客户要求不再联系' });
			expect((await as(s.desk).followUpCalls({})).total).toBe(0);
			const closed = await as(s.boss).followUpCalls({ state: 'closed' });
			expect(closed.jobs.map((j) => j.closure)).toEqual([
				{ reason: '客户要求不再联系', closedAt: expect.any(String), closedByName: 'desk 名字' }
			]);
			expect(await codeOf(() => as(s.desk).recordCall(call(job.id, 'reached')))).toBe(
				'BAD_REQUEST'
			);

			await as(s.boss).reopenForFollowUp({ jobId: job.id });
			expect((await as(s.desk).followUpCalls({})).jobs.map((j) => j.jobNo)).toEqual(['N-1']);
			expect((await as(s.desk).followUpCalls({ state: 'closed' })).total).toBe(0);
		});

		it('pairs each reworked job with its reworks exactly as the KPIs count them', async () => {
			const s = await station();
			const bySerial = await completed(s.alice, 'A-1', 3, { deviceSerial: 'SN-1' });
			const rework = await completed(s.bob, 'A-2', 10, {
				deviceSerial: ' sn-1 ',
				reportedAt: marchNoon(9),
				faultCategoryId: s.category.id
			});
			const linked = await completed(s.bob, 'B-1', 5);
			await createJob(db, s.alice, {
				jobNo: 'B-2',
				previousJobId: linked.id,
				reportedAt: marchNoon(6)
			});
			await createJob(db, s.alice, { jobNo: 'B-3', previousJobId: linked.id, status: 'cancelled' });
			// Outside the 30-day window: no rework.
			await completed(s.alice, 'C-1', 1, { deviceSerial: 'SN-9' });
			await createJob(db, s.bob, {
				jobNo: 'C-2',
				deviceSerial: 'SN-9',
				reportedAt: new Date('2026-05-01T00:00:00Z')
			});

			await refreshStaleFacts(db);
			const list = await as(s.desk).reworks({ period: MARCH });
			expect(list.reworkedJobs).toBe(2);
			expect(list.pairs.map((p) => [p.original.jobNo, p.rework.jobNo, p.linkedBy])).toEqual([
				['A-1', 'A-2', 'serial'],
				['B-1', 'B-2', 'previous_job']
			]);
			expect(list.pairs[0].rework).toEqual({
				jobId: rework.id,
				jobNo: 'A-2',
				status: 'completed',
				outcome: 'fixed',
				technicianName: 'bob 名字',
				reportedAt: '2026-03-09T04:00:00.000Z',
				completedAt: '2026-03-10T04:00:00.000Z',
				deviceSerial: ' sn-1 ',
				faultCategoryName: 'AC',
				faultDescription: ''
			});
			expect(list.pairs[0].original.jobId).toBe(bySerial.id);
			expect(list.pairs[1].rework).toMatchObject({ status: 'open', completedAt: null });
			// The scorecard's drill-down fails the same jobs for a rework.
			const facts = await createCaller({ db, user: s.boss }).kpi.jobFacts(MARCH);
			expect(
				facts
					.filter((f) => f.failure_reasons.includes('reworked'))
					.map((f) => f.job_no)
					.sort()
			).toEqual(['A-1', 'B-1']);
			expect(await countReworks(db, s.boss, MARCH)).toBe(2);
			expect(await countReworks(db, s.desk, { from: '2026-04-01', to: '2026-05-01' })).toBe(0);
		});

		it('lets a supervisor verify unverified jobs one by one or in bulk, all or none', async () => {
			const s = await station();
			const one = await completed(s.alice, 'V-1', 1);
			const two = await completed(s.bob, 'V-2', 2);
			const three = await completed(s.bob, 'V-3', 3);
			const open = await createJob(db, s.bob, { jobNo: 'V-OPEN' });
			await completed(s.alice, 'V-DONE', 4, { verifiedAt: marchNoon(5), verifiedBy: s.boss.id });

			const list = await as(s.boss).unverified({});
			expect(list.jobs.map((j) => j.jobNo)).toEqual(['V-1', 'V-2', 'V-3']);
			expect((await as(s.boss).unverified({ technicianId: s.bob.id })).total).toBe(2);
			expect(
				(
					await as(s.boss).unverified({ period: { from: '2026-03-02', to: '2026-03-03' } })
				).jobs.map((j) => j.jobNo)
			).toEqual(['V-2']);
			expect(await countUnverifiedJobs(db, s.boss)).toBe(3);

			// An unfinished job in the selection: nothing is verified.
			expect(await codeOf(() => as(s.boss).verifyMany({ jobIds: [one.id, open.id] }))).toBe(
				'BAD_REQUEST'
			);
			expect(await countUnverifiedJobs(db, s.boss)).toBe(3);
			expect(await codeOf(() => as(s.boss).verifyMany({ jobIds: [one.id, one.id] }))).toBe(
				'BAD_REQUEST'
			);
			expect(await codeOf(() => as(s.boss).verifyMany({ jobIds: [] }))).toBe('BAD_REQUEST');
			const tooMany = Array.from({ length: VERIFY_BATCH_MAX + 1 }, () => randomUUID());
			expect(await codeOf(() => as(s.boss).verifyMany({ jobIds: tooMany }))).toBe('BAD_REQUEST');

			expect(await as(s.boss).verifyMany({ jobIds: [one.id, two.id] })).toEqual({
				verified: expect.arrayContaining(['V-1', 'V-2'])
			});
			expect((await as(s.boss).unverified({})).jobs.map((j) => j.jobNo)).toEqual(['V-3']);
			const [verified] = await db
				.select()
				.from(jobs)
				.where(and(eq(jobs.stationId, one.stationId), eq(jobs.id, one.id)));
			expect(verified.verifiedBy).toBe(s.boss.id);
			// Verifying again keeps the first verification and counts nothing new.
			expect(await as(s.boss).verifyMany({ jobIds: [one.id, three.id] })).toEqual({
				verified: ['V-3']
			});
			expect(await countUnverifiedJobs(db, s.boss)).toBe(0);
		});

		it("refuses technicians and administrators, keeps verification the supervisors', and hides other stations", async () => {
			const s = await station();
			const job = await completed(s.alice, 'N-1', 1);
			const everything = (user: SessionUser) => ({
				followUpCalls: () => as(user).followUpCalls({}),
				recordCall: () => as(user).recordCall(call(job.id, 'no_answer')),
				closeForFollowUp: () => as(user).closeForFollowUp({ jobId: job.id, reason: '客户已搬家' }),
				reopenForFollowUp: () => as(user).reopenForFollowUp({ jobId: job.id }),
				reworks: () => as(user).reworks({ period: MARCH }),
				unverified: () => as(user).unverified({}),
				verifyMany: () => as(user).verifyMany({ jobIds: [job.id] })
			});
			// One after another: the desk's close and reopen depend on each other's order.
			async function outcomes(user: SessionUser) {
				const codes: Record<string, string> = {};
				for (const [name, run] of Object.entries(everything(user))) codes[name] = await codeOf(run);
				return codes;
			}
			const refused = {
				followUpCalls: 'FORBIDDEN',
				recordCall: 'FORBIDDEN',
				closeForFollowUp: 'FORBIDDEN',
				reopenForFollowUp: 'FORBIDDEN',
				reworks: 'FORBIDDEN',
				unverified: 'FORBIDDEN',
				verifyMany: 'FORBIDDEN'
			};
			expect(await outcomes(s.alice)).toEqual(refused);
			expect(await outcomes(s.admin)).toEqual(refused);
			expect(await outcomes(s.desk)).toEqual({
				...refused,
				followUpCalls: 'ok',
				recordCall: 'ok',
				closeForFollowUp: 'ok',
				reopenForFollowUp: 'ok',
				reworks: 'ok'
			});
			await expect(countUnverifiedJobs(db, s.desk)).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(countDueFollowUpCalls(db, s.alice)).rejects.toMatchObject({ code: 'FORBIDDEN' });
			expect(
				await db.select().from(followUpCalls).where(eq(followUpCalls.userId, s.alice.id))
			).toEqual([]);

			// Another station's job is not found, whoever asks.
			const foreign = s.foreign.id;
			for (const user of [s.desk, s.boss]) {
				expect(await codeOf(() => as(user).recordCall(call(foreign, 'reached')))).toBe('NOT_FOUND');
				expect(await codeOf(() => as(user).closeForFollowUp({ jobId: foreign, reason: '—' }))).toBe(
					'NOT_FOUND'
				);
				expect(await codeOf(() => as(user).reopenForFollowUp({ jobId: foreign }))).toBe(
					'NOT_FOUND'
				);
			}
			expect(await codeOf(() => as(s.boss).verifyMany({ jobIds: [foreign] }))).toBe('NOT_FOUND');
			expect((await as(s.boss).followUpCalls({})).jobs.map((j) => j.jobId)).not.toContain(foreign);
			expect((await as(s.boss).unverified({})).jobs.map((j) => j.jobId)).not.toContain(foreign);
		});
	});
}
