/**
 * roles.md's desk (信息员, role `dispatcher`) column, row by row, as the API and the sync push
 * enforce it: the desk reads the station's jobs, takes calls (jobs with the server's number and
 * clock), assigns and reassigns with a reason, corrects or cancels before completion, links a
 * call to an earlier job and records follow-up calls; it records no visit step, part or note,
 * verifies nothing, reads no score, trend, alert or setting and imports nothing. Another
 * station's jobs are not found. Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { queryRows } from '../db/rows';
import { jobHistory, jobs, type Job } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { TestDevice } from '../sync/testing';
import { createJob, createPart, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { createCallerFactory } from '../trpc/core';
import { appRouter } from '../trpc/router';
import {
	requireDeskPage,
	requireStationDataManager,
	requireSupervisorPage
} from '../../../routes/access';
import { outcomeOf } from '../testing/outcomes';

const createCaller = createCallerFactory(appRouter);
const PERIOD = { from: '2026-03-01', to: '2026-04-01' };
const at = (hours: number) => new Date(Date.parse('2026-03-02T01:00:00Z') + hours * 3_600_000);
const CALL = {
	customerName: '王女士',
	customerPhone: '13800138000',
	faultDescription: '洗衣机不脱水'
};

for (const engine of testEngines()) {
	describe(`the desk's capabilities (roles.md) on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let desk: SessionUser;
		let ana: SessionUser;
		let ben: SessionUser;
		let boss: SessionUser;
		let admin: SessionUser;
		/** Another station's technician and job: never the desk's to see. */
		let stranger: SessionUser;
		let strangersJob: Job;
		let open: Job;
		let completed: Job;
		let partId: string;

		beforeAll(async () => {
			handle = await engine.open();
			const db = handle.db;
			const station = await createStation(db, 'DESK');
			desk = await createUser(db, station, 'desk', 'dispatcher');
			ana = await createUser(db, station, 'ana');
			ben = await createUser(db, station, 'ben');
			boss = await createUser(db, station, 'boss', 'supervisor');
			admin = await createUser(db, station, 'admin', 'admin');
			const elsewhere = await createStation(db, 'ELSE');
			stranger = await createUser(db, elsewhere, 'stranger');
			strangersJob = await createJob(db, stranger, { customerPhone: '13800138999' });
			partId = (await createPart(db, station.id, 'P-1')).id;
			open = await createJob(db, ana, { customerPhone: '13800138000', deviceSerial: 'SN-A1' });
			completed = await createJob(db, ana, {
				status: 'completed',
				outcome: 'fixed',
				completedAt: at(3),
				customerPhone: '13800138000'
			});
		});

		afterAll(async () => {
			await handle?.close();
		});

		const api = (user: SessionUser) => createCaller({ db: handle.db, user });
		const row = async (id: string) =>
			(await handle.db.select().from(jobs).where(eq(jobs.id, id)))[0];

		it("reads the station's jobs, unassigned ones included, and not another station's", async () => {
			const call = await api(desk).jobs.openFromCall(CALL);
			const listed = (await api(desk).jobs.list({ limit: 100 })).map((job) => job.id);
			expect(listed).toEqual(expect.arrayContaining([open.id, completed.id, call.id]));
			expect(listed).not.toContain(strangersJob.id);
			expect((await api(desk).jobs.detail({ id: call.id })).technicianName).toBeNull();
			await expect(api(desk).jobs.history({ jobId: open.id })).resolves.toEqual([]);
			for (const read of [
				() => api(desk).jobs.get({ id: strangersJob.id }),
				() => api(desk).jobs.history({ jobId: strangersJob.id })
			]) {
				expect(await outcomeOf(read)).toBe('job_not_found');
			}
			const device = new TestDevice(handle.db, desk);
			await device.pull();
			expect([...device.rows.jobs.keys()]).toEqual(expect.arrayContaining([call.id, open.id]));
			expect(device.rows.jobs.has(strangersJob.id)).toBe(false);
		});

		it("creates jobs only from a call, with the server's number and clock, marked desk-made", async () => {
			const before = await serverNow();
			const first = await api(desk).jobs.openFromCall({ ...CALL, urgency: 'urgent' });
			const second = await api(boss).jobs.openFromCall(CALL);
			const after = await serverNow();
			expect(first).toMatchObject({
				origin: 'desk',
				reportedBy: desk.id,
				urgency: 'urgent',
				technicianId: null,
				assignedAt: null,
				status: 'open'
			});
			expect(first.reportedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
			expect(first.reportedAt.getTime()).toBeLessThanOrEqual(after.getTime() + 1);
			expect(first.jobNo).toMatch(/^D\d{6}-\d{3}$/);
			const counter = (jobNo: string) => Number(jobNo.split('-')[1]);
			expect(counter(second.jobNo)).toBe(counter(first.jobNo) + 1);
			expect(second).toMatchObject({ origin: 'desk', reportedBy: boss.id });
			// The form cannot name a reported time, a number or an origin.
			expect(
				await outcomeOf(() =>
					api(desk).jobs.openFromCall({ ...CALL, reportedAt: at(0) } as typeof CALL)
				)
			).toBe('BAD_REQUEST');
			// A device's job (its own number and clock) is not the desk's way.
			const deviceJob = { id: randomUUID(), jobNo: `X-${randomUUID()}`, reportedAt: at(0) };
			expect(await outcomeOf(() => api(desk).jobs.create(deviceJob))).toBe('desk_opens_calls');
			const pushed = await new TestDevice(handle.db, desk).send('job.create', deviceJob);
			expect(pushed).toMatchObject({
				status: 'rejected',
				error: { reason: { key: 'desk_opens_calls' } }
			});
			expect(await row(deviceJob.id)).toBeUndefined();
			// A technician's job made on the phone is marked as such.
			const walkIn = {
				id: randomUUID(),
				jobNo: `W-${randomUUID()}`,
				reportedAt: at(0),
				customerName: 'C',
				productModel: 'M',
				faultDescription: 'F'
			};
			await api(ana).jobs.create(walkIn);
			expect(await row(walkIn.id)).toMatchObject({ origin: 'technician', reportedBy: ana.id });
			// Nobody else takes calls.
			expect(await outcomeOf(() => api(ana).jobs.openFromCall(CALL))).toBe('desk_only');
			expect(await outcomeOf(() => api(admin).jobs.openFromCall(CALL))).toBe(
				'station_admin_read_only'
			);
		});

		it('dispatches now or later; reassigns only with a reason, kept in the history', async () => {
			const now = await api(desk).jobs.openFromCall({ ...CALL, technicianId: ana.id });
			expect(now).toMatchObject({ technicianId: ana.id });
			expect(now.assignedAt).not.toBeNull();
			const later = await api(desk).jobs.openFromCall(CALL);
			const first = await api(desk).jobs.assign({ jobId: later.id, technicianId: ben.id });
			expect(first.technicianId).toBe(ben.id);
			expect(first.assignedAt).not.toBeNull();
			const move = { jobId: later.id, technicianId: ana.id };
			expect(await outcomeOf(() => api(desk).jobs.assign(move))).toBe('reassign_reason_required');
			expect(await outcomeOf(() => api(desk).jobs.assign({ ...move, reason: '  ' }))).toBe(
				'reassign_reason_required'
			);
			const moved = await api(desk).jobs.assign({ ...move, reason: 'ben is ill' });
			expect(moved.technicianId).toBe(ana.id);
			expect(moved.assignedAt!.getTime()).toBeGreaterThanOrEqual(first.assignedAt!.getTime());
			const history = await api(desk).jobs.history({ jobId: later.id });
			expect(history.filter((entry) => entry.field === 'technician_id')).toMatchObject([
				{ oldValue: ben.name, newValue: ana.name, reason: 'ben is ill' },
				{ oldValue: null, newValue: ben.name, changedBy: { id: desk.id } }
			]);
			// The same through a push, the reason included.
			const tablet = new TestDevice(handle.db, desk);
			expect(
				await tablet.send('job.assign', { jobId: later.id, technicianId: ben.id })
			).toMatchObject({
				status: 'rejected',
				error: { reason: { key: 'reassign_reason_required' } }
			});
			expect(
				await tablet.send('job.assign', { jobId: later.id, technicianId: ben.id, reason: '顺路' })
			).toMatchObject({ status: 'applied' });
			expect((await row(later.id)).technicianId).toBe(ben.id);
			// Only to an active technician of the station; never a closed or another station's job.
			for (const [input, reason] of [
				[{ jobId: later.id, technicianId: stranger.id, reason: 'x' }, 'not_active_technician'],
				[{ jobId: later.id, technicianId: boss.id, reason: 'x' }, 'not_active_technician'],
				[{ jobId: completed.id, technicianId: ben.id, reason: 'x' }, 'job_closed_for_assignment'],
				[{ jobId: strangersJob.id, technicianId: ben.id, reason: 'x' }, 'job_not_found']
			] as const) {
				expect(await outcomeOf(() => api(desk).jobs.assign(input))).toBe(reason);
			}
			expect(await outcomeOf(() => api(ana).jobs.assign(move))).toBe('desk_only');
			// Who did a completed job is a supervisor's correction, with a reason.
			const credit = { jobId: completed.id, technicianId: ben.id, reason: '本为 ben 所修' };
			expect((await api(boss).jobs.assign(credit)).technicianId).toBe(ben.id);
			await api(boss).jobs.assign({ ...credit, technicianId: ana.id });
		});

		it('records no visit step, part or note, online or pushed, and nothing is written', async () => {
			const job = await createJob(handle.db, ana);
			const steps: Record<string, () => Promise<unknown>> = {
				complete: () =>
					api(desk).jobs.complete({ jobId: job.id, completedAt: at(3), outcome: 'fixed' }),
				addPart: () =>
					api(desk).parts.addToJob({ id: randomUUID(), jobId: job.id, partId, qty: '1' })
			};
			for (const [name, step] of Object.entries(steps)) {
				expect({ name, outcome: await outcomeOf(step) }).toEqual({
					name,
					outcome: 'desk_no_visit_steps'
				});
			}
			const pushes = {
				'job.arrive': { jobId: job.id, at: at(1) },
				'job.start': { jobId: job.id, at: at(2) },
				'job.complete': { jobId: job.id, at: at(3), outcome: 'fixed' },
				'job.setTimes': { jobId: job.id, reportedAt: at(-1), reason: 'typo' },
				'job.update': { jobId: job.id, fields: { notes: 'the desk was here' } },
				'part.add': { id: randomUUID(), jobId: job.id, partId, qty: '1' }
			} as const;
			const tablet = new TestDevice(handle.db, desk);
			// In one batch (the push's set-based statements) and each alone (its service).
			for (const [name, args] of Object.entries(pushes))
				tablet.record(name as never, args as never);
			const batch = await tablet.push();
			for (const result of batch.results) {
				expect(result).toMatchObject({
					status: 'rejected',
					error: { code: 'FORBIDDEN', reason: { key: 'desk_no_visit_steps' } }
				});
			}
			expect(await row(job.id)).toMatchObject({
				status: 'open',
				arrivedAt: null,
				startedAt: null,
				notes: '',
				reportedAt: job.reportedAt
			});
		});

		it('corrects and cancels before completion only', async () => {
			const job = await api(desk).jobs.openFromCall(CALL);
			const tablet = new TestDevice(handle.db, desk);
			expect(
				await tablet.send('job.update', { jobId: job.id, fields: { customerName: '王芳' } })
			).toMatchObject({ status: 'applied' });
			expect((await row(job.id)).customerName).toBe('王芳');
			expect(
				await tablet.send('job.update', { jobId: completed.id, fields: { customerName: 'x' } })
			).toMatchObject({ status: 'rejected', error: { reason: { key: 'desk_job_completed' } } });
			const cancelled = await api(desk).jobs.cancel({ jobId: job.id, reason: '客户取消' });
			expect(cancelled.status).toBe('cancelled');
			const [entry] = await handle.db
				.select()
				.from(jobHistory)
				.where(and(eq(jobHistory.jobId, job.id), eq(jobHistory.field, 'status')));
			expect(entry).toMatchObject({ reason: '客户取消', changedBy: desk.id });
			expect(
				await outcomeOf(() => api(desk).jobs.cancel({ jobId: completed.id, reason: 'x' }))
			).toBe('desk_job_completed');
			expect(
				await outcomeOf(() => api(desk).jobs.cancel({ jobId: strangersJob.id, reason: 'x' }))
			).toBe('job_not_found');
			expect((await row(completed.id)).status).toBe('completed');
		});

		it('verifies nothing', async () => {
			expect(await outcomeOf(() => api(desk).jobs.verify({ jobId: completed.id }))).toBe(
				'desk_supervisor_only'
			);
			const pushed = await new TestDevice(handle.db, desk).send('job.verify', {
				jobId: completed.id
			});
			expect(pushed).toMatchObject({
				status: 'rejected',
				error: { reason: { key: 'desk_supervisor_only' } }
			});
			expect((await row(completed.id)).verifiedAt).toBeNull();
		});

		it('records follow-up calls on completed jobs', async () => {
			const contact = await api(desk).followUps.add({
				id: randomUUID(),
				jobId: completed.id,
				visitedAt: at(5),
				satisfaction: 5,
				issueResolved: true
			});
			expect(contact.userId).toBe(desk.id);
		});

		it("links a call to an earlier job of the station, never another station's", async () => {
			const revisit = await api(desk).jobs.openFromCall({ ...CALL, previousJobId: completed.id });
			expect(revisit.previousJobId).toBe(completed.id);
			expect(
				await outcomeOf(() =>
					api(desk).jobs.openFromCall({ ...CALL, previousJobId: strangersJob.id })
				)
			).toBe('previous_job_unknown');
		});

		it('finds earlier jobs by a phone or serial prefix, for the desk and supervisors only', async () => {
			const lookup = (user: SessionUser, input: { phone?: string; serial?: string }) =>
				api(user).jobs.lookupEarlier(input);
			const byPhone = await lookup(desk, { phone: '1380013800' });
			expect(byPhone.map((job) => job.id)).toEqual(expect.arrayContaining([open.id, completed.id]));
			expect(byPhone.map((job) => job.id)).not.toContain(strangersJob.id);
			const newestFirst = byPhone.map((job) => job.reportedAt.getTime());
			expect(newestFirst).toEqual([...newestFirst].sort((a, b) => b - a));
			expect(byPhone.length).toBeLessThanOrEqual(20);
			// The serial as its key: trimmed and in any case.
			expect((await lookup(boss, { serial: ' sn-a' })).map((job) => job.id)).toEqual([open.id]);
			expect(
				(await lookup(desk, { serial: 'sn-a1' })).find((job) => job.id === open.id)
			).toMatchObject({ jobNo: open.jobNo, technicianName: ana.name, status: 'open' });
			// Too short to search, and LIKE's wildcards are plain characters.
			expect(await lookup(desk, { phone: '13' })).toEqual([]);
			expect(await lookup(desk, { phone: '%%%' })).toEqual([]);
			expect(await lookup(desk, { serial: 'sn_' })).toEqual([]);
			expect(await outcomeOf(() => lookup(ana, { phone: '138' }))).toBe('desk_only');
		});

		it('reads no score, trend, drill-down, alert or setting, and manages nothing', async () => {
			const calls: Record<string, () => Promise<unknown>> = {
				'kpi.scorecard': () => api(desk).kpi.scorecard(PERIOD),
				'kpi.jobFacts': () => api(desk).kpi.jobFacts(PERIOD),
				'kpi.drillDown': () => api(desk).kpi.drillDown(PERIOD),
				'kpi.trends': () => api(desk).kpi.trends({ firstMonth: '2026-01', months: 3 }),
				'kpi.scoring': () => api(desk).kpi.scoring(),
				'review.alerts': () => api(desk).review.alerts(PERIOD),
				'settings.get': () => api(desk).settings.get(),
				'settings.history': () => api(desk).settings.history({ page: 1, pageSize: 20 }),
				'settings.resetKpi': () => api(desk).settings.resetKpi(),
				'stations.technicianSummary': () => api(desk).stations.technicianSummary(),
				'parts.save': () =>
					api(desk).parts.save({
						sku: 'P-2',
						name: 'x',
						unitCost: '1.00',
						unit: '个',
						active: true
					}),
				'admin.users.list': () => api(desk).admin.users.list({ stationId: desk.stationId })
			};
			for (const [name, call] of Object.entries(calls)) {
				expect({ name, outcome: await outcomeOf(call) }).toEqual({ name, outcome: 'FORBIDDEN' });
			}
		});

		it("opens the desk's pages, and neither the supervisor's nor the import page", () => {
			const locals = (user: SessionUser) => ({ user }) as App.Locals;
			expect(requireDeskPage(locals(desk))).toBe(desk);
			expect(requireDeskPage(locals(boss))).toBe(boss);
			for (const user of [ana, admin]) {
				expect(() => requireDeskPage(locals(user))).toThrow(
					expect.objectContaining({ status: 403 })
				);
			}
			for (const guard of [requireSupervisorPage, requireStationDataManager]) {
				expect(() => guard(locals(desk))).toThrow(expect.objectContaining({ status: 403 }));
			}
		});

		/** The database's clock, in whole milliseconds (rounded down). */
		async function serverNow(): Promise<Date> {
			const [{ ms }] = await queryRows<{ ms: number }>(
				handle.db,
				sql`SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms`
			);
			return new Date(ms);
		}
	});
}
