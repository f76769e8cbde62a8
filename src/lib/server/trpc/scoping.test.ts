/**
 * The API as each role sees it: station and role scoping, and constraint violations that
 * are refused with a clear reason and leave nothing half-written. Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { m } from '../../paraglide/messages.js';
import type { DatabaseHandle } from '../db';
import { jobParts, jobs, parts, users } from '../db/schema';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import { addJobPart } from '../catalog/service';
import {
	createCategory,
	createJob,
	createPart,
	createStation,
	createUser
} from '../testing/fixtures';
import { recordArrival, recordStart } from '../jobs/service';
import { testEngines } from '../testing/databases';
import { Refusal } from '../refusal';
import { createCallerFactory } from './core';
import { appRouter } from './router';

const createCaller = createCallerFactory(appRouter);

/** A refusal through the API (a tRPC error) or from a service called directly (a Refusal). */
async function rejection(promise: Promise<unknown>): Promise<TRPCError | Refusal> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof TRPCError || error instanceof Refusal) return error;
		throw error;
	}
	throw new Error('expected the call to be rejected');
}

for (const engine of testEngines()) {
	describe(`API scoping and constraints on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let north: { id: string; code: string; name: string; timeZone: string };
		let alice: SessionUser;
		let bob: SessionUser;
		let boss: SessionUser;
		let southTech: SessionUser;
		let southBoss: SessionUser;
		let aliceJobId: string;
		let bobJobId: string;
		let southJobId: string;
		let southCategoryId: string;
		let partId: string;

		const as = (user: SessionUser | null) => createCaller({ db: handle.db, user });

		beforeAll(async () => {
			handle = await engine.open();
			const db = handle.db;
			north = await createStation(db, 'NORTH');
			const south = await createStation(db, 'SOUTH');
			alice = await createUser(db, north, 'alice');
			bob = await createUser(db, north, 'bob');
			boss = await createUser(db, north, 'boss', 'supervisor');
			southTech = await createUser(db, south, 'alice');
			southBoss = await createUser(db, south, 'boss', 'supervisor');
			aliceJobId = (await createJob(db, alice, { jobNo: 'N-1' })).id;
			await createJob(db, alice, {
				jobNo: 'N-2',
				status: 'completed',
				outcome: 'fixed',
				completedAt: new Date('2026-03-02T05:00:00Z')
			});
			bobJobId = (await createJob(db, bob, { jobNo: 'N-3' })).id;
			southJobId = (await createJob(db, southTech, { jobNo: 'S-1' })).id;
			southCategoryId = (await createCategory(db, south.id, 'LEAK')).id;
			partId = (await createPart(db, north.id, 'P-1', '12.50')).id;
		});

		afterAll(async () => {
			await handle?.close();
		});

		it('refuses every call without a session', async () => {
			const error = await rejection(as(null).jobs.listMine());
			expect(error.code).toBe('UNAUTHORIZED');
		});

		it('shows a technician only their own jobs', async () => {
			const mine = await as(alice).jobs.listMine();
			expect(mine.map((j) => j.jobNo).sort()).toEqual(['N-1', 'N-2']);
			const filtered = await as(alice).jobs.list({ technicianId: bob.id, limit: 50 });
			// Asking for Bob's jobs gives Alice her own (never an empty list passing vacuously).
			expect(filtered.map((j) => j.jobNo).sort()).toEqual(['N-1', 'N-2']);
			expect(filtered.every((j) => j.technicianId === alice.id)).toBe(true);
			expect((await rejection(as(alice).jobs.get({ id: bobJobId }))).code).toBe('NOT_FOUND');
			expect((await as(alice).jobs.get({ id: aliceJobId })).job.jobNo).toBe('N-1');
		});

		it('never shows another station, whatever the role', async () => {
			for (const user of [alice, boss]) {
				expect((await rejection(as(user).jobs.get({ id: southJobId }))).code).toBe('NOT_FOUND');
			}
			const northJobs = await as(boss).jobs.listMine({ limit: 500 });
			expect(northJobs.map((j) => j.jobNo).sort()).toEqual(['N-1', 'N-2', 'N-3']);
			const southJobs = await as(southBoss).jobs.listMine({ limit: 500 });
			expect(southJobs.map((j) => j.jobNo)).toEqual(['S-1']);
		});

		it('gives supervisors the station overview and technicians a reasoned refusal', async () => {
			// A technician deactivated before doing any job is not part of the overview.
			const left = await createUser(handle.db, north, 'carol', 'technician');
			await handle.db.update(users).set({ active: false }).where(eq(users.id, left.id));
			const summary = await as(boss).stations.technicianSummary();
			expect(summary.map((t) => [t.login, t.jobsTotal, t.jobsCompleted, t.jobsOpen])).toEqual([
				['alice', 2, 1, 1],
				['bob', 1, 0, 1]
			]);
			expect(summary[0].lastCompletedAt?.toISOString()).toBe('2026-03-02T05:00:00.000Z');
			const error = await rejection(as(alice).stations.technicianSummary());
			expect(error.code).toBe('FORBIDDEN');
			// The roles it needs by their translated names (the default language, outside a request).
			expect(error.message).toContain(m.role_supervisor());
		});

		it('lets technicians create jobs only for themselves', async () => {
			const error = await rejection(
				as(alice).jobs.create({
					id: randomUUID(),
					jobNo: 'N-9',
					reportedAt: new Date(),
					technicianId: bob.id
				})
			);
			expect(error.code).toBe('FORBIDDEN');
			const created = await as(boss).jobs.create({
				id: randomUUID(),
				jobNo: 'N-10',
				reportedAt: new Date(),
				technicianId: bob.id,
				customerName: '王女士'
			});
			expect(created?.technicianId).toBe(bob.id);
		});

		it('refuses a duplicate job number by name and writes nothing', async () => {
			const id = randomUUID();
			const error = await rejection(
				as(alice).jobs.create({
					id,
					jobNo: 'N-1',
					reportedAt: new Date(),
					customerName: 'C',
					productModel: 'M',
					faultDescription: 'F'
				})
			);
			expect(error.code).toBe('CONFLICT');
			expect(error.message).toMatch(/job number already exists/);
			const [row] = await queryRows<{ n: number }>(
				handle.db,
				sql`select count(*)::int as n from jobs where id = ${id}`
			);
			expect(row.n).toBe(0);
		});

		it('refuses a fault category of another station', async () => {
			const error = await rejection(
				as(alice).jobs.create({
					id: randomUUID(),
					jobNo: 'N-11',
					reportedAt: new Date(),
					faultCategoryId: southCategoryId,
					customerName: 'C',
					productModel: 'M'
				})
			);
			expect(error.code).toBe('BAD_REQUEST');
			expect(error.message).toMatch(/fault category does not exist in this station/);
		});

		it('validates input at the edge and names the field', async () => {
			const error = await rejection(
				as(alice).parts.addToJob({ id: randomUUID(), jobId: aliceJobId, partId, qty: '0' })
			);
			expect(error.code).toBe('BAD_REQUEST');
			expect(error.message).toMatch(/greater than 0/);
		});

		it('backs zod with database constraints, leaving nothing half-written', async () => {
			const before = await handle.db.select().from(jobParts);
			const error = await rejection(
				addJobPart(handle.db, alice, { id: randomUUID(), jobId: aliceJobId, partId, qty: '-1' })
			);
			expect(error.code).toBe('BAD_REQUEST');
			expect(error.message).toMatch(/quantity must be greater than 0/);
			expect(await handle.db.select().from(jobParts)).toEqual(before);
		});

		it('snapshots the unit cost so catalog changes never rewrite history', async () => {
			const line = await as(alice).parts.addToJob({
				id: randomUUID(),
				jobId: aliceJobId,
				partId,
				qty: '1.5'
			});
			expect(line?.unitCost).toBe('12.50');
			await as(boss).parts.save({
				sku: 'P-1',
				name: 'P-1',
				unitCost: '20.00',
				unit: '个',
				active: true
			});
			const { parts: lines } = await as(alice).jobs.get({ id: aliceJobId });
			expect(lines.map((l) => [l.qty, l.unitCost])).toEqual([['1.500', '12.50']]);
			const [catalogPart] = await handle.db
				.select()
				.from(parts)
				.where(and(eq(parts.stationId, north.id), eq(parts.sku, 'P-1')));
			expect(catalogPart.unitCost).toBe('20.00');
		});

		it('keeps the catalog in the hands of supervisors', async () => {
			const error = await rejection(
				as(alice).parts.save({ sku: 'P-2', name: 'x', unitCost: '1.00', unit: '个', active: true })
			);
			expect(error.code).toBe('FORBIDDEN');
		});

		it('takes follow-ups only for completed jobs and with satisfaction 1 to 5', async () => {
			const notCompleted = await rejection(
				as(alice).followUps.add({
					id: randomUUID(),
					jobId: aliceJobId,
					visitedAt: new Date(),
					channel: 'phone',
					comment: ''
				})
			);
			expect(notCompleted.code).toBe('BAD_REQUEST');
			expect(notCompleted.message).toMatch(/not completed/);
			// A technician completes only after arriving and starting (shared/step-times.ts).
			await recordArrival(handle.db, alice, {
				jobId: aliceJobId,
				at: new Date('2026-03-03T01:00:00Z')
			});
			await recordStart(handle.db, alice, {
				jobId: aliceJobId,
				at: new Date('2026-03-03T01:10:00Z')
			});
			await as(alice).jobs.complete({
				jobId: aliceJobId,
				completedAt: new Date('2026-03-03T02:00:00Z'),
				outcome: 'fixed'
			});
			const outOfRange = await rejection(
				as(boss).followUps.add({
					id: randomUUID(),
					jobId: aliceJobId,
					visitedAt: new Date(),
					channel: 'phone',
					satisfaction: 6,
					comment: ''
				})
			);
			expect(outOfRange.code).toBe('BAD_REQUEST');
			const contact = await as(boss).followUps.add({
				id: randomUUID(),
				jobId: aliceJobId,
				visitedAt: new Date(),
				channel: 'phone',
				satisfaction: 5,
				issueResolved: true,
				comment: '满意'
			});
			expect(contact?.userId).toBe(boss.id);
		});

		it('stops technicians from changing a verified job', async () => {
			const verified = await createJob(handle.db, alice, {
				jobNo: 'N-V',
				verifiedAt: new Date(),
				verifiedBy: boss.id
			});
			const error = await rejection(
				as(alice).jobs.complete({ jobId: verified.id, completedAt: new Date(), outcome: 'fixed' })
			);
			expect(error.code).toBe('FORBIDDEN');
			expect(error.message).toMatch(/verified/);
			const [unchanged] = await handle.db
				.select()
				.from(jobs)
				.where(and(eq(jobs.stationId, north.id), eq(jobs.id, verified.id)));
			expect(unchanged.status).toBe('open');
		});
	});
}
