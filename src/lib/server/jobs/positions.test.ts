/**
 * Where arrival and completion happened (issue 14): stored with the tapped step through every
 * path a tap reaches the server by (the push's bulk statements, a new job's folded steps, the
 * services a push falls back to, tRPC's jobs.complete), refused out of range with the field and
 * its range, not kept while the station does not record positions, and read back by the
 * station's supervisors only. Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobStepEntries } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { computeScorecard } from '../kpi/scorecard';
import { refusalIn } from '../refusal';
import { updatePositionRecording } from '../stations/settings/evidence';
import { createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { createCallerFactory } from '../trpc/core';
import { appRouter } from '../trpc/router';
import { TestDevice } from '../sync/testing';
import type { StepPosition } from '../../shared/step-position';
import { cancelJob, setJobTimes } from './service';
import { stepPositionsOfJob } from './positions';

const createCaller = createCallerFactory(appRouter);
const ESSENTIALS = { customerName: '王女士', productModel: 'KFR-35GW', faultDescription: '不制冷' };
const MINUTE = 60_000;
const BASE = new Date(Math.floor((Date.now() - 90 * MINUTE) / MINUTE) * MINUTE);
const at = (minutes: number) => new Date(BASE.getTime() + minutes * MINUTE);

const HERE: StepPosition = {
	state: 'recorded',
	latitude: 31.2304,
	longitude: 121.4737,
	accuracyM: 12.5
};
const THERE: StepPosition = {
	state: 'recorded',
	latitude: -33.8688,
	longitude: 151.2093,
	accuracyM: 40
};

for (const engine of testEngines()) {
	describe(`step positions on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stations = 0;

		beforeAll(async () => {
			handle = await engine.open();
		});

		afterAll(async () => {
			await handle?.close();
		});

		/** A station with a technician and a supervisor; positions recorded unless told not to. */
		async function station(recordPositions = true) {
			const db = handle.db;
			const created = await createStation(db, `GEO-${++stations}`);
			const boss = await createUser(db, created, 'boss', 'supervisor');
			if (recordPositions) {
				expect(await updatePositionRecording(db, boss, { recordPositions: true })).toEqual({
					changed: 1
				});
			}
			return {
				boss,
				ana: await createUser(db, created, 'ana'),
				desk: await createUser(db, created, 'desk', 'dispatcher'),
				admin: await createUser(db, created, 'admin', 'admin')
			};
		}

		/** ana's phone with a new job of hers, reported at(0). */
		async function jobOf(ana: SessionUser) {
			const phone = new TestDevice(handle.db, ana);
			const jobId = randomUUID();
			const created = await phone.send(
				'job.create',
				{ id: jobId, jobNo: `G-${jobId.slice(0, 8)}`, reportedAt: at(0), ...ESSENTIALS },
				at(0)
			);
			expect(created.status).toBe('applied');
			return { phone, jobId };
		}

		/** What job_step_entries holds of a job's steps, read independently of positions.ts. */
		const storedEntries = (jobId: string) =>
			handle.db
				.select({
					step: jobStepEntries.step,
					entry: jobStepEntries.entry,
					position: jobStepEntries.position,
					latitude: jobStepEntries.latitude,
					longitude: jobStepEntries.longitude,
					accuracyM: jobStepEntries.positionAccuracyM
				})
				.from(jobStepEntries)
				.where(eq(jobStepEntries.jobId, jobId))
				.orderBy(jobStepEntries.step);

		const recorded = (step: string, position: StepPosition, entry = 'tap') => ({
			step,
			entry,
			position: 'recorded',
			latitude: position.latitude,
			longitude: position.longitude,
			accuracyM: position.accuracyM
		});
		const unknown = (step: string, state: 'denied' | 'unavailable' | null, entry = 'tap') => ({
			step,
			entry,
			position: state,
			latitude: null,
			longitude: null,
			accuracyM: null
		});

		it('keeps the position of each tap pushed one at a time (the bulk statements)', async () => {
			const { ana, boss } = await station();
			const { phone, jobId } = await jobOf(ana);
			const sent = [
				await phone.send('job.arrive', { jobId, at: at(10), position: HERE }, at(10)),
				await phone.send('job.start', { jobId, at: at(20) }, at(20)),
				await phone.send(
					'job.complete',
					{ jobId, at: at(60), outcome: 'fixed', position: { state: 'denied' } },
					at(60)
				)
			];
			expect(sent.map((result) => result.status)).toEqual(['applied', 'applied', 'applied']);
			expect(await storedEntries(jobId)).toEqual([
				recorded('arrived', HERE),
				unknown('completed', 'denied'),
				unknown('started', null)
			]);
			expect(await stepPositionsOfJob(handle.db, boss, jobId)).toEqual([
				{
					step: 'arrived',
					state: 'recorded',
					latitude: 31.2304,
					longitude: 121.4737,
					accuracyM: 12.5
				},
				{ step: 'completed', state: 'denied', latitude: null, longitude: null, accuracyM: null }
			]);
		});

		it('keeps the positions of a visit made offline, folded into the new job', async () => {
			const { ana } = await station();
			const phone = new TestDevice(handle.db, ana);
			const jobId = randomUUID();
			const answer = await phone.push([
				phone.record(
					'job.create',
					{ id: jobId, jobNo: `G-${jobId.slice(0, 8)}`, reportedAt: at(0), ...ESSENTIALS },
					at(0)
				),
				phone.record(
					'job.arrive',
					{ jobId, at: at(10), position: { state: 'unavailable' } },
					at(10)
				),
				phone.record('job.start', { jobId, at: at(20) }, at(20)),
				phone.record(
					'job.complete',
					{ jobId, at: at(60), outcome: 'fixed', position: THERE },
					at(60)
				)
			]);
			expect(answer.results.map((result) => result.status)).toEqual([
				'applied',
				'applied',
				'applied',
				'applied'
			]);
			expect(await storedEntries(jobId)).toEqual([
				unknown('arrived', 'unavailable'),
				recorded('completed', THERE),
				unknown('started', null)
			]);
		});

		it('keeps the position when a push falls back to the services, one mutation at a time', async () => {
			const { ana, boss } = await station();
			const { phone, jobId } = await jobOf(ana);
			const { jobId: cancelled } = await jobOf(ana);
			await cancelJob(handle.db, boss, { jobId: cancelled, reason: '客户取消' });
			// The cancelled job's arrival is refused, so the batch is applied one by one.
			const answer = await phone.push([
				phone.record('job.arrive', { jobId, at: at(10), position: HERE }, at(10)),
				phone.record('job.arrive', { jobId: cancelled, at: at(10), position: THERE }, at(10))
			]);
			expect(answer.results.map((result) => result.status)).toEqual(['applied', 'rejected']);
			expect(answer.results[1].error?.reason?.key).toBe('job_cancelled');
			expect(await storedEntries(jobId)).toEqual([recorded('arrived', HERE)]);
			expect(await storedEntries(cancelled)).toEqual([]);
		});

		it('keeps the position of a completion through tRPC', async () => {
			const { ana } = await station();
			const { phone, jobId } = await jobOf(ana);
			await phone.send('job.arrive', { jobId, at: at(10) }, at(10));
			await phone.send('job.start', { jobId, at: at(20) }, at(20));
			await createCaller({ db: handle.db, user: ana }).jobs.complete({
				jobId,
				completedAt: at(60),
				outcome: 'fixed',
				position: THERE
			});
			expect(await storedEntries(jobId)).toEqual([
				// An arrival from a phone that did not ask (an older one, or a stale setting).
				unknown('arrived', null),
				recorded('completed', THERE),
				unknown('started', null)
			]);
		});

		it('refuses a position out of range, or half given, naming the field and its range', async () => {
			const { ana } = await station();
			const { phone, jobId } = await jobOf(ana);
			const refusedBy = async (position: unknown) => {
				const result = await phone.send('job.arrive', {
					jobId,
					at: at(10),
					position: position as StepPosition
				});
				expect(result.status).toBe('rejected');
				return { reason: result.error?.reason, message: result.error?.message };
			};
			expect(await refusedBy({ ...HERE, latitude: 90.5 })).toMatchObject({
				reason: {
					key: 'invalid_field',
					params: { field: 'position.latitude', problem: 'invalid' }
				},
				message: expect.stringContaining('latitude must be between -90 and 90')
			});
			expect(await refusedBy({ ...HERE, longitude: -180.01 })).toMatchObject({
				reason: { params: { field: 'position.longitude' } },
				message: expect.stringContaining('longitude must be between -180 and 180')
			});
			expect(await refusedBy({ ...HERE, accuracyM: -1 })).toMatchObject({
				reason: { params: { field: 'position.accuracyM' } },
				message: expect.stringContaining('accuracy (metres) must be between 0 and 100000')
			});
			expect(await refusedBy({ ...HERE, latitude: Number.NaN })).toMatchObject({
				reason: { params: { field: 'position.latitude' } }
			});
			expect(await refusedBy({ state: 'recorded', latitude: 1, longitude: 2 })).toMatchObject({
				reason: { params: { field: 'position', problem: 'invalid' } },
				message: expect.stringContaining('a recorded position has latitude, longitude and accuracy')
			});
			expect(
				await refusedBy({ state: 'denied', latitude: 1, longitude: 2, accuracyM: 3 })
			).toMatchObject({
				reason: { params: { field: 'position' } }
			});
			expect(await refusedBy({ state: 'somewhere' })).toMatchObject({
				reason: { params: { field: 'position.state', problem: 'choose' } }
			});
			expect(await storedEntries(jobId)).toEqual([]);

			const online = await createCaller({ db: handle.db, user: ana })
				.jobs.complete({
					jobId,
					completedAt: at(60),
					outcome: 'fixed',
					position: { ...THERE, longitude: 181 }
				})
				.then(
					() => null,
					(error: unknown) => error
				);
			expect(online).toMatchObject({
				code: 'BAD_REQUEST',
				message: expect.stringContaining('longitude must be between -180 and 180')
			});
		});

		it('keeps no position while the station does not record them, and refuses nothing', async () => {
			const { ana, boss } = await station(false);
			const { phone, jobId } = await jobOf(ana);
			expect(
				(await phone.send('job.arrive', { jobId, at: at(10), position: HERE }, at(10))).status
			).toBe('applied');
			await phone.send('job.start', { jobId, at: at(20) }, at(20));
			await createCaller({ db: handle.db, user: ana }).jobs.complete({
				jobId,
				completedAt: at(60),
				outcome: 'fixed',
				position: THERE
			});
			expect(await storedEntries(jobId)).toEqual([
				unknown('arrived', null),
				unknown('completed', null),
				unknown('started', null)
			]);
			expect(await stepPositionsOfJob(handle.db, boss, jobId)).toEqual([]);

			// Turned off after a tap: what was kept stays, later taps keep nothing.
			const site = await station();
			const first = await jobOf(site.ana);
			await first.phone.send(
				'job.arrive',
				{ jobId: first.jobId, at: at(10), position: HERE },
				at(10)
			);
			await updatePositionRecording(handle.db, site.boss, { recordPositions: false });
			const second = await jobOf(site.ana);
			await second.phone.send(
				'job.arrive',
				{ jobId: second.jobId, at: at(10), position: HERE },
				at(10)
			);
			expect(await storedEntries(first.jobId)).toEqual([recorded('arrived', HERE)]);
			expect(await storedEntries(second.jobId)).toEqual([unknown('arrived', null)]);
		});

		it('forgets the tap’s position when the time is typed over it', async () => {
			const { ana } = await station();
			const { phone, jobId } = await jobOf(ana);
			await phone.send('job.arrive', { jobId, at: at(10), position: HERE }, at(10));
			await setJobTimes(handle.db, ana, { jobId, arrivedAt: at(12), reason: '点晚了' });
			expect(await storedEntries(jobId)).toEqual([unknown('arrived', null, 'typed')]);
		});

		it('shows positions to the station’s supervisors only', async () => {
			const { ana, desk, admin } = await station();
			const other = await station();
			const { phone, jobId } = await jobOf(ana);
			await phone.send('job.arrive', { jobId, at: at(10), position: HERE }, at(10));
			for (const reader of [ana, desk, admin]) {
				const refused = await stepPositionsOfJob(handle.db, reader, jobId).catch(
					(error: unknown) => refusalIn(error)?.code
				);
				expect(refused).toBe('FORBIDDEN');
			}
			const elsewhere = await createCaller({ db: handle.db, user: other.boss })
				.jobs.positions({ jobId })
				.catch((error: unknown) => (error as { code?: string }).code);
			expect(elsewhere).toBe('NOT_FOUND');
		});

		it('changes no KPI: the same visit scores the same with or without positions', async () => {
			const scoreOf = async (position: StepPosition | undefined) => {
				const site = await station(position !== undefined);
				const { phone, jobId } = await jobOf(site.ana);
				await phone.send('job.arrive', { jobId, at: at(10), position }, at(10));
				await phone.send('job.start', { jobId, at: at(20) }, at(20));
				await phone.send('job.complete', { jobId, at: at(60), outcome: 'fixed', position }, at(60));
				const day = (time: number) => new Date(time).toISOString().slice(0, 10);
				// Every station's technician is ana: the rows compare whole.
				return computeScorecard(handle.db, {
					stationId: site.ana.stationId,
					from: day(Date.now() - 3 * 86_400_000),
					to: day(Date.now() + 3 * 86_400_000)
				});
			};
			expect(await scoreOf(HERE)).toEqual(await scoreOf(undefined));
		});
	});
}
