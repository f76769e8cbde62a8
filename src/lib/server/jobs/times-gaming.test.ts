/**
 * The gaming catalogue of a job's times (issue 13, docs/kpi-rules.md "Flags that lower record
 * accuracy"): each way a technician might bend their times to look faster, tried online (the
 * tRPC procedures and the services they call) and through the phone's sync push (its bulk fast
 * path and the services it falls back to). Each attempt is either refused with its reason, or
 * kept but flagged so that the technician's record accuracy drops on the scorecard; a
 * supervisor's acceptance (with a reason) restores it, and neither the technician nor the desk
 * can accept. Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobFlagAcceptances, jobStepEntries } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { computeScorecard } from '../kpi/scorecard';
import { refusalIn } from '../refusal';
import { createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { createCallerFactory } from '../trpc/core';
import { appRouter } from '../trpc/router';
import { TestDevice } from '../sync/testing';
import { CLOCK_SKEW_TOLERANCE_SECONDS } from '../../shared/honesty-domain';
import type { JobFlag } from '../../shared/kpi';
import { recordArrival, recordStart, setJobTimes } from './service';
import { refreshStaleFacts } from '../kpi/fact-refresh';

/** What a technician's job must name (shared/job-completeness.ts). */
const ESSENTIALS = { customerName: '王女士', productModel: 'KFR-35GW', faultDescription: '不制冷' };

const createCaller = createCallerFactory(appRouter);
const MINUTE = 60_000;
/** Every honest time lies within LATE_ENTRY_MINUTES of now: a tap online is noted at now. */
const BASE = new Date(Math.floor((Date.now() - 90 * MINUTE) / MINUTE) * MINUTE);
const at = (minutes: number) => new Date(BASE.getTime() + minutes * MINUTE);
const day = (time: number) => new Date(time).toISOString().slice(0, 10);
const PERIOD = { from: day(Date.now() - 3 * 86_400_000), to: day(Date.now() + 3 * 86_400_000) };

type Outcome = { ok: true } | { ok: false; reason: string | undefined };

/** How the technician records: online (tRPC and the services it calls) or through the push. */
type Way = 'online' | 'sync';

/** One technician's recorder: every step answers applied, or refused with its reason key. */
function recorder(way: Way, handle: DatabaseHandle, user: SessionUser) {
	const db = handle.db;
	const api = createCaller({ db, user }).jobs;
	const phone = new TestDevice(db, user);
	const online = async (work: () => Promise<unknown>): Promise<Outcome> => {
		try {
			await work();
			return { ok: true };
		} catch (error) {
			const refused = refusalIn(error);
			if (!refused) throw error;
			return { ok: false, reason: refused.reason.key };
		}
	};
	const pushed = async (
		send: Promise<{ status: string; error: { reason?: { key: string } } | null }>
	): Promise<Outcome> => {
		const result = await send;
		return result.status === 'applied'
			? { ok: true }
			: { ok: false, reason: result.error?.reason?.key };
	};
	return {
		phone,
		create: (jobId: string, reportedAt: Date) =>
			way === 'online'
				? online(() =>
						api.create({ id: jobId, jobNo: `T-${jobId.slice(0, 8)}`, reportedAt, ...ESSENTIALS })
					)
				: pushed(
						phone.send(
							'job.create',
							{ id: jobId, jobNo: `T-${jobId.slice(0, 8)}`, reportedAt, ...ESSENTIALS },
							reportedAt
						)
					),
		/** A one-tap step; on the phone made at `madeAt` (its clock then), by default the time itself. */
		arrive: (jobId: string, time: Date, madeAt = time) =>
			way === 'online'
				? online(() => recordArrival(db, user, { jobId, at: time }))
				: pushed(phone.send('job.arrive', { jobId, at: time }, madeAt)),
		start: (jobId: string, time: Date, madeAt = time) =>
			way === 'online'
				? online(() => recordStart(db, user, { jobId, at: time }))
				: pushed(phone.send('job.start', { jobId, at: time }, madeAt)),
		complete: (jobId: string, time: Date, madeAt = time) =>
			way === 'online'
				? online(() => api.complete({ jobId, completedAt: time, outcome: 'fixed' }))
				: pushed(phone.send('job.complete', { jobId, at: time, outcome: 'fixed' }, madeAt)),
		setTimes: (
			jobId: string,
			times: { arrivedAt?: Date; startedAt?: Date; completedAt?: Date; reportedAt?: Date }
		) =>
			way === 'online'
				? online(() => setJobTimes(db, user, { jobId, ...times, reason: 'typed' }))
				: pushed(phone.send('job.setTimes', { jobId, ...times, reason: 'typed' })),
		/** A whole visit in one push, as a phone that was offline sends it (folded into creation). */
		offlineVisit: async (jobId: string, steps: { arrive: Date; start: Date; complete: Date }) => {
			const jobNo = `T-${jobId.slice(0, 8)}`;
			const answer = await phone.push([
				phone.record('job.create', { id: jobId, jobNo, reportedAt: at(0), ...ESSENTIALS }, at(0)),
				phone.record('job.arrive', { jobId, at: steps.arrive }, steps.arrive),
				phone.record('job.start', { jobId, at: steps.start }, steps.start),
				phone.record(
					'job.complete',
					{ jobId, at: steps.complete, outcome: 'fixed' },
					steps.complete
				)
			]);
			return answer.results.map((result) =>
				result.status === 'applied' ? 'applied' : result.error?.reason?.key
			);
		}
	};
}

