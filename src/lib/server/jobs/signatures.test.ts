/**
 * The customer's signature at completion (issue 14, jobs/signatures.ts): kept with the
 * completion that carries it, once however often the phone re-sends; required of a technician's
 * completion while the station asks for it, checked the same on the sync's bulk path, the
 * single path and tRPC; refused when malformed, and never written for a job outside the
 * user's scope. Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobSignatures, jobs, stations } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { createCallerFactory } from '../trpc/core';
import { appRouter } from '../trpc/router';
import { TestDevice } from '../sync/testing';
import { SIGNATURE_MAX_POINTS, type Signature } from '../../shared/signature';

const createCaller = createCallerFactory(appRouter);
const HOUR = 3_600_000;
const MADE = new Date('2026-03-02T01:00:00Z');
const at = (hours: number) => new Date(MADE.getTime() + hours * HOUR);

const signature = (signerName = '王先生'): Signature => ({
	signerName,
	signedAt: at(3),
	strokes: [
		[100, 200, 180, 150, 260, 260, 340, 120],
		[500, 300]
	]
});

for (const engine of testEngines()) {
	describe(`the customer's signature on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stationCount = 0;

		async function station(requiresSignature = false) {
			const db = handle.db;
			const created = await createStation(db, `SIGN-${++stationCount}`);
			await db
				.update(stations)
				.set({ completionRequiresSignature: requiresSignature })
				.where(eq(stations.id, created.id));
			const place = { ...created, completionRequiresSignature: requiresSignature };
			return {
				tech: await createUser(db, place, 'tech'),
				other: await createUser(db, place, 'other'),
				boss: await createUser(db, place, 'boss', 'supervisor')
			};
		}

		const device = (user: SessionUser) => new TestDevice(handle.db, user);

		/** A job created, arrived at and started on the phone, ready to complete. */
		async function visitedJob(phone: TestDevice) {
			const jobId = randomUUID();
			const answer = await phone.push([
				phone.record('job.create', {
					id: jobId,
					jobNo: `S-${jobId.slice(0, 6)}`,
					reportedAt: at(0)
				}),
				phone.record('job.arrive', { jobId, at: at(1) }),
				phone.record('job.start', { jobId, at: at(2) })
			]);
			expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
			return jobId;
		}

		const signaturesOf = (jobId: string) =>
			handle.db.select().from(jobSignatures).where(eq(jobSignatures.jobId, jobId));
		const statusOf = async (jobId: string) =>
			(await handle.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId)))[0]
				?.status;

		beforeAll(async () => {
			handle = await engine.open();
		});

		afterAll(async () => {
			await handle?.close();
		});

		it('keeps the signature with the completion, once however often the phone re-sends it', async () => {
			const { tech } = await station();
			const phone = device(tech);
			const jobId = await visitedJob(phone);
			const completion = phone.record(
				'job.complete',
				{ jobId, at: at(3), outcome: 'fixed', signature: signature() },
				at(3)
			);
			expect((await phone.push([completion])).results[0].status).toBe('applied');
			// The answer was lost on the way back: the phone sends the same mutation again.
			expect((await phone.push([completion])).results[0].status).toBe('duplicate');

			const rows = await signaturesOf(jobId);
			expect(rows).toHaveLength(1);
			expect(rows[0]).toMatchObject({
				signerName: '王先生',
				signedAt: at(3),
				strokes: signature().strokes,
				recordedBy: tech.id
			});
			expect(await statusOf(jobId)).toBe('completed');
		});

		it('folds nothing of a signed completion into a creation in the same batch', async () => {
			const { tech } = await station();
			const phone = device(tech);
			const jobId = randomUUID();
			const answer = await phone.push([
				phone.record('job.create', { id: jobId, jobNo: 'S-FOLD', reportedAt: at(0) }),
				phone.record('job.arrive', { jobId, at: at(1) }),
				phone.record('job.start', { jobId, at: at(2) }),
				phone.record('job.complete', {
					jobId,
					at: at(3),
					outcome: 'fixed',
					signature: signature('李女士')
				})
			]);
			expect(answer.results.map((r) => r.status)).toEqual([
				'applied',
				'applied',
				'applied',
				'applied'
			]);
			expect((await signaturesOf(jobId)).map((row) => row.signerName)).toEqual(['李女士']);
		});

		it('refuses a technician’s unsigned completion while the station requires a signature', async () => {
			const { tech, boss } = await station(true);
			const phone = device(tech);
			const jobId = await visitedJob(phone);
			const unsigned = await phone.send('job.complete', { jobId, at: at(3), outcome: 'fixed' });
			expect(unsigned.status).toBe('rejected');
			expect(unsigned.error?.reason).toMatchObject({
				key: 'signature_required',
				params: { jobNo: `S-${jobId.slice(0, 6)}` }
			});
			expect(await statusOf(jobId)).not.toBe('completed');

			const signed = await phone.send('job.complete', {
				jobId,
				at: at(3),
				outcome: 'fixed',
				signature: signature()
			});
			expect(signed.status).toBe('applied');
			// Signed once: completing again (another outcome) needs no second signature.
			const again = await phone.send('job.complete', { jobId, at: at(4), outcome: 'not_fixed' });
			expect(again.status).toBe('applied');
			expect(await signaturesOf(jobId)).toHaveLength(1);

			// A supervisor recording a completion afterwards has no customer beside them.
			const other = await visitedJob(phone);
			const byBoss = await device(boss).send('job.complete', {
				jobId: other,
				at: at(3),
				outcome: 'fixed'
			});
			expect(byBoss.status).toBe('applied');
		});

		it('refuses it in a day’s batch too, applying the rest', async () => {
			const { tech } = await station(true);
			const phone = device(tech);
			const jobId = randomUUID();
			const answer = await phone.push([
				phone.record('job.create', { id: jobId, jobNo: 'S-DAY', reportedAt: at(0) }),
				phone.record('job.arrive', { jobId, at: at(1) }),
				phone.record('job.start', { jobId, at: at(2) }),
				phone.record('job.complete', { jobId, at: at(3), outcome: 'fixed' })
			]);
			expect(answer.results.map((r) => r.error?.reason?.key ?? r.status)).toEqual([
				'applied',
				'applied',
				'applied',
				'signature_required'
			]);
			expect(await statusOf(jobId)).toBe('in_progress');
		});

		it('asks the same of an online completion (tRPC)', async () => {
			const { tech } = await station(true);
			const jobId = await visitedJob(device(tech));
			const caller = createCaller({ db: handle.db, user: tech });
			await expect(
				caller.jobs.complete({ jobId, completedAt: at(3), outcome: 'fixed' })
			).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /signature/ });
			await caller.jobs.complete({
				jobId,
				completedAt: at(3),
				outcome: 'fixed',
				signature: signature()
			});
			expect(await signaturesOf(jobId)).toHaveLength(1);
		});

		it('writes nothing for a job outside the technician’s scope', async () => {
			const { tech, other } = await station();
			const jobId = await visitedJob(device(tech));
			const stranger = await device(other).send('job.complete', {
				jobId,
				at: at(3),
				outcome: 'fixed',
				signature: signature('冒名')
			});
			expect(stranger.status).toBe('rejected');
			expect(stranger.error?.code).toBe('NOT_FOUND');
			expect(await signaturesOf(jobId)).toHaveLength(0);
		});

		it('refuses a malformed signature as a field error, storing nothing', async () => {
			const { tech } = await station();
			const phone = device(tech);
			const jobId = await visitedJob(phone);
			const tooMany = Array.from({ length: SIGNATURE_MAX_POINTS + 1 }, (_, i) => i % 1000);
			const cases: unknown[] = [
				{ ...signature(), strokes: [] },
				{ ...signature(), strokes: [[100, 401]] },
				{ ...signature(), strokes: [[100, 20, 30]] },
				{ ...signature(), strokes: [[1.5, 20]] },
				{ ...signature(), strokes: [tooMany.concat(tooMany).map((v) => v % 400)] },
				{ ...signature(), signerName: '   ' },
				{ ...signature(), signerName: 'x'.repeat(41) },
				{ ...signature(), strokes: 'M0 0L10 10' }
			];
			for (const bad of cases) {
				const answer = await phone.send('job.complete', {
					jobId,
					at: at(3),
					outcome: 'fixed',
					signature: bad as Signature
				});
				expect(answer.status).toBe('rejected');
				expect(answer.error?.reason?.key).toBe('invalid_field');
			}
			expect(await signaturesOf(jobId)).toHaveLength(0);
			expect(await statusOf(jobId)).toBe('in_progress');
		});

		it('is kept apart from what syncs: the pull carries no signature', async () => {
			const { tech } = await station();
			const phone = device(tech);
			const jobId = await visitedJob(phone);
			await phone.send('job.complete', {
				jobId,
				at: at(3),
				outcome: 'fixed',
				signature: signature()
			});
			const pulled = await phone.pull();
			expect(pulled.changes.jobs.map((job) => job.id)).toContain(jobId);
			expect(JSON.stringify(pulled)).not.toContain('王先生');
			expect(await signaturesOf(jobId)).toHaveLength(1);
		});
	});
}
