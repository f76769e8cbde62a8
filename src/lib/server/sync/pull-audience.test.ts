/**
 * A pull carries nothing of a colleague's work (roles.md: "pulls carry no ids or rows outside
 * the user's audience"): not their jobs, lines or follow-ups, not the tombstones of their
 * deleted rows, not the id of their job that a revisit of ours follows. Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { followUps, jobParts } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { createJob, createPart, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { serverCopy, TestDevice } from './testing';
import type { PullOutput } from '../../shared/sync';

const REPORTED = new Date('2026-03-02T01:00:00Z');

/** Every id a pull answer names, in rows (their own and the ones they point to) and deletes. */
function idsIn(answer: PullOutput): Set<string> {
	const ids = new Set<string>();
	for (const job of answer.changes.jobs) {
		ids.add(job.id);
		if (job.previousJobId) ids.add(job.previousJobId);
	}
	for (const child of [...answer.changes.jobParts, ...answer.changes.followUps]) {
		ids.add(child.id);
		ids.add(child.jobId);
	}
	for (const list of Object.values(answer.deletes)) for (const id of list) ids.add(id);
	return ids;
}

for (const engine of testEngines()) {
	describe(`sync.pull audience on ${engine.name}`, () => {
		let handle: DatabaseHandle;

		beforeAll(async () => {
			handle = await engine.open();
		});
		afterAll(async () => {
			await handle?.close();
		});

		/** A completed job with two part lines and a follow-up, made on the technician's device. */
		async function workedJob(device: TestDevice, partId: string) {
			const jobId = randomUUID();
			const lines = [randomUUID(), randomUUID()];
			const followUpId = randomUUID();
			const answer = await device.push([
				device.record('job.create', {
					id: jobId,
					jobNo: `J-${jobId.slice(0, 8)}`,
					reportedAt: REPORTED
				}),
				...lines.map((id) => device.record('part.add', { id, jobId, partId, qty: '1' })),
				device.record('job.arrive', { jobId, at: REPORTED }),
				device.record('job.start', { jobId, at: REPORTED }),
				device.record('job.complete', { jobId, at: REPORTED, outcome: 'fixed' }),
				device.record('followUp.add', {
					id: followUpId,
					jobId,
					visitedAt: REPORTED,
					satisfaction: 5
				})
			]);
			expect(answer.results.map((r) => r.status)).toEqual(Array(7).fill('applied'));
			return { jobId, lines, followUpId };
		}

		it("sends a technician no id of a colleague's jobs, rows or deleted rows", async () => {
			const db = handle.db;
			const station = await createStation(db, 'AUDIENCE');
			const mine: SessionUser = await createUser(db, station, 'mine');
			const colleague: SessionUser = await createUser(db, station, 'colleague');
			const boss: SessionUser = await createUser(db, station, 'boss', 'supervisor');
			const part = await createPart(db, station.id, 'P-1', '8.50');

			const myDevice = new TestDevice(db, mine);
			const theirDevice = new TestDevice(db, colleague);
			const bossDevice = new TestDevice(db, boss);
			const own = await workedJob(myDevice, part.id);
			const theirs = await workedJob(theirDevice, part.id);
			// The desk sends me back to the colleague's customer: a revisit of their job.
			const revisit = await createJob(db, mine, { previousJobId: theirs.jobId });
			for (const device of [myDevice, theirDevice, bossDevice]) await device.pull();

			// Rows deleted by a writer (an import replacing lines, a correction): one of each job's
			// lines, and the colleague's follow-up.
			await db.delete(jobParts).where(inArray(jobParts.id, [own.lines[0], theirs.lines[0]]));
			await db.delete(followUps).where(eq(followUps.id, theirs.followUpId));
			for (const device of [myDevice, theirDevice, bossDevice]) await device.pull();

			const theirIds = [theirs.jobId, ...theirs.lines, theirs.followUpId];
			expect(myDevice.pulls.length).toBe(2);
			for (const answer of myDevice.pulls) {
				const seen = idsIn(answer);
				for (const id of theirIds) expect(seen.has(id), `colleague's ${id} in my pull`).toBe(false);
			}
			// Not vacuous: my own rows and my own deleted line do reach me, and the revisit too.
			expect(idsIn(myDevice.pulls[0]).has(own.jobId)).toBe(true);
			expect(idsIn(myDevice.pulls[0]).has(revisit.id)).toBe(true);
			expect(myDevice.pulls[1].deletes.jobParts).toEqual([own.lines[0]]);
			expect(myDevice.pulls[1].deletes.followUps).toEqual([]);
			// The colleague and the station's supervisor get the colleague's deletes.
			expect(theirDevice.pulls[1].deletes.jobParts).toEqual([theirs.lines[0]]);
			expect(theirDevice.pulls[1].deletes.followUps).toEqual([theirs.followUpId]);
			expect(new Set(bossDevice.pulls[1].deletes.jobParts)).toEqual(
				new Set([own.lines[0], theirs.lines[0]])
			);
			expect(bossDevice.pulls[1].deletes.followUps).toEqual([theirs.followUpId]);
			// The supervisor sees which job the revisit follows; the technician is not told.
			expect(bossDevice.rows.jobs.get(revisit.id)?.previousJobId).toBe(theirs.jobId);
			expect(myDevice.rows.jobs.get(revisit.id)?.previousJobId).toBeNull();
			for (const device of [myDevice, theirDevice, bossDevice]) {
				expect(device.copy()).toEqual(await serverCopy(db, device.user));
			}
		});

		it('sends the deletes of a job that became mine, and none of one that left me', async () => {
			const db = handle.db;
			const station = await createStation(db, 'AUDIENCE2');
			const mine: SessionUser = await createUser(db, station, 'mine');
			const colleague: SessionUser = await createUser(db, station, 'colleague');
			const boss: SessionUser = await createUser(db, station, 'boss', 'supervisor');
			const part = await createPart(db, station.id, 'P-1', '8.50');
			const myDevice = new TestDevice(db, mine);
			const theirDevice = new TestDevice(db, colleague);
			const handedOver = await workedJob(theirDevice, part.id);
			const given = await workedJob(myDevice, part.id);
			await myDevice.pull();
			await theirDevice.pull();

			const boss_ = new TestDevice(db, boss);
			const handOver = await boss_.send('job.assign', {
				jobId: handedOver.jobId,
				technicianId: mine.id,
				reason: 'handed over'
			});
			const giveAway = await boss_.send('job.assign', {
				jobId: given.jobId,
				technicianId: colleague.id,
				reason: 'given away'
			});
			expect([handOver.status, giveAway.status]).toEqual(['applied', 'applied']);
			await db.delete(jobParts).where(inArray(jobParts.id, [handedOver.lines[0], given.lines[0]]));
			await myDevice.pull();
			await theirDevice.pull();

			const seen = idsIn(myDevice.pulls[1]);
			for (const id of [given.lines[0], given.lines[1], given.followUpId]) {
				expect(seen.has(id), `${id} of the job that left me`).toBe(false);
			}
			expect(myDevice.pulls[1].deletes.jobs).toEqual([given.jobId]);
			expect(seen.has(handedOver.jobId)).toBe(true);
			for (const device of [myDevice, theirDevice]) {
				expect(device.copy()).toEqual(await serverCopy(db, device.user));
			}
		});
	});
}
