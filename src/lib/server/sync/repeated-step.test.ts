/**
 * A visit's step (arrived / started / completed) sent again by the phone, as happens when the
 * answer to a push is lost or the phone retries after a timeout: the server records the step
 * once, keeps its first time and writes one history entry, alone or with new mutations after it
 * (the push's bulk path). The phone itself never makes a second mutation for a double tap
 * (src/lib/client/tech/JobActions.svelte, tests/tech-steps.spec.ts). Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobHistory, jobs } from '../db/schema';
import { createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { TestDevice } from './testing';

const HOUR = 3_600_000;
const MADE = new Date('2026-03-02T01:00:00Z');
const at = (hours: number) => new Date(MADE.getTime() + hours * HOUR);

for (const engine of testEngines()) {
	describe(`a repeated step on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stations = 0;

		beforeAll(async () => {
			handle = await engine.open();
		});

		afterAll(async () => {
			await handle?.close();
		});

		async function phoneWithJob() {
			const station = await createStation(handle.db, `STEP-${++stations}`);
			const phone = new TestDevice(handle.db, await createUser(handle.db, station, 'tech'));
			const jobId = randomUUID();
			const created = await phone.send('job.create', {
				id: jobId,
				jobNo: 'S-1',
				reportedAt: at(0)
			});
			expect(created.status).toBe('applied');
			return { phone, jobId };
		}

		const stepHistory = (jobId: string) =>
			handle.db
				.select()
				.from(jobHistory)
				.where(eq(jobHistory.jobId, jobId))
				.orderBy(asc(jobHistory.id))
				.then((rows) => rows.filter((row) => row.field !== null && row.field.endsWith('_at')));

		it('records each step once when the same mutations are sent again, alone and in a batch', async () => {
			const { phone, jobId } = await phoneWithJob();
			const steps = [
				phone.record('job.arrive', { jobId, at: at(1) }, at(1)),
				phone.record('job.start', { jobId, at: at(2) }, at(2)),
				phone.record('job.complete', { jobId, at: at(3), outcome: 'fixed' }, at(3))
			];
			const first = await phone.push(steps);
			expect(first.results.map((result) => result.status)).toEqual([
				'applied',
				'applied',
				'applied'
			]);
			const historyAfterFirst = await stepHistory(jobId);
			expect(historyAfterFirst.map((row) => row.field)).toEqual([
				'arrived_at',
				'started_at',
				'completed_at'
			]);

			// Each step again on its own, then all of them with a new mutation after them.
			for (const step of steps) {
				const again = await phone.push([step]);
				expect(again.results).toEqual([{ id: step.id, status: 'duplicate', error: null }]);
			}
			const notes = phone.record('job.update', { jobId, fields: { notes: 'after' } });
			const batch = await phone.push([...steps, notes]);
			expect(batch.results.map((result) => result.status)).toEqual([
				'duplicate',
				'duplicate',
				'duplicate',
				'applied'
			]);

			const [job] = await handle.db.select().from(jobs).where(eq(jobs.id, jobId));
			expect(job).toMatchObject({ arrivedAt: at(1), startedAt: at(2), completedAt: at(3) });
			expect(await stepHistory(jobId)).toEqual(historyAfterFirst);
		});
	});
}
