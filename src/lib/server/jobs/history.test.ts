import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import type { SessionUser } from '../auth/session-user';
import { testEngines } from '../testing/databases';
import { createCategory, createJob, createStation, createUser } from '../testing/fixtures';
import { createCallerFactory } from '../trpc/core';
import { jobsRouter } from '../trpc/routers/jobs';
import { updateJobFields } from './service';

const createCaller = createCallerFactory(jobsRouter);

for (const engine of testEngines()) {
	describe(`job history, assignment and verification (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let supervisor: SessionUser;
		let admin: SessionUser;
		let technician: SessionUser;
		let colleague: SessionUser;
		let elsewhere: SessionUser;
		const as = (user: SessionUser) => createCaller({ db, user });

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const home = await createStation(db, 'HQ');
			const other = await createStation(db, 'WH');
			supervisor = await createUser(db, home, 'boss', 'supervisor');
			admin = await createUser(db, home, 'root', 'admin');
			technician = await createUser(db, home, 'tech', 'technician');
			colleague = await createUser(db, home, 'mate', 'technician');
			elsewhere = await createUser(db, other, 'far', 'supervisor');
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('keeps both overwritten values of a field edited twice, newest first', async () => {
			const job = await createJob(db, technician, { customerPhone: '13800000000' });
			await updateJobFields(db, technician, {
				jobId: job.id,
				fields: { customerPhone: '13900000001' }
			});
			await updateJobFields(db, supervisor, {
				jobId: job.id,
				fields: { customerPhone: '13900000002' }
			});

			const history = await as(supervisor).history({ jobId: job.id });
			expect(
				history.map(({ field, oldValue, newValue, changedBy, viaSync, kind }) => ({
					field,
					oldValue,
					newValue,
					by: changedBy?.name,
					viaSync,
					kind
				}))
			).toEqual([
				{
					field: 'customer_phone',
					oldValue: '13900000001',
					newValue: '13900000002',
					by: supervisor.name,
					viaSync: false,
					kind: 'text'
				},
				{
					field: 'customer_phone',
					oldValue: '13800000000',
					newValue: '13900000001',
					by: technician.name,
					viaSync: false,
					kind: 'text'
				}
			]);
			expect(history[0].changedAt.getTime()).toBeGreaterThanOrEqual(history[1].changedAt.getTime());
			expect(history[0].id).toBeGreaterThan(history[1].id);
			// The job's own technician and the station's admin see it too.
			expect(await as(technician).history({ jobId: job.id })).toEqual(history);
			expect(await as(admin).history({ jobId: job.id })).toEqual(history);
		});

		it("refuses another station's supervisor and another technician as not found", async () => {
			const job = await createJob(db, technician);
			await updateJobFields(db, technician, { jobId: job.id, fields: { notes: 'first look' } });
			for (const user of [elsewhere, colleague]) {
				await expect(as(user).history({ jobId: job.id })).rejects.toMatchObject({
					code: 'NOT_FOUND'
				});
				await expect(as(user).detail({ id: job.id })).rejects.toMatchObject({
					code: 'NOT_FOUND'
				});
			}
			await expect(
				as(elsewhere).assign({ jobId: job.id, technicianId: colleague.id })
			).rejects.toMatchObject({ code: 'NOT_FOUND' });
		});

		it('records a reassignment with the supervisor as actor and the names of both', async () => {
			const job = await createJob(db, technician);
			const assigned = await as(supervisor).assign({
				jobId: job.id,
				technicianId: colleague.id,
				reason: 'ana is ill'
			});
			expect(assigned.technicianId).toBe(colleague.id);

			// The technician, and the time of the assignment (the open-jobs board's).
			const [entry, assignedAt, ...rest] = await as(supervisor).history({ jobId: job.id });
			expect(rest).toEqual([]);
			expect(assignedAt).toMatchObject({ field: 'assigned_at', kind: 'time', oldValue: null });
			expect(entry).toMatchObject({
				field: 'technician_id',
				kind: 'person',
				oldValue: technician.name,
				newValue: colleague.name,
				changedBy: { id: supervisor.id, name: supervisor.name },
				reason: 'ana is ill',
				viaSync: false,
				deviceTime: null
			});
			// The job left the old technician: not theirs to read any more, the new one's now.
			await expect(as(technician).history({ jobId: job.id })).rejects.toMatchObject({
				code: 'NOT_FOUND'
			});
			expect(await as(colleague).history({ jobId: job.id })).toHaveLength(2);
			const detail = await as(supervisor).detail({ id: job.id });
			expect(detail.technicianName).toBe(colleague.name);
		});

		it('refuses reassignment by a technician and to someone who is not a technician', async () => {
			const job = await createJob(db, technician);
			await expect(
				as(technician).assign({ jobId: job.id, technicianId: colleague.id })
			).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(
				as(supervisor).assign({ jobId: job.id, technicianId: admin.id })
			).rejects.toMatchObject({ code: 'BAD_REQUEST' });
			await expect(
				as(supervisor).assign({ jobId: job.id, technicianId: elsewhere.id })
			).rejects.toMatchObject({ code: 'BAD_REQUEST' });
			expect(await as(supervisor).history({ jobId: job.id })).toEqual([]);
		});

		it('verifies a completed job, after which its technician can no longer edit it', async () => {
			const category = await createCategory(db, technician.stationId, 'PWR');
			const job = await createJob(db, technician, {
				status: 'completed',
				outcome: 'fixed',
				completedAt: new Date('2026-03-02T03:00:00Z'),
				faultCategoryId: category.id
			});
			await expect(as(technician).verify({ jobId: job.id })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
			const verified = await as(supervisor).verify({ jobId: job.id });
			expect(verified.verifiedBy).toBe(supervisor.id);
			expect(verified.verifiedAt).toBeInstanceOf(Date);

			await expect(
				updateJobFields(db, technician, { jobId: job.id, fields: { notes: 'too late' } })
			).rejects.toMatchObject({ code: 'FORBIDDEN' });

			const history = await as(supervisor).history({ jobId: job.id });
			expect(
				history.map(({ field, kind, oldValue, newValue }) => ({ field, kind, oldValue, newValue }))
			).toEqual(
				expect.arrayContaining([
					{ field: 'verified_by', kind: 'person', oldValue: null, newValue: supervisor.name },
					{
						field: 'verified_at',
						kind: 'time',
						oldValue: null,
						newValue: verified.verifiedAt!.toISOString()
					}
				])
			);
			expect(history).toHaveLength(2);
			expect(history.every((entry) => entry.changedBy?.id === supervisor.id)).toBe(true);

			// Verifying again keeps the first verification and records nothing.
			const again = await as(supervisor).verify({ jobId: job.id });
			expect(again.verifiedAt).toEqual(verified.verifiedAt);
			expect(await as(supervisor).history({ jobId: job.id })).toHaveLength(2);

			const detail = await as(supervisor).detail({ id: job.id });
			expect(detail).toMatchObject({
				verifiedByName: supervisor.name,
				categoryName: 'PWR',
				technicianName: technician.name
			});
		});

		it('refuses to verify a job that is not completed', async () => {
			const job = await createJob(db, technician);
			await expect(as(supervisor).verify({ jobId: job.id })).rejects.toMatchObject({
				code: 'BAD_REQUEST'
			});
		});
	});
}
