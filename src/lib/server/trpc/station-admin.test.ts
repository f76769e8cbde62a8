/**
 * roles.md's "station admin" column as the API enforces it: a station administrator reads the
 * station's jobs and moves station data in and out, and every other station capability
 * (creating, assigning, recording, verifying, following up, scores, settings) is refused, over
 * tRPC and in a sync push alike (fast path and one at a time). The same calls by a supervisor
 * succeed, so the refusals are the role's, not the calls'. Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { m } from '../../paraglide/messages.js';
import type { DatabaseHandle } from '../db';
import { Refusal } from '../refusal';
import { refusalText } from '../refusal-text';
import { followUps, jobParts, jobs } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { exportStationFiles } from '../interchange/export';
import { importStationFiles } from '../interchange/import';
import { csv } from '../interchange/testing';
import { TestDevice } from '../sync/testing';
import {
	createCategory,
	createJob,
	createPart,
	createStation,
	createUser
} from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { createCallerFactory } from './core';
import { appRouter } from './router';
import { codeOf } from '../testing/outcomes';

const createCaller = createCallerFactory(appRouter);
const REPORTED = new Date('2026-03-02T01:00:00Z');
const COMPLETED = new Date('2026-03-02T03:00:00Z');
const PERIOD = { from: '2026-03-01', to: '2026-04-01' };

for (const engine of testEngines()) {
	describe(`station administrator's capabilities on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stationCount = 0;

		beforeAll(async () => {
			handle = await engine.open();
		});
		afterAll(async () => {
			await handle?.close();
		});

		/** A station with a technician, a supervisor, its admin, a part and two jobs. */
		async function station() {
			const db = handle.db;
			const created = await createStation(db, `ADM${++stationCount}`);
			const tech = await createUser(db, created, 'tech');
			const other = await createUser(db, created, 'other');
			const category = await createCategory(db, created.id, 'C1');
			const completed = await createJob(db, tech, {
				status: 'completed',
				completedAt: COMPLETED,
				outcome: 'fixed',
				customerName: '王先生',
				faultCategoryId: category.id
			});
			return {
				code: created.code,
				tech,
				other,
				admin: await createUser(db, created, 'boss', 'admin'),
				supervisor: await createUser(db, created, 'lead', 'supervisor'),
				part: await createPart(db, created.id, 'P-1'),
				open: await createJob(db, tech),
				completed
			};
		}

		type Station = Awaited<ReturnType<typeof station>>;

		/**
		 * Every tRPC procedure roles.md refuses a station administrator, as a call a supervisor
		 * can make successfully on the same station.
		 */
		function forbiddenCalls(s: Station, user: SessionUser) {
			const api = createCaller({ db: handle.db, user });
			return {
				'jobs.create': () =>
					api.jobs.create({
						id: randomUUID(),
						jobNo: `N-${randomUUID().slice(0, 8)}`,
						reportedAt: REPORTED,
						technicianId: s.tech.id
					}),
				'jobs.assign': () =>
					api.jobs.assign({ jobId: s.open.id, technicianId: s.other.id, reason: '顺路' }),
				'jobs.verify': () => api.jobs.verify({ jobId: s.completed.id }),
				// Before followUps.add: a followed-up job takes no more calls.
				'worklists.recordCall': () =>
					api.worklists.recordCall({
						id: randomUUID(),
						jobId: s.completed.id,
						outcome: 'no_answer'
					}),
				'worklists.closeForFollowUp': () =>
					api.worklists.closeForFollowUp({ jobId: s.completed.id, reason: '客户要求不回访' }),
				'worklists.reopenForFollowUp': () =>
					api.worklists.reopenForFollowUp({ jobId: s.completed.id }),
				'followUps.add': () =>
					api.followUps.add({
						id: randomUUID(),
						jobId: s.completed.id,
						visitedAt: new Date('2026-03-03T01:00:00Z'),
						satisfaction: 5
					}),
				'worklists.followUpCalls': () => api.worklists.followUpCalls({}),
				'worklists.reworks': () => api.worklists.reworks({ period: PERIOD }),
				'worklists.unverified': () => api.worklists.unverified({}),
				'worklists.verifyMany': () => api.worklists.verifyMany({ jobIds: [s.completed.id] }),
				'review.alerts': () => api.review.alerts(PERIOD),
				'review.dataQuality': () => api.review.dataQuality(PERIOD),
				'kpi.scorecard': () => api.kpi.scorecard(PERIOD),
				'kpi.jobFacts': () => api.kpi.jobFacts(PERIOD),
				'kpi.drillDown': () => api.kpi.drillDown(PERIOD),
				'kpi.trends': () => api.kpi.trends({ firstMonth: '2026-01', months: 3 }),
				'kpi.scoring': () => api.kpi.scoring(),
				'settings.get': () => api.settings.get(),
				'settings.history': () => api.settings.history({ page: 1, pageSize: 20 }),
				'settings.updateRanking': () => api.settings.updateRanking({ minJobsForRanking: 3 }),
				'settings.resetKpi': () => api.settings.resetKpi(),
				'stations.technicianSummary': () => api.stations.technicianSummary()
			};
		}

		it('refuses each of them to a station administrator, saying why in their language', async () => {
			const s = await station();
			for (const [name, call] of Object.entries(forbiddenCalls(s, s.admin))) {
				expect({ name, outcome: await codeOf(call) }).toEqual({ name, outcome: 'FORBIDDEN' });
			}
			const api = createCaller({ db: handle.db, user: s.admin });
			const refused = await api.jobs.verify({ jobId: s.completed.id }).catch((error) => error);
			// The service's refusal, carried by the tRPC error (core.ts).
			expect(refused).toBeInstanceOf(TRPCError);
			expect(refused.cause).toBeInstanceOf(Refusal);
			// What an HTTP answer says (core.ts's error formatter), in the request's language.
			expect(refusalText((refused.cause as Refusal).reason)).toBe(
				m.acc2_reason_station_admin_read_only()
			);
			const [job] = await handle.db.select().from(jobs).where(eq(jobs.id, s.completed.id));
			expect(job.verifiedAt).toBeNull();
		});

		it('lets a supervisor make every one of the same calls', async () => {
			const s = await station();
			for (const [name, call] of Object.entries(forbiddenCalls(s, s.supervisor))) {
				expect({ name, outcome: await codeOf(call) }).toEqual({ name, outcome: 'ok' });
			}
		});

		it("still lets a station administrator read the station's jobs and their history", async () => {
			const s = await station();
			const api = createCaller({ db: handle.db, user: s.admin });
			const listed = await api.jobs.list({ limit: 100 });
			expect(listed.map((job) => job.id).sort()).toEqual([s.open.id, s.completed.id].sort());
			expect((await api.jobs.detail({ id: s.completed.id })).job.id).toBe(s.completed.id);
			await expect(api.jobs.history({ jobId: s.completed.id })).resolves.toEqual([]);
			const phone = new TestDevice(handle.db, s.admin);
			await phone.pull();
			expect([...phone.rows.jobs.keys()].sort()).toEqual([s.open.id, s.completed.id].sort());
		});

		it('still lets a station administrator import and export the station data', async () => {
			const s = await station();
			const imported = await importStationFiles(
				handle.db,
				{ stationCode: s.code },
				{
					'technicians.csv': csv('login,name,role', 'newtech,新技师,technician'),
					'jobs.csv': csv('job_no,technician_login,reported_at,status')
				},
				{ actor: { kind: 'user', user: s.admin } }
			);
			expect(imported.ok).toBe(true);
			const exported = await exportStationFiles(handle.db, s.code);
			expect(exported).not.toBeNull();
		});

		/** One of each sync mutation on the station's jobs, as a device would queue them. */
		function queueEverything(device: TestDevice, s: Station) {
			const at = new Date('2026-03-02T02:00:00Z');
			const fresh = randomUUID();
			device.record('job.create', { id: fresh, jobNo: `S-${fresh.slice(0, 8)}`, reportedAt: at });
			device.record('job.update', { jobId: s.open.id, fields: { customerName: '李女士' } });
			device.record('job.arrive', { jobId: s.open.id, at });
			device.record('job.start', { jobId: s.open.id, at });
			device.record('part.add', {
				id: randomUUID(),
				jobId: s.open.id,
				partId: s.part.id,
				qty: '1'
			});
			device.record('job.complete', { jobId: s.open.id, at: COMPLETED, outcome: 'fixed' });
			device.record('job.assign', {
				jobId: s.completed.id,
				technicianId: s.other.id,
				reason: '顺路'
			});
			device.record('followUp.add', {
				id: randomUUID(),
				jobId: s.completed.id,
				visitedAt: new Date('2026-03-03T01:00:00Z'),
				satisfaction: 5
			});
			device.record('job.setTimes', {
				jobId: s.completed.id,
				arrivedAt: at,
				reason: '补录到达时间'
			});
			device.record('job.verify', { jobId: s.completed.id });
		}

		it("rejects every one of a station administrator's pushed changes, in a batch and alone", async () => {
			const s = await station();
			const phone = new TestDevice(handle.db, s.admin);
			queueEverything(phone, s);
			const answer = await phone.push();
			expect(answer.lastMutationId).toBe(phone.outbox.length);
			expect(answer.results).toHaveLength(phone.outbox.length);
			for (const result of answer.results) {
				expect(result).toMatchObject({
					status: 'rejected',
					error: { code: 'FORBIDDEN', reason: { key: 'station_admin_read_only' } }
				});
			}
			// Alone: the fast path's bulk step and a single applier.
			for (const single of [
				phone.record('job.arrive', { jobId: s.open.id, at: REPORTED }),
				phone.record('job.cancel', { jobId: s.open.id, reason: '客户取消' })
			]) {
				const [result] = (await phone.push([single])).results;
				expect(result).toMatchObject({
					status: 'rejected',
					error: { reason: { key: 'station_admin_read_only' } }
				});
			}
			const [open] = await handle.db.select().from(jobs).where(eq(jobs.id, s.open.id));
			expect(open).toMatchObject({ status: s.open.status, arrivedAt: null });
			expect(await handle.db.select().from(jobParts).where(eq(jobParts.jobId, s.open.id))).toEqual(
				[]
			);
			expect(
				await handle.db.select().from(followUps).where(eq(followUps.jobId, s.completed.id))
			).toEqual([]);
		});

		it("applies the same batch from a supervisor's device", async () => {
			const s = await station();
			const device = new TestDevice(handle.db, s.supervisor);
			queueEverything(device, s);
			const answer = await device.push();
			expect(answer.results.map((result) => [result.id, result.status, result.error])).toEqual(
				device.outbox.map((envelope) => [envelope.id, 'applied', null])
			);
		});
	});
}
