/**
 * Hostile and broken mutations in a push: unknown keys, text or numbers PostgreSQL cannot
 * store, absurd times, and a mutation the database fails on for no reason a retry would fix.
 * Each is rejected on its own with a reason naming the field; the good mutations around it
 * apply; a second push of the same batch changes nothing. Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobHistory, jobParts, jobs, syncMutations } from '../db/schema';
import { createPart, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import type { MutationEnvelope } from '../../shared/sync';
import { syncApi, TestDevice } from './testing';

const MADE = new Date('2026-03-02T01:00:00Z');
const at = (hours: number) => new Date(MADE.getTime() + hours * 3_600_000);

for (const engine of testEngines()) {
	describe(`sync.push with poisoned mutations on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stationCount = 0;

		async function technician() {
			const station = await createStation(handle.db, `POISON-${++stationCount}`);
			return {
				tech: await createUser(handle.db, station, 'tech'),
				part: await createPart(handle.db, station.id, 'P-1', '8.50')
			};
		}

		/** Everything the push can have written, to compare before and after a re-send. */
		async function written(clientId: string) {
			const [jobRows, lineRows, historyRows, recorded] = await Promise.all([
				handle.db.select().from(jobs).orderBy(asc(jobs.id)),
				handle.db.select().from(jobParts).orderBy(asc(jobParts.id)),
				handle.db.select().from(jobHistory).orderBy(asc(jobHistory.id)),
				handle.db
					.select()
					.from(syncMutations)
					.where(eq(syncMutations.clientId, clientId))
					.orderBy(asc(syncMutations.mutationId))
			]);
			return { jobRows, lineRows, historyRows, recorded };
		}

		beforeAll(async () => {
			handle = await engine.open();
			// A stand-in for a bug or a broken trigger: the database fails on this one value with an
			// error no retry fixes (not a constraint, not a data error: SQLSTATE XX000).
			await handle.db.execute(sql`
				CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
					IF NEW.notes = 'poison' THEN
						RAISE EXCEPTION 'simulated internal error' USING ERRCODE = 'internal_error';
					END IF;
					RETURN NEW;
				END $$`);
			await handle.db.execute(sql`
				CREATE TRIGGER test_poison BEFORE INSERT OR UPDATE ON jobs
				FOR EACH ROW EXECUTE FUNCTION test_poison()`);
		});

		afterAll(async () => {
			await handle?.close();
		});

		it('rejects each bad mutation alone with its reason and applies the good ones around it', async () => {
			const { tech, part } = await technician();
			const phone = new TestDevice(handle.db, tech);
			const jobId = randomUUID();
			const unknownKey = { id: randomUUID(), jobId, partId: part.id, qty: '1', price: '0.01' };
			const record = (name: string, args: unknown, madeAt = at(1)) =>
				phone.record(name as 'job.update', args as never, madeAt);
			// Created by an earlier push, so that every step below is an UPDATE of its own.
			await phone.send('job.create', { id: jobId, jobNo: 'GOOD-1', reportedAt: at(0) }, at(0)); // 1
			record('job.update', { jobId, fields: { notes: 'nul \u0000 here' } }); // 2
			record('part.add', unknownKey); // 3
			record('job.update', { jobId, fields: { customerName: 'half \uD83D pair' } }); // 4
			record('part.add', { id: randomUUID(), jobId, partId: part.id, qty: '1234567890.5' }); // 5
			record('job.arrive', { jobId, at: new Date('+200000-01-01T00:00:00Z') }); // 6
			record('job.start', { jobId, at: at(2) }, new Date('1970-01-01T00:00:00Z')); // 7
			record('job.update', { jobId, fields: { notes: 'poison' } }); // 8
			record('job.update', { jobId, fields: { fields: 'nested', notes: 'x' } }); // 9
			const goodLine = randomUUID();
			record('part.add', { id: goodLine, jobId, partId: part.id, qty: '2' }); // 10
			record('job.arrive', { jobId, at: at(3) }); // 11
			record('job.update', { jobId, fields: { notes: 'fine 👍' } }); // 12

			const answer = await phone.push(phone.outbox.slice(1));
			expect(answer.lastMutationId).toBe(12);
			const byId = new Map(answer.results.map((r) => [r.id, r]));
			for (const id of [10, 11, 12]) expect(byId.get(id)?.status).toBe('applied');
			const reason = (id: number) => [byId.get(id)?.status, byId.get(id)?.error?.reason];
			const invalid = (field: string, problem: string) => [
				'rejected',
				{ key: 'invalid_field', params: { field, problem } }
			];
			expect(reason(2)).toEqual(invalid('fields.notes', 'unstorable'));
			expect(reason(3)).toEqual(invalid('price', 'unknown_key'));
			expect(reason(4)).toEqual(invalid('fields.customerName', 'unstorable'));
			expect(reason(5)).toEqual(invalid('qty', 'invalid'));
			expect(reason(6)).toEqual(invalid('at', 'date'));
			expect(reason(7)).toEqual(invalid('madeAt', 'date'));
			expect(reason(8)).toEqual(['rejected', { key: 'server_error', params: {} }]);
			expect(reason(9)).toEqual(invalid('fields.fields', 'unknown_key'));
			// The English message names the key too, for logs and API callers; no SQL in it.
			expect(byId.get(3)?.error?.message).toMatch(/price/);
			expect(byId.get(8)?.error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
			expect(byId.get(8)?.error?.message).not.toMatch(/UPDATE|jobs|simulated/i);

			const job = (await handle.db.select().from(jobs).where(eq(jobs.id, jobId)))[0];
			expect(job).toMatchObject({ notes: 'fine 👍', arrivedAt: at(3), startedAt: null });
			expect(job.customerName).toBe('');
			const lines = await handle.db.select().from(jobParts).where(eq(jobParts.jobId, jobId));
			expect(lines.map((l) => [l.id, l.qty])).toEqual([[goodLine, '2.000']]);

			// Refused arguments are not kept; the rejection is, so a re-send is answered from it.
			const before = await written(phone.clientId);
			const stored = new Map(before.recorded.map((m) => [m.mutationId, m]));
			expect(stored.size).toBe(12);
			for (const id of [2, 3, 4, 5, 6, 7, 9]) expect(stored.get(id)?.args).toBeNull();
			expect(stored.get(8)?.args).toEqual({ jobId, fields: { notes: 'poison' } });

			const again = await phone.push(phone.outbox.slice(1));
			expect(again.lastMutationId).toBe(12);
			expect(again.results).toEqual(
				answer.results.map((r) =>
					r.status === 'applied' ? { id: r.id, status: 'duplicate', error: null } : r
				)
			);
			expect(await written(phone.clientId)).toEqual(before);
		});

		it('keeps the queue moving when the only mutation of a batch is poisoned', async () => {
			const { tech } = await technician();
			const phone = new TestDevice(handle.db, tech);
			const jobId = randomUUID();
			const created = await phone.send('job.create', {
				id: jobId,
				jobNo: 'ALONE-1',
				reportedAt: at(0),
				notes: 'poison'
			});
			expect(created).toMatchObject({
				status: 'rejected',
				error: { code: 'INTERNAL_SERVER_ERROR' }
			});
			const next = await phone.send('job.create', {
				id: jobId,
				jobNo: 'ALONE-1',
				reportedAt: at(0)
			});
			expect(next.status).toBe('applied');
		});

		it('refuses unknown keys around the mutations, naming them', async () => {
			const { tech } = await technician();
			const api = syncApi(handle.db, tech);
			const clientId = randomUUID();
			const mutation: MutationEnvelope = {
				id: 1,
				name: 'job.create',
				args: {
					id: randomUUID(),
					jobNo: 'K-1',
					reportedAt: at(0),
					customerName: 'C',
					productModel: 'M',
					faultDescription: 'F'
				},
				madeAt: at(0)
			};
			const refused = async (input: unknown) => {
				try {
					await api.push(input as Parameters<typeof api.push>[0]);
				} catch (error) {
					if (error instanceof TRPCError) return error;
					throw error;
				}
				throw new Error('expected the push to be refused');
			};
			const outer = await refused({ clientId, mutations: [mutation], force: true });
			expect(outer.code).toBe('BAD_REQUEST');
			expect(outer.message).toMatch(/force/);
			const envelope = await refused({ clientId, mutations: [{ ...mutation, userId: tech.id }] });
			expect(envelope.code).toBe('BAD_REQUEST');
			expect(envelope.message).toMatch(/userId/);
			// Nothing of either was applied.
			expect((await api.push({ clientId, mutations: [mutation] })).results).toEqual([
				{ id: 1, status: 'applied', error: null }
			]);
		});
	});
}