for (const engine of testEngines()) {
	describe(`gaming a job's times on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stations = 0;

		beforeAll(async () => {
			handle = await engine.open();
		});

		afterAll(async () => {
			await handle?.close();
		});

		async function station() {
			const db = handle.db;
			const created = await createStation(db, `TIME-${++stations}`);
			return {
				stationId: created.id,
				ana: await createUser(db, created, 'ana'),
				boss: await createUser(db, created, 'boss', 'supervisor'),
				desk: await createUser(db, created, 'desk', 'dispatcher')
			};
		}

		const accuracyOf = async (stationId: string) => {
			await refreshStaleFacts(handle.db);
			const rows = await computeScorecard(handle.db, { stationId, ...PERIOD });
			return rows.find((row) => row.login === 'ana')?.record_accuracy;
		};

		const flagsOf = async (stationId: string, jobId: string) => {
			const report = await createCaller({
				db: handle.db,
				user: await supervisorOf(stationId)
			}).review.dataQuality(PERIOD);
			const job = report.groups.flatMap((group) => group.jobs).find((one) => one.jobId === jobId);
			return { open: job?.flags ?? [], accepted: job?.accepted.map((one) => one.flag) ?? [] };
		};

		const supervisors = new Map<string, SessionUser>();
		const supervisorOf = async (stationId: string) => supervisors.get(stationId)!;

		/** A station whose technician has one honest job done, and a recorder for them. */
		async function withHonestJob(way: Way) {
			const site = await station();
			supervisors.set(site.stationId, site.boss);
			const ana = recorder(way, handle, site.ana);
			const honest = randomUUID();
			expect(await ana.create(honest, at(0))).toEqual({ ok: true });
			expect(await ana.arrive(honest, at(10))).toEqual({ ok: true });
			expect(await ana.start(honest, at(20))).toEqual({ ok: true });
			expect(await ana.complete(honest, at(60))).toEqual({ ok: true });
			expect(await accuracyOf(site.stationId)).toBe(1);
			return { ...site, ana, honest };
		}

		/** A new job of ana's, reported at(0). */
		async function newJob(ana: ReturnType<typeof recorder>) {
			const jobId = randomUUID();
			expect(await ana.create(jobId, at(0))).toEqual({ ok: true });
			return jobId;
		}

		const accept = (user: SessionUser, jobId: string, flag: JobFlag) =>
			createCaller({ db: handle.db, user }).review.acceptFlag({
				jobId,
				flag,
				reason: 'checked with the customer'
			});

		for (const way of ['online', 'sync'] as const) {
			it(`${way}: the honest job is clean, and each tap is recorded as a tap`, async () => {
				const { honest } = await withHonestJob(way);
				const entries = await handle.db
					.select()
					.from(jobStepEntries)
					.where(eq(jobStepEntries.jobId, honest));
				expect(entries.map((entry) => [entry.step, entry.entry]).sort()).toEqual([
					['arrived', 'tap'],
					['completed', 'tap'],
					['started', 'tap']
				]);
			});

			it(`${way}: steps out of order are refused`, async () => {
				const { ana } = await withHonestJob(way);
				const jobId = await newJob(ana);
				expect(await ana.arrive(jobId, at(30))).toEqual({ ok: true });
				expect(await ana.start(jobId, at(20))).toEqual({ ok: false, reason: 'step_out_of_order' });
				expect(await ana.start(jobId, at(40))).toEqual({ ok: true });
				expect(await ana.complete(jobId, at(35))).toEqual({
					ok: false,
					reason: 'step_out_of_order'
				});
				// A typed correction may not break the order either.
				expect(await ana.setTimes(jobId, { arrivedAt: at(50) })).toEqual({
					ok: false,
					reason: 'step_out_of_order'
				});
			});

			it(`${way}: times in the future beyond the clock's tolerance are refused`, async () => {
				const { ana } = await withHonestJob(way);
				const jobId = await newJob(ana);
				const tolerated = new Date(Date.now() + (CLOCK_SKEW_TOLERANCE_SECONDS / 2) * 1000);
				const future = new Date(Date.now() + 60 * MINUTE);
				expect(await ana.arrive(jobId, future, future)).toEqual({
					ok: false,
					reason: 'step_in_future'
				});
				expect(await ana.arrive(jobId, tolerated, tolerated)).toEqual({ ok: true });
				const reported = randomUUID();
				expect(await ana.create(reported, future)).toEqual({ ok: false, reason: 'step_in_future' });
			});

			it(`${way}: times before the job's report are refused`, async () => {
				const { ana } = await withHonestJob(way);
				const jobId = await newJob(ana);
				expect(await ana.arrive(jobId, at(-30))).toEqual({
					ok: false,
					reason: 'step_before_report'
				});
				expect(await ana.arrive(jobId, at(10))).toEqual({ ok: true });
				expect(await ana.setTimes(jobId, { reportedAt: at(15) })).toEqual({
					ok: false,
					reason: 'step_before_report'
				});
			});

			it(`${way}: completing without arriving or starting is refused`, async () => {
				const { ana } = await withHonestJob(way);
				const jobId = await newJob(ana);
				expect(await ana.complete(jobId, at(60))).toEqual({ ok: false, reason: 'step_missing' });
				expect(await ana.arrive(jobId, at(10))).toEqual({ ok: true });
				expect(await ana.complete(jobId, at(60))).toEqual({ ok: false, reason: 'step_missing' });
				expect(await ana.start(jobId, at(20))).toEqual({ ok: true });
				expect(await ana.complete(jobId, at(60))).toEqual({ ok: true });
			});

			it(`${way}: all steps in the same minute are kept but flagged; a supervisor's acceptance restores accuracy`, async () => {
				const { stationId, ana, boss, desk } = await withHonestJob(way);
				const jobId = await newJob(ana);
				const second = (seconds: number) => new Date(at(30).getTime() + seconds * 1000);
				expect(await ana.arrive(jobId, second(0))).toEqual({ ok: true });
				expect(await ana.start(jobId, second(10))).toEqual({ ok: true });
				expect(await ana.complete(jobId, second(20))).toEqual({ ok: true });
				expect(await accuracyOf(stationId)).toBe(0.5);
				expect((await flagsOf(stationId, jobId)).open).toEqual(['same_minute', 'too_fast']);

				// Neither the technician nor the desk can accept a flag.
				for (const user of [ana.phone.user, desk]) {
					await expect(accept(user, jobId, 'same_minute')).rejects.toMatchObject({
						code: 'FORBIDDEN'
					});
				}
				expect(
					await handle.db
						.select()
						.from(jobFlagAcceptances)
						.where(eq(jobFlagAcceptances.jobId, jobId))
				).toEqual([]);

				await accept(boss, jobId, 'same_minute');
				expect(await accuracyOf(stationId)).toBe(0.5);
				const accepted = await accept(boss, jobId, 'too_fast');
				expect(accepted).toMatchObject({
					flag: 'too_fast',
					reason: 'checked with the customer',
					acceptedBy: boss.id
				});
				expect(await accuracyOf(stationId)).toBe(1);
				expect(await flagsOf(stationId, jobId)).toEqual({
					open: [],
					accepted: ['same_minute', 'too_fast']
				});
				// A flag the job does not carry cannot be accepted ahead.
				await expect(accept(boss, jobId, 'typed_time')).rejects.toMatchObject({
					code: 'BAD_REQUEST'
				});
			});

			it(`${way}: times typed by hand are kept but flagged`, async () => {
				const { stationId, ana, honest } = await withHonestJob(way);
				expect(await ana.setTimes(honest, { startedAt: at(15) })).toEqual({ ok: true });
				expect(await accuracyOf(stationId)).toBe(0);
				expect((await flagsOf(stationId, honest)).open).toEqual(['typed_time']);
				const [entry] = await handle.db
					.select()
					.from(jobStepEntries)
					.where(and(eq(jobStepEntries.jobId, honest), eq(jobStepEntries.step, 'started')));
				expect(entry).toMatchObject({ entry: 'typed', recordedBy: ana.phone.user.id });
			});
		}

		it('sync: a tap whose time is far from the device clock when it was made is flagged late', async () => {
			const { stationId, ana } = await withHonestJob('sync');
			const jobId = await newJob(ana);
			const later = (time: Date) => new Date(time.getTime() + 150 * MINUTE);
			expect(await ana.arrive(jobId, at(10), later(at(10)))).toEqual({ ok: true });
			expect(await ana.start(jobId, at(20))).toEqual({ ok: true });
			expect(await ana.complete(jobId, at(60))).toEqual({ ok: true });
			expect(await accuracyOf(stationId)).toBe(0.5);
			expect((await flagsOf(stationId, jobId)).open).toEqual(['late_entry']);
			const [entry] = await handle.db
				.select()
				.from(jobStepEntries)
				.where(and(eq(jobStepEntries.jobId, jobId), eq(jobStepEntries.step, 'arrived')));
			expect(entry.notedAt).toEqual(later(at(10)));
		});

		it('sync: a whole visit made offline is refused step by step as sent one at a time', async () => {
			const { ana } = await withHonestJob('sync');
			// Folded into the job's creation: the fast path falls back to the services, which say why.
			expect(
				await ana.offlineVisit(randomUUID(), { arrive: at(30), start: at(20), complete: at(40) })
			).toEqual(['applied', 'applied', 'step_out_of_order', 'step_missing']);
			expect(
				await ana.offlineVisit(randomUUID(), { arrive: at(-10), start: at(20), complete: at(40) })
			).toEqual(['applied', 'step_before_report', 'applied', 'step_missing']);
			const jobId = randomUUID();
			expect(
				await ana.offlineVisit(jobId, { arrive: at(10), start: at(20), complete: at(60) })
			).toEqual(['applied', 'applied', 'applied', 'applied']);
			const entries = await handle.db
				.select()
				.from(jobStepEntries)
				.where(eq(jobStepEntries.jobId, jobId));
			expect(entries.map((entry) => [entry.step, entry.entry, entry.notedAt]).sort()).toEqual([
				['arrived', 'tap', at(10)],
				['completed', 'tap', at(60)],
				['started', 'tap', at(20)]
			]);
		});
	});
}
