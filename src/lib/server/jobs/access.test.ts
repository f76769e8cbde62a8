/**
 * A technician's scope (technicianScope, visibleJobCondition) and "may change this job"
 * (editableJobCondition) are each stated once, in access.ts, and applied by every path that
 * reads or writes jobs: the services one call at a time, the push's set-based statements
 * (sync/bulk), the pull, and the KPI drill-down. For each path, a technician must neither see
 * nor change a colleague's job, nor change a job a supervisor has verified; a supervisor sees
 * and changes the station's. A path that stops applying either rule makes one of these fail.
 * Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobs, type Job } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { addFollowUp } from '../follow-ups/service';
import { addJobPart, removeJobPart } from '../catalog/service';
import { createJob, createPart, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { createCallerFactory } from '../trpc/core';
import { kpiRouter } from '../trpc/routers/kpi';
import type { MutationName } from '../../shared/sync';
import { TestDevice } from '../sync/testing';
import {
	assignJob,
	cancelJob,
	completeJob,
	createJob as createJobAsUser,
	getJob,
	listJobs,
	recordArrival,
	recordStart,
	setJobTimes,
	updateJobFields
} from './service';
import { refreshStaleFacts } from '../kpi/fact-refresh';

const MARCH = { from: '2026-03-01', to: '2026-04-01' };
const at = (hours: number) => new Date(Date.parse('2026-03-02T01:00:00Z') + hours * 3_600_000);
const kpi = createCallerFactory(kpiRouter);
const NO_DETAILS = {
	customerName: '',
	customerPhone: '',
	customerAddress: '',
	productModel: '',
	deviceSerial: '',
	faultDescription: '',
	notes: ''
};

for (const engine of testEngines()) {
	describe(`one scope and one "may change" rule on every path (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let ana: SessionUser;
		let ben: SessionUser;
		let boss: SessionUser;
		let partId: string;
		/** Ben's completed job, with a part line and a follow-up: never Ana's to see. */
		let bens: Job;
		let bensLine: string;
		let bensFollowUp: string;
		/** Ana's own completed job, verified by the supervisor: hers to see, not to change. */
		let verified: Job;
		let versions: Map<string, string>;

		beforeAll(async () => {
			handle = await engine.open();
			const db = handle.db;
			const station = await createStation(db, 'SCOPE');
			ana = await createUser(db, station, 'ana');
			ben = await createUser(db, station, 'ben');
			boss = await createUser(db, station, 'boss', 'supervisor');
			partId = (await createPart(db, station.id, 'P-1')).id;
			const completed = { status: 'completed' as const, outcome: 'fixed' as const };
			bens = await createJob(db, ben, { ...completed, completedAt: at(3) });
			verified = await createJob(db, ana, {
				...completed,
				completedAt: at(4),
				verifiedAt: at(6),
				verifiedBy: boss.id
			});
			bensLine = randomUUID();
			await addJobPart(db, ben, { id: bensLine, jobId: bens.id, partId, qty: '1' });
			bensFollowUp = randomUUID();
			await addFollowUp(db, ben, {
				id: bensFollowUp,
				jobId: bens.id,
				visitedAt: at(5),
				channel: 'phone',
				comment: ''
			});
			versions = await jobVersions();
		});

		afterAll(async () => {
			await handle?.close();
		});

		/** Each job's row as it is now, to show that a refused change wrote nothing. */
		async function jobVersions(): Promise<Map<string, string>> {
			const rows = await handle.db
				.select({ id: jobs.id, updatedAt: jobs.updatedAt })
				.from(jobs)
				.where(and(eq(jobs.stationId, ana.stationId)));
			return new Map(rows.map((row) => [row.id, row.updatedAt.toISOString()]));
		}

		const refusedWith = (key: string) => ({ reason: { key } });

		/** Every service call that changes a job, as Ana makes it on the given job. */
		const changes: Record<string, (jobId: string) => Promise<unknown>> = {
			update: (jobId) => updateJobFields(handle.db, ana, { jobId, fields: { notes: 'mine' } }),
			arrive: (jobId) => recordArrival(handle.db, ana, { jobId, at: at(1) }),
			start: (jobId) => recordStart(handle.db, ana, { jobId, at: at(2) }),
			complete: (jobId) =>
				completeJob(handle.db, ana, { jobId, completedAt: at(3), outcome: 'fixed' }),
			setTimes: (jobId) =>
				setJobTimes(handle.db, ana, { jobId, reportedAt: at(-1), reason: 'typo' }),
			cancel: (jobId) => cancelJob(handle.db, ana, { jobId, reason: 'mine' }),
			addPart: (jobId) => addJobPart(handle.db, ana, { id: randomUUID(), jobId, partId, qty: '1' })
		};

		it('services: a colleague’s job is not found, a verified one is closed', async () => {
			await expect(getJob(handle.db, ana, bens.id)).rejects.toMatchObject(
				refusedWith('job_not_found')
			);
			const listed = await listJobs(handle.db, ana, { technicianId: ben.id, limit: 100 });
			expect(listed.map((job) => job.id)).toEqual([verified.id]);
			for (const [name, change] of Object.entries(changes)) {
				await expect(change(bens.id), name).rejects.toMatchObject(refusedWith('job_not_found'));
				await expect(change(verified.id), name).rejects.toMatchObject(refusedWith('job_verified'));
			}
			await expect(removeJobPart(handle.db, ana, { id: bensLine })).rejects.toMatchObject(
				refusedWith('line_not_found')
			);
			await expect(
				addFollowUp(handle.db, ana, {
					id: randomUUID(),
					jobId: bens.id,
					visitedAt: at(5),
					channel: 'phone',
					comment: ''
				})
			).rejects.toMatchObject(refusedWith('job_not_found'));
			await expect(
				createJobAsUser(handle.db, ana, {
					id: randomUUID(),
					jobNo: 'FOR-BEN',
					reportedAt: at(0),
					technicianId: ben.id,
					...NO_DETAILS
				})
			).rejects.toMatchObject(refusedWith('own_jobs_only'));
			expect(await jobVersions()).toEqual(versions);
			// The supervisor's scope is the station: the same rules let them through.
			expect((await getJob(handle.db, boss, bens.id)).job.id).toBe(bens.id);
			await assignJob(handle.db, boss, { jobId: bens.id, technicianId: ben.id });
			await updateJobFields(handle.db, boss, { jobId: verified.id, fields: { notes: 'checked' } });
		});

		/** Each kind the push applies in one statement, as Ana's phone records it on a job. */
		const bulkKinds: Record<string, (jobId: string) => Record<string, unknown>> = {
			'job.update': (jobId) => ({ jobId, fields: { notes: 'mine' } }),
			'job.arrive': (jobId) => ({ jobId, at: at(1) }),
			'job.start': (jobId) => ({ jobId, at: at(2) }),
			'job.complete': (jobId) => ({ jobId, at: at(3), outcome: 'fixed' }),
			'part.add': (jobId) => ({ id: randomUUID(), jobId, partId, qty: '1' }),
			'followUp.add': (jobId) => ({ id: randomUUID(), jobId, visitedAt: at(5), channel: 'phone' })
		};

		it('push (set-based statements): the same refusals, and nothing written', async () => {
			const before = await jobVersions();
			const phone = new TestDevice(handle.db, ana);
			for (const [name, args] of Object.entries(bulkKinds)) {
				// Alone in its batch, so the set-based statement alone decides whether it applies.
				const send = (jobId: string) => phone.send(name as MutationName, args(jobId) as never);
				expect(await send(bens.id), name).toMatchObject({
					status: 'rejected',
					error: refusedWith('job_not_found')
				});
				// A technician adds no follow-up to a verified job either (follow-ups/service.ts).
				expect(await send(verified.id), name).toMatchObject({
					status: 'rejected',
					error: refusedWith(name === 'followUp.add' ? 'follow_up_job_verified' : 'job_verified')
				});
			}
			expect(await jobVersions()).toEqual(before);
		});

		it('pull: a technician’s devices get no id of a colleague’s job, lines or follow-ups', async () => {
			const pulled = await new TestDevice(handle.db, ana).pull();
			const ids = JSON.stringify(pulled);
			for (const id of [bens.id, bensLine, bensFollowUp]) expect(ids).not.toContain(id);
			expect(pulled.changes.jobs.map((job) => job.id)).toContain(verified.id);
			const supervisors = JSON.stringify(await new TestDevice(handle.db, boss).pull());
			for (const id of [bens.id, bensLine, bensFollowUp]) expect(supervisors).toContain(id);
		});

		it('KPI drill-down: a technician reads only their own jobs behind a number', async () => {
			await refreshStaleFacts(handle.db);
			const own = await kpi({ db: handle.db, user: ana }).drillDown(MARCH);
			expect(own.map((job) => job.job_id)).toEqual([verified.id]);
			await refreshStaleFacts(handle.db);
			const facts = await kpi({ db: handle.db, user: ana }).jobFacts(MARCH);
			expect(facts.map((job) => job.job_id)).toEqual([verified.id]);
			await expect(
				kpi({ db: handle.db, user: ana }).drillDown({ ...MARCH, technicianId: ben.id })
			).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await refreshStaleFacts(handle.db);
			const station = await kpi({ db: handle.db, user: boss }).drillDown(MARCH);
			expect(station.map((job) => job.job_id).sort()).toEqual([bens.id, verified.id].sort());
		});
	});
}
