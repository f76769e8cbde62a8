/**
 * Dispatched jobs on the technician's phone, and reassignment without losing offline work
 * (issue 12): what a dispatched job carries in the pull, that a reassigned job leaves the old
 * phone, that the old technician's offline visit facts are applied and credited to them and
 * listed for the desk, the desk's two decisions, and the refusals (verified, cancelled, taken
 * over, the desk's reported time). Through sync.push / sync.pull and the tRPC procedures, on
 * every engine.
 */
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobHistory, jobOverlaps, jobs } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { createCallerFactory, router } from '../trpc/core';
import { overlapsRouter } from '../trpc/routers/overlaps';
import { createJob, createPart, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { TestDevice } from '../sync/testing';

const HOUR = 3_600_000;
const MADE = new Date('2026-03-02T01:00:00Z');
const at = (hours: number) => new Date(MADE.getTime() + hours * HOUR);

const createCaller = createCallerFactory(router({ overlaps: overlapsRouter }));

for (const engine of testEngines()) {
	describe(`dispatched and reassigned jobs on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stationCount = 0;

		beforeAll(async () => {
			handle = await engine.open();
		});

		afterAll(async () => {
			await handle?.close();
		});

		/** Two technicians, the desk, a supervisor and a part; a job the desk dispatched to ana. */
		async function station() {
			const db = handle.db;
			const created = await createStation(db, `OVL-${++stationCount}`);
			const ana = await createUser(db, created, 'ana');
			const ben = await createUser(db, created, 'ben');
			const desk = await createUser(db, created, 'desk', 'dispatcher');
			const boss = await createUser(db, created, 'boss', 'supervisor');
			const part = await createPart(db, created.id, 'P-1', '8.50');
			const dispatched = async (to: SessionUser = ana) =>
				(
					await createJob(db, to, {
						origin: 'desk',
						reportedBy: desk.id,
						urgency: 'urgent',
						assignedAt: at(0.25),
						reportedAt: at(0),
						customerName: '王先生',
						faultDescription: '不制冷'
					})
				).id;
			return { ana, ben, desk, boss, part, dispatched };
		}

		const device = (user: SessionUser) => new TestDevice(handle.db, user);
		const overlaps = (user: SessionUser) => createCaller({ db: handle.db, user }).overlaps;
		const jobRow = async (id: string) =>
			(await handle.db.select().from(jobs).where(eq(jobs.id, id)))[0];

		/** The supervisor's device gives the job to another technician (as the desk does). */
		async function reassign(boss: SessionUser, jobId: string, to: SessionUser) {
			const result = await device(boss).send(
				'job.assign',
				{ jobId, technicianId: to.id, reason: 'ana is off sick' },
				at(1)
			);
			expect(result.status).toBe('applied');
		}

		async function refusalOf(promise: Promise<unknown>) {
			try {
				await promise;
			} catch (error) {
				if (error instanceof TRPCError) return (error.cause as { reason?: unknown })?.reason;
				throw error;
			}
			throw new Error('expected a refusal');
		}

		it('sends a dispatched job to its technician with its fields; their own jobs are marked as theirs', async () => {
			const { ana, desk, dispatched } = await station();
			const jobId = await dispatched();
			const phone = device(ana);
			const own = randomUUID();
			expect(
				(await phone.send('job.create', { id: own, jobNo: 'ANA-1', reportedAt: at(2) })).status
			).toBe('applied');
			await phone.pull();
			expect(phone.rows.jobs.get(jobId)).toMatchObject({
				technicianId: ana.id,
				origin: 'desk',
				urgency: 'urgent',
				assignedAt: at(0.25),
				reportedAt: at(0),
				customerName: '王先生',
				faultDescription: '不制冷',
				dispatched: true
			});
			expect(phone.rows.jobs.get(own)).toMatchObject({
				origin: 'technician',
				urgency: 'normal',
				dispatched: false
			});
			expect(await jobRow(own)).toMatchObject({ origin: 'technician', reportedBy: ana.id });
			expect(desk.role).toBe('dispatcher');
		});

		it('keeps offline work done before a reassignment reached the phone, credits it and lists it; returned gives the job back', async () => {
			const { ana, ben, desk, boss, part, dispatched } = await station();
			const jobId = await dispatched();
			const anaPhone = device(ana);
			await anaPhone.pull();
			expect(anaPhone.rows.jobs.has(jobId)).toBe(true);
			// Offline: a whole visit, while the desk gives the job to ben.
			anaPhone.record('job.arrive', { jobId, at: at(2) }, at(2));
			anaPhone.record('job.start', { jobId, at: at(2.1) }, at(2.1));
			anaPhone.record('part.add', { id: randomUUID(), jobId, partId: part.id, qty: '1' }, at(2.2));
			anaPhone.record('job.update', { jobId, fields: { notes: '换了压缩机' } }, at(2.3));
			anaPhone.record('job.complete', { jobId, at: at(3), outcome: 'fixed' }, at(3));
			await reassign(boss, jobId, ben);

			const answer = await anaPhone.push();
			expect(answer.results.map((result) => [result.status, result.error?.reason])).toEqual(
				anaPhone.outbox.map(() => ['applied', undefined])
			);
			expect(await jobRow(jobId)).toMatchObject({
				technicianId: ben.id,
				arrivedAt: at(2),
				startedAt: at(2.1),
				completedAt: at(3),
				status: 'completed',
				outcome: 'fixed',
				notes: '换了压缩机'
			});
			const credited = await handle.db
				.select()
				.from(jobHistory)
				.where(and(eq(jobHistory.jobId, jobId), eq(jobHistory.field, 'completed_at')));
			expect(credited.map((row) => row.changedBy)).toEqual([ana.id]);

			// The job still leaves ana's phone, and ben's phone has it as ana left it.
			await anaPhone.pull();
			expect(anaPhone.rows.jobs.has(jobId)).toBe(false);
			const benPhone = device(ben);
			await benPhone.pull();
			// Completed already: nothing new for ben to start.
			expect(benPhone.rows.jobs.get(jobId)).toMatchObject({
				status: 'completed',
				dispatched: false
			});
			expect([...benPhone.rows.jobParts.values()].map((line) => line.jobId)).toEqual([jobId]);

			const listed = await overlaps(desk).list();
			expect(listed).toHaveLength(1);
			expect(listed[0]).toMatchObject({
				jobId,
				technicianId: ana.id,
				technicianName: ana.name,
				currentTechnicianId: ben.id,
				currentTechnicianName: ben.name,
				status: 'completed',
				partLines: 1,
				followUps: 0,
				workedAt: at(3)
			});
			expect(listed[0].fields).toEqual(
				expect.arrayContaining(['arrived_at', 'started_at', 'completed_at', 'notes', 'status'])
			);
			expect(await overlaps(boss).count()).toBe(1);

			await overlaps(desk).resolve({ jobId, technicianId: ana.id, decision: 'returned' });
			expect((await jobRow(jobId)).technicianId).toBe(ana.id);
			expect(await overlaps(desk).list()).toEqual([]);
			expect(await overlaps(desk).count()).toBe(0);
			const decided = await handle.db
				.select()
				.from(jobHistory)
				.where(and(eq(jobHistory.jobId, jobId), eq(jobHistory.reason, 'overlap')))
				.orderBy(asc(jobHistory.id));
			expect(decided.map((row) => [row.field, row.newValue, row.changedBy])).toEqual([
				['assigned_at', expect.any(String), desk.id],
				['technician_id', ana.id, desk.id],
				['overlap', 'returned', desk.id]
			]);
			const [overlap] = await handle.db
				.select()
				.from(jobOverlaps)
				.where(eq(jobOverlaps.jobId, jobId));
			expect(overlap).toMatchObject({ resolution: 'returned', resolvedBy: desk.id });
			await anaPhone.pull();
			expect(anaPhone.rows.jobs.get(jobId)).toMatchObject({ status: 'completed' });
		});

		it('applies offline work pushed one change per request alike; kept leaves the job with the new technician', async () => {
			const { ana, ben, desk, boss, dispatched } = await station();
			const jobId = await dispatched();
			await reassign(boss, jobId, ben);
			const anaPhone = device(ana);
			expect((await anaPhone.send('job.arrive', { jobId, at: at(2) }, at(2))).status).toBe(
				'applied'
			);
			expect(
				(
					await anaPhone.send(
						'job.setTimes',
						{ jobId, arrivedAt: at(1.9), reason: 'clock' },
						at(2.5)
					)
				).status
			).toBe('applied');
			expect((await jobRow(jobId)).arrivedAt).toEqual(at(1.9));
			expect(await overlaps(desk).count()).toBe(1);
			await overlaps(boss).resolve({ jobId, technicianId: ana.id, decision: 'kept' });
			expect((await jobRow(jobId)).technicianId).toBe(ben.id);
			expect(await overlaps(desk).count()).toBe(0);
			// Deciding again: nothing waits any more.
			expect(
				await refusalOf(
					overlaps(desk).resolve({ jobId, technicianId: ana.id, decision: 'returned' })
				)
			).toEqual({ key: 'overlap_not_found', params: {} });
		});

		it('refuses offline work on a reassigned job that is verified, cancelled or worked by its new technician', async () => {
			const { ana, ben, boss, dispatched } = await station();
			const [takenOver, verified, cancelled, neverAnas] = [
				await dispatched(),
				await dispatched(),
				await dispatched(),
				await dispatched(ben)
			];
			for (const jobId of [takenOver, verified, cancelled]) await reassign(boss, jobId, ben);
			const benPhone = device(ben);
			expect((await benPhone.send('job.arrive', { jobId: takenOver, at: at(2) })).status).toBe(
				'applied'
			);
			await benPhone.send('job.arrive', { jobId: verified, at: at(1) });
			await benPhone.send('job.start', { jobId: verified, at: at(2) });
			await benPhone.send('job.complete', { jobId: verified, at: at(3), outcome: 'fixed' });
			const bossPhone = device(boss);
			expect((await bossPhone.send('job.verify', { jobId: verified })).status).toBe('applied');
			expect(
				(await bossPhone.send('job.cancel', { jobId: cancelled, reason: 'customer' })).status
			).toBe('applied');

			const anaPhone = device(ana);
			const reasons = [];
			for (const jobId of [takenOver, verified, cancelled, neverAnas]) {
				reasons.push((await anaPhone.send('job.arrive', { jobId, at: at(4) })).error?.reason);
			}
			const jobNo = async (id: string) => (await jobRow(id)).jobNo;
			expect(reasons).toEqual([
				{ key: 'reassigned_job_taken_over', params: { jobNo: await jobNo(takenOver) } },
				{ key: 'job_verified', params: { jobNo: await jobNo(verified) } },
				{ key: 'job_cancelled', params: { jobNo: await jobNo(cancelled) } },
				{ key: 'job_not_found', params: {} }
			]);
			expect((await jobRow(takenOver)).arrivedAt).toEqual(at(2));
			expect(
				await handle.db.select().from(jobOverlaps).where(eq(jobOverlaps.technicianId, ana.id))
			).toEqual([]);
		});

		it('lets only the desk and supervisors read and decide overlaps', async () => {
			const { ana, dispatched } = await station();
			await dispatched();
			for (const call of [
				overlaps(ana).list(),
				overlaps(ana).count(),
				overlaps(ana).resolve({ jobId: randomUUID(), technicianId: ana.id, decision: 'kept' })
			]) {
				expect(await refusalOf(call)).toEqual({ key: 'desk_only', params: {} });
			}
		});

		it("keeps the desk's reported time from the technician, on both push paths", async () => {
			const { ana, boss, dispatched } = await station();
			const jobId = await dispatched();
			const anaPhone = device(ana);
			const moved = await anaPhone.send('job.setTimes', {
				jobId,
				reportedAt: at(1),
				reason: 'wrong'
			});
			const { jobNo } = await jobRow(jobId);
			expect(moved.error?.reason).toEqual({ key: 'reported_time_desk_owned', params: { jobNo } });
			// In a batch (the fast path runs first), beside changes that apply.
			anaPhone.outbox.length = 0;
			anaPhone.record('job.arrive', { jobId, at: at(2) });
			anaPhone.record('job.setTimes', { jobId, reportedAt: at(1.5), reason: 'wrong' });
			anaPhone.record('job.setTimes', {
				jobId,
				reportedAt: at(0),
				arrivedAt: at(1.8),
				reason: 'clock'
			});
			const batch = await anaPhone.push();
			expect(batch.results.map((result) => result.error?.reason?.key ?? result.status)).toEqual([
				'applied',
				'reported_time_desk_owned',
				'applied'
			]);
			expect(await jobRow(jobId)).toMatchObject({ reportedAt: at(0), arrivedAt: at(1.8) });
			// The supervisor may still correct it, with a reason.
			const corrected = await device(boss).send('job.setTimes', {
				jobId,
				reportedAt: at(0.5),
				reason: 'desk typo'
			});
			expect(corrected.status).toBe('applied');
			expect((await jobRow(jobId)).reportedAt).toEqual(at(0.5));
			// A technician's own job stays theirs to correct.
			const own = (await createJob(handle.db, ana, { reportedBy: ana.id })).id;
			const ownMoved = await anaPhone.send('job.setTimes', {
				jobId: own,
				reportedAt: at(1),
				reason: 'typo'
			});
			expect(ownMoved.status).toBe('applied');
		});
	});
}
