/**
 * The rules of each sync mutation as a device experiences them through `sync.push`: who may
 * do what, refusals with a reason that never block the queue, the history of overwritten
 * values, device times beside receipt times, and exactly-once for re-sent mutations.
 * Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobHistory, jobParts, jobs, syncMutations, users } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { createJob, createPart, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { syncApi, TestDevice } from './testing';

const HOUR = 3_600_000;
const MADE = new Date('2026-03-02T01:00:00Z');
const at = (hours: number) => new Date(MADE.getTime() + hours * HOUR);

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof TRPCError) return error;
		throw error;
	}
	throw new Error('expected the call to be rejected');
}

for (const engine of testEngines()) {
	describe(`sync.push rules on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stationCount = 0;

		/** A station of its own per test: two technicians, a supervisor and a part. */
		async function station() {
			const db = handle.db;
			const created = await createStation(db, `SYNC-R${++stationCount}`);
			return {
				tech: await createUser(db, created, 'tech'),
				other: await createUser(db, created, 'other'),
				boss: await createUser(db, created, 'boss', 'supervisor'),
				part: await createPart(db, created.id, 'P-1', '8.50')
			};
		}

		const device = (user: SessionUser) => new TestDevice(handle.db, user);

		async function createdJob(on: TestDevice, jobNo = `J-${randomUUID().slice(0, 8)}`) {
			const id = randomUUID();
			const result = await on.send('job.create', { id, jobNo, reportedAt: at(0) }, at(0));
			expect(result.status).toBe('applied');
			return id;
		}

		/** Arrival and start, which a technician records before completing (jobs/step-times.ts). */
		async function visited(on: TestDevice, jobId: string) {
			const answer = await on.push([
				on.record('job.arrive', { jobId, at: at(1) }),
				on.record('job.start', { jobId, at: at(1) })
			]);
			expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied']);
		}

		const jobRow = async (id: string) =>
			(await handle.db.select().from(jobs).where(eq(jobs.id, id)))[0];

		const historyOf = (jobId: string) =>
			handle.db
				.select()
				.from(jobHistory)
				.where(eq(jobHistory.jobId, jobId))
				.orderBy(asc(jobHistory.id));

		beforeAll(async () => {
			handle = await engine.open();
		});

		afterAll(async () => {
			await handle?.close();
		});

		it('keeps the device times of a visit and records when the server received each', async () => {
			const { tech } = await station();
			const phone = device(tech);
			const jobId = await createdJob(phone);
			const before = Date.now();
			await phone.push([
				phone.record('job.arrive', { jobId, at: at(1) }, at(1)),
				phone.record('job.start', { jobId, at: at(2) }, at(2)),
				phone.record('job.complete', { jobId, at: at(3), outcome: 'fixed' }, at(3))
			]);

			const job = await jobRow(jobId);
			expect(job).toMatchObject({
				arrivedAt: at(1),
				startedAt: at(2),
				completedAt: at(3),
				status: 'completed',
				outcome: 'fixed'
			});
			const history = await historyOf(jobId);
			const arrival = history.find((h) => h.field === 'arrived_at');
			expect(arrival).toMatchObject({
				oldValue: null,
				changedBy: tech.id,
				clientId: phone.clientId,
				mutationId: 2,
				deviceTime: at(1)
			});
			expect(new Date(arrival?.newValue as string)).toEqual(at(1));
			// The device's times are hours in the past; the receipt time is now.
			expect(arrival?.changedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
			expect(history.filter((h) => h.field === 'status').map((h) => h.newValue)).toEqual([
				'in_progress',
				'completed'
			]);
			expect(history.find((h) => h.field === 'completed_at')?.mutationId).toBe(4);
		});

		it('applies a batch over many jobs together and keeps each job’s own mutation in its history', async () => {
			const { tech, part } = await station();
			const phone = device(tech);
			const [a, b] = [randomUUID(), randomUUID()];
			for (const id of [a, b]) {
				phone.record('job.create', { id, jobNo: `J-${id.slice(0, 8)}`, reportedAt: at(0) }, at(0));
			}
			phone.record('job.arrive', { jobId: a, at: at(1) }, at(1)); // 3
			phone.record('job.arrive', { jobId: b, at: at(2) }, at(2)); // 4
			phone.record('part.add', { id: randomUUID(), jobId: b, partId: part.id, qty: '2' }); // 5
			phone.record('job.cancel', { jobId: a, reason: 'customer away' }, at(3)); // 6
			phone.record('job.start', { jobId: b, at: at(3) }, at(3)); // 7
			phone.record('job.complete', { jobId: b, at: at(4), outcome: 'fixed' }, at(4)); // 8
			const answer = await phone.push();
			expect(answer.results.map((r) => r.status)).toEqual(Array(8).fill('applied'));

			const fields = async (jobId: string) =>
				(await historyOf(jobId)).map((h) => [h.field, h.mutationId, h.deviceTime]);
			expect(await fields(a)).toEqual([
				['arrived_at', 3, at(1)],
				['status', 6, at(3)]
			]);
			expect(await fields(b)).toEqual(
				expect.arrayContaining([
					['arrived_at', 4, at(2)],
					['started_at', 7, at(3)],
					['status', 8, at(4)],
					['outcome', 8, at(4)],
					['completed_at', 8, at(4)]
				])
			);
			expect(await jobRow(a)).toMatchObject({ status: 'cancelled', arrivedAt: at(1) });
			expect(await jobRow(b)).toMatchObject({ status: 'completed', arrivedAt: at(2) });
			const lines = await handle.db.select().from(jobParts).where(eq(jobParts.jobId, b));
			expect(lines.map((l) => [l.qty, l.unitCost])).toEqual([['2.000', '8.50']]);
		});

		it('deletes a job’s history with the job, and only that job’s', async () => {
			const { tech } = await station();
			const phone = device(tech);
			const [gone, kept] = [await createdJob(phone), await createdJob(phone)];
			for (const jobId of [gone, kept]) {
				expect((await phone.send('job.arrive', { jobId, at: at(1) }, at(1))).status).toBe(
					'applied'
				);
			}
			await handle.db.delete(jobs).where(eq(jobs.id, gone));
			expect(await historyOf(gone)).toEqual([]);
			expect((await historyOf(kept)).map((h) => h.field)).toEqual(['arrived_at']);
		});

		it('lets the later arrival win for the same field and keeps the overwritten value', async () => {
			const { tech, boss } = await station();
			const phone = device(tech);
			const tablet = device(tech);
			const office = device(boss);
			const jobId = await createdJob(phone);
			await phone.send('job.update', { jobId, fields: { notes: 'from the phone' } }, at(5));
			// Made earlier on the tablet, but it arrives later: it wins.
			await tablet.send('job.update', { jobId, fields: { notes: 'from the tablet' } }, at(4));
			await office.send('job.update', { jobId, fields: { customerPhone: '138' } }, at(6));

			const job = await jobRow(jobId);
			expect(job.notes).toBe('from the tablet');
			expect(job.customerPhone).toBe('138');
			// A partial edit leaves the other fields alone.
			expect(job.customerName).toBe('');
			const notes = (await historyOf(jobId)).filter((h) => h.field === 'notes');
			expect(notes.map((h) => [h.oldValue, h.newValue, h.clientId])).toEqual([
				['', 'from the phone', phone.clientId],
				['from the phone', 'from the tablet', tablet.clientId]
			]);
		});

		it('refuses what a technician may not do, with the reason, and moves on', async () => {
			const { tech, other } = await station();
			const theirs = await createdJob(device(other));
			const phone = device(tech);
			const mine = randomUUID();
			const answer = await phone.push([
				phone.record('job.update', { jobId: theirs, fields: { notes: 'mine now' } }),
				phone.record('job.assign', { jobId: theirs, technicianId: tech.id }),
				phone.record('job.verify', { jobId: theirs }),
				phone.record('part.add', {
					id: randomUUID(),
					jobId: theirs,
					partId: randomUUID(),
					qty: '1'
				}),
				phone.record('job.create', { id: mine, jobNo: 'MINE-1', reportedAt: at(0) })
			]);

			expect(answer.lastMutationId).toBe(5);
			expect(answer.results.map((r) => [r.status, r.error?.code])).toEqual([
				['rejected', 'NOT_FOUND'],
				['rejected', 'FORBIDDEN'],
				['rejected', 'FORBIDDEN'],
				['rejected', 'NOT_FOUND'],
				['applied', undefined]
			]);
			expect(answer.results[1].error?.message).toMatch(/only the desk or a supervisor/i);
			expect((await jobRow(theirs)).notes).toBe('');
			expect((await jobRow(mine)).technicianId).toBe(tech.id);
			const recorded = await handle.db
				.select()
				.from(syncMutations)
				.where(eq(syncMutations.clientId, phone.clientId))
				.orderBy(asc(syncMutations.mutationId));
			expect(recorded.map((m) => m.status)).toEqual([
				'rejected',
				'rejected',
				'rejected',
				'rejected',
				'applied'
			]);
			expect(recorded[0].error).toEqual(answer.results[0].error);
		});

		it('refuses technician edits of a verified job, but not the supervisor’s', async () => {
			const { tech, boss, part } = await station();
			const phone = device(tech);
			const office = device(boss);
			const jobId = await createdJob(phone);
			await visited(phone, jobId);
			await phone.send('job.complete', { jobId, at: at(3), outcome: 'fixed' });
			expect((await office.send('job.verify', { jobId }, at(20))).status).toBe('applied');
			expect(await jobRow(jobId)).toMatchObject({ verifiedAt: at(20), verifiedBy: boss.id });

			const refused = await phone.push([
				phone.record('job.update', { jobId, fields: { notes: 'late edit' } }),
				phone.record('part.add', { id: randomUUID(), jobId, partId: part.id, qty: '1' }),
				phone.record('job.setTimes', { jobId, completedAt: at(2), reason: 'typo' })
			]);
			for (const result of refused.results) {
				expect(result.status).toBe('rejected');
				expect(result.error?.code).toBe('FORBIDDEN');
				expect(result.error?.message).toMatch(/verified/);
			}
			const correction = await office.send('job.update', { jobId, fields: { notes: 'checked' } });
			expect(correction.status).toBe('applied');
			expect((await jobRow(jobId)).notes).toBe('checked');
		});

		it('keeps cancelled jobs closed, and completed ones for supervisors to cancel', async () => {
			const { tech, boss } = await station();
			const phone = device(tech);
			const cancelled = await createdJob(phone);
			await phone.send('job.cancel', { jobId: cancelled, reason: 'customer fixed it' });
			const afterCancel = await phone.push([
				phone.record('job.start', { jobId: cancelled, at: at(1) }),
				phone.record('job.complete', { jobId: cancelled, at: at(2), outcome: 'fixed' })
			]);
			expect(afterCancel.results.map((r) => r.error?.message)).toEqual([
				expect.stringMatching(/cancelled/),
				expect.stringMatching(/cancelled/)
			]);
			const reason = (await historyOf(cancelled)).find((h) => h.field === 'status')?.reason;
			expect(reason).toBe('customer fixed it');

			const completed = await createdJob(phone);
			await visited(phone, completed);
			await phone.send('job.complete', { jobId: completed, at: at(2), outcome: 'fixed' });
			const byTech = await phone.send('job.cancel', { jobId: completed, reason: 'oops' });
			expect(byTech.error?.message).toMatch(/only a supervisor can cancel/);
			const byBoss = await device(boss).send('job.cancel', { jobId: completed, reason: 'dup' });
			expect(byBoss.status).toBe('applied');
			expect(await jobRow(completed)).toMatchObject({ status: 'cancelled', outcome: null });
		});

		it('lets a technician correct a job before completion, and edit its notes until verification', async () => {
			const { tech, boss } = await station();
			const phone = device(tech);
			const jobId = await createdJob(phone);
			const before = await phone.send('job.update', { jobId, fields: { customerName: '李女士' } });
			expect(before.status).toBe('applied');
			await visited(phone, jobId);
			await phone.send('job.complete', { jobId, at: at(2), outcome: 'fixed' });
			const after = await phone.push([
				phone.record('job.update', { jobId, fields: { deviceSerial: 'SN-9', notes: 'x' } }),
				phone.record('job.update', { jobId, fields: { notes: 'called back' } })
			]);
			expect(after.results.map((r) => [r.status, r.error?.reason?.key])).toEqual([
				['rejected', 'job_completed_correct'],
				['applied', undefined]
			]);
			const byBoss = await device(boss).send('job.update', {
				jobId,
				fields: { deviceSerial: 'SN-9' }
			});
			expect(byBoss.status).toBe('applied');
			expect(await jobRow(jobId)).toMatchObject({
				customerName: '李女士',
				deviceSerial: 'SN-9',
				notes: 'called back'
			});

			// Made offline in one batch: a correction after the completion is refused all the same.
			const id = randomUUID();
			const batch = await phone.push([
				phone.record('job.create', { id, jobNo: `J-${id.slice(0, 8)}`, reportedAt: at(0) }),
				phone.record('job.arrive', { jobId: id, at: at(1) }),
				phone.record('job.start', { jobId: id, at: at(1) }),
				phone.record('job.complete', { jobId: id, at: at(1), outcome: 'fixed' }),
				phone.record('job.update', { jobId: id, fields: { customerName: '王先生' } })
			]);
			expect(batch.results.map((r) => r.status)).toEqual([
				'applied',
				'applied',
				'applied',
				'applied',
				'rejected'
			]);
			expect((await jobRow(id)).customerName).toBe('');
		});

		it('corrects times only with a reason, which the history keeps', async () => {
			const { tech } = await station();
			const phone = device(tech);
			const jobId = await createdJob(phone);
			const answer = await phone.push([
				phone.record('job.arrive', { jobId, at: at(1) }),
				phone.record('job.setTimes', { jobId, arrivedAt: at(0.5), reason: '  ' }),
				phone.record('job.setTimes', { jobId, completedAt: at(4), reason: 'forgot' }),
				phone.record('job.setTimes', { jobId, arrivedAt: at(0.5), reason: 'clock was off' })
			]);
			expect(answer.results.map((r) => r.status)).toEqual([
				'applied',
				'rejected',
				'rejected',
				'applied'
			]);
			expect(answer.results[1].error).toEqual({
				code: 'BAD_REQUEST',
				message: 'job.setTimes: reason: a reason is required',
				reason: { key: 'invalid_field', params: { field: 'reason', problem: 'required' } }
			});
			expect(answer.results[2].error?.message).toMatch(/not completed/);
			expect((await jobRow(jobId)).arrivedAt).toEqual(at(0.5));
			const corrections = (await historyOf(jobId)).filter((h) => h.field === 'arrived_at');
			expect(corrections.map((h) => [h.mutationId, h.reason])).toEqual([
				[2, null],
				[5, 'clock was off']
			]);
		});

		it('names the field of invalid arguments', async () => {
			const { tech, part } = await station();
			const phone = device(tech);
			const jobId = await createdJob(phone);
			const result = await phone.send('part.add', {
				id: randomUUID(),
				jobId,
				partId: part.id,
				qty: '0'
			});
			expect(result).toEqual({
				id: 2,
				status: 'rejected',
				error: {
					code: 'BAD_REQUEST',
					message: 'part.add: qty: must be greater than 0',
					reason: { key: 'invalid_field', params: { field: 'qty', problem: 'invalid' } }
				}
			});
		});

		it('refuses a constraint violation or an unstorable value and leaves nothing half-written', async () => {
			const { tech } = await station();
			const phone = device(tech);
			await createdJob(phone, 'SAME-NO');
			const twin = randomUUID();
			const ancient = randomUUID();
			const answer = await phone.push([
				phone.record('job.create', { id: twin, jobNo: 'SAME-NO', reportedAt: at(0) }),
				phone.record('job.create', {
					id: ancient,
					jobNo: 'ANCIENT',
					reportedAt: new Date(-8.64e15)
				})
			]);
			expect(answer.lastMutationId).toBe(3);
			expect(answer.results[0].error).toEqual({
				code: 'CONFLICT',
				message: 'This job number already exists in the station.',
				reason: { key: 'job_no_taken', params: {} }
			});
			expect(answer.results[1].status).toBe('rejected');
			expect(answer.results[1].error?.code).toBe('BAD_REQUEST');
			expect(await jobRow(twin)).toBeUndefined();
			expect(await jobRow(ancient)).toBeUndefined();
		});

		it('treats a job created again by the same client as a duplicate, by another as a conflict', async () => {
			const { tech } = await station();
			const phone = device(tech);
			const jobId = randomUUID();
			const again = { id: jobId, jobNo: 'TWICE', reportedAt: at(0) };
			const first = await phone.push([
				phone.record('job.create', again),
				phone.record('job.create', again)
			]);
			expect(first.results.map((r) => r.status)).toEqual(['applied', 'duplicate']);
			expect((await phone.send('job.create', again)).status).toBe('duplicate');
			const elsewhere = await device(tech).send('job.create', again);
			expect(elsewhere.status).toBe('rejected');
			expect(elsewhere.error?.code).toBe('CONFLICT');
		});

		it('answers a re-sent batch from its record, rejections included', async () => {
			const { tech } = await station();
			const phone = device(tech);
			const jobId = randomUUID();
			phone.record('job.create', { id: jobId, jobNo: 'RESENT', reportedAt: at(0) });
			phone.record('job.update', { jobId: randomUUID(), fields: { notes: 'lost job' } });
			phone.record('job.update', { jobId, fields: { notes: 'once' } });
			const first = await phone.push();
			// The response was lost: the device sends the same batch again.
			const second = await phone.push();
			expect(first.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
			expect(second).toEqual({
				lastMutationId: 3,
				gap: false,
				results: [
					{ id: 1, status: 'duplicate', error: null },
					{ id: 2, status: 'rejected', error: first.results[1].error },
					{ id: 3, status: 'duplicate', error: null }
				]
			});
			expect((await historyOf(jobId)).length).toBe(1);
		});

		it('applies nothing after a gap', async () => {
			const { tech } = await station();
			const phone = device(tech);
			const jobId = randomUUID();
			const create = phone.record('job.create', { id: jobId, jobNo: 'GAP', reportedAt: at(0) });
			const arrive = phone.record('job.arrive', { jobId, at: at(1) });
			const start = phone.record('job.start', { jobId, at: at(2) });
			const early = await phone.push([start, create]);
			expect(early).toMatchObject({ lastMutationId: 1, gap: true });
			expect(early.results.map((r) => r.id)).toEqual([1]);
			expect((await jobRow(jobId)).startedAt).toBeNull();
			// Sent out of order but complete: applied in id order.
			const rest = await phone.push([start, arrive]);
			expect(rest).toMatchObject({ lastMutationId: 3, gap: false });
			expect(await jobRow(jobId)).toMatchObject({ arrivedAt: at(1), startedAt: at(2) });
		});

		it('stops a batch at a transient error, keeping what came before, until it clears', async () => {
			const { tech } = await station();
			const phone = device(tech);
			const jobId = await createdJob(phone);
			// A stand-in for a deadlock or a lost connection: fails whenever the notes say so.
			await handle.db.execute(sql`
				CREATE FUNCTION test_transient_failure() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
					IF NEW.notes = 'fail now' THEN
						RAISE EXCEPTION 'simulated' USING ERRCODE = 'serialization_failure';
					END IF;
					RETURN NEW;
				END $$`);
			await handle.db.execute(sql`
				CREATE TRIGGER test_transient_failure BEFORE UPDATE ON jobs
				FOR EACH ROW EXECUTE FUNCTION test_transient_failure()`);
			try {
				phone.record('job.arrive', { jobId, at: at(1) });
				phone.record('job.update', { jobId, fields: { notes: 'fail now' } });
				phone.record('job.start', { jobId, at: at(2) });
				const error = await rejection(phone.push());
				// Retry later (HTTP 503), not a server fault: the phone's sync engine tries again.
				expect(error.code).toBe('SERVICE_UNAVAILABLE');
				expect(error.message).toMatch(/Mutation 3 could not be applied just now/);
				expect(await jobRow(jobId)).toMatchObject({ arrivedAt: at(1), startedAt: null });
			} finally {
				await handle.db.execute(sql`DROP TRIGGER test_transient_failure ON jobs`);
				await handle.db.execute(sql`DROP FUNCTION test_transient_failure()`);
			}
			const retried = await phone.push();
			expect(retried.results.map((r) => r.status)).toEqual([
				'duplicate',
				'duplicate',
				'applied',
				'applied'
			]);
			expect(await jobRow(jobId)).toMatchObject({ notes: 'fail now', startedAt: at(2) });
		});

		it('keeps a client id to the user who first used it', async () => {
			const { tech, other } = await station();
			const phone = device(tech);
			await createdJob(phone);
			const api = syncApi(handle.db, other);
			const push = await rejection(
				api.push({
					clientId: phone.clientId,
					mutations: [{ id: 2, name: 'job.verify', args: { jobId: randomUUID() }, madeAt: MADE }]
				})
			);
			expect(push.code).toBe('FORBIDDEN');
			const pull = await rejection(api.pull({ clientId: phone.clientId, cursor: null }));
			expect(pull.code).toBe('FORBIDDEN');
		});

		it('removes part lines only from jobs the technician may still change', async () => {
			const { tech, other, boss, part } = await station();
			const phone = device(tech);
			const jobId = await createdJob(phone);
			const lineId = randomUUID();
			await phone.send('part.add', { id: lineId, jobId, partId: part.id, qty: '2' });
			expect(
				(await handle.db.select().from(jobParts).where(eq(jobParts.id, lineId)))[0]
			).toMatchObject({ unitCost: '8.50', qty: '2.000', createdBy: tech.id });
			expect((await device(other).send('part.remove', { id: lineId })).error?.code).toBe(
				'NOT_FOUND'
			);
			await visited(phone, jobId);
			await phone.send('job.complete', { jobId, at: at(2), outcome: 'fixed' });
			await device(boss).send('job.verify', { jobId });
			expect((await phone.send('part.remove', { id: lineId })).error?.code).toBe('FORBIDDEN');
			expect((await device(boss).send('part.remove', { id: lineId })).status).toBe('applied');
			expect(await handle.db.select().from(jobParts).where(eq(jobParts.id, lineId))).toEqual([]);
		});

		it('assigns only to active technicians of the station', async () => {
			const { tech, other, boss } = await station();
			const job = await createJob(handle.db, tech);
			const office = device(boss);
			const toBoss = await office.send('job.assign', { jobId: job.id, technicianId: boss.id });
			expect(toBoss.error?.message).toMatch(/not an active technician/);
			await handle.db.update(users).set({ active: false }).where(eq(users.id, other.id));
			const toInactive = await office.send('job.assign', {
				jobId: job.id,
				technicianId: other.id
			});
			expect(toInactive.error?.message).toMatch(/not an active technician/);
			expect((await jobRow(job.id)).technicianId).toBe(tech.id);
		});
	});
}
