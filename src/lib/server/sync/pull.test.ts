/**
 * What `sync.pull` sends each user's devices: their scope, catalog changes, deletes by any
 * writer (tombstones), reassignments, and resets. Each test ends by checking that the device's
 * copy equals what the database holds for its user (convergence). Runs on every engine.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { queryRows } from '../db/rows';
import { followUps, jobParts, jobs, stations, syncTombstones, users } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { savePart } from '../catalog/service';
import { createCategory, createPart, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { parseCursor } from './cursor';
import { pruneSyncTombstones } from './retention';
import { serverCopy, TestDevice } from './testing';

const REPORTED = new Date('2026-03-02T01:00:00Z');

/** A point inside a transaction where it waits, holding its locks, until the test lets it go. */
function gate() {
	let arrive!: () => void;
	let leave!: () => void;
	const arrived = new Promise<void>((resolve) => (arrive = resolve));
	const released = new Promise<void>((resolve) => (leave = resolve));
	return {
		reached: () => (arrive(), released),
		waitUntilReached: () => arrived,
		release: () => leave()
	};
}

for (const engine of testEngines()) {
	describe(`sync.pull on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let stationCount = 0;

		async function station() {
			const db = handle.db;
			const created = await createStation(db, `SYNC-P${++stationCount}`);
			return {
				station: created,
				tech: await createUser(db, created, 'tech'),
				other: await createUser(db, created, 'other'),
				boss: await createUser(db, created, 'boss', 'supervisor'),
				part: await createPart(db, created.id, 'P-1', '8.50'),
				category: await createCategory(db, created.id, 'LEAK')
			};
		}

		const device = (user: SessionUser) => new TestDevice(handle.db, user);

		/** A completed job with one part line and one follow-up, made through sync. */
		async function workedJob(on: TestDevice, partId: string) {
			const jobId = randomUUID();
			const lineId = randomUUID();
			const followUpId = randomUUID();
			const answer = await on.push([
				on.record('job.create', {
					id: jobId,
					jobNo: `J-${jobId.slice(0, 8)}`,
					reportedAt: REPORTED
				}),
				on.record('part.add', { id: lineId, jobId, partId, qty: '1' }),
				on.record('job.arrive', { jobId, at: REPORTED }),
				on.record('job.start', { jobId, at: REPORTED }),
				on.record('job.complete', { jobId, at: REPORTED, outcome: 'fixed' }),
				on.record('followUp.add', { id: followUpId, jobId, visitedAt: REPORTED, satisfaction: 5 })
			]);
			expect(answer.results.map((r) => r.status)).toEqual(Array(6).fill('applied'));
			return { jobId, lineId, followUpId };
		}

		async function expectConverged(...devices: TestDevice[]) {
			for (const d of devices) expect(d.copy()).toEqual(await serverCopy(handle.db, d.user));
		}

		beforeAll(async () => {
			handle = await engine.open();
		});

		afterAll(async () => {
			await handle?.close();
		});

		it('gives a technician their own jobs with lines and follow-ups, and the catalog', async () => {
			const { tech, other, boss, part, category } = await station();
			const phone = device(tech);
			const mine = await workedJob(phone, part.id);
			const theirs = await workedJob(device(other), part.id);

			const first = await phone.pull();
			expect(first.reset).toBe(false);
			expect(first.lastMutationId).toBe(6);
			expect(first.changes.jobs.map((j) => j.id)).toEqual([mine.jobId]);
			expect(first.changes.jobParts.map((l) => l.id)).toEqual([mine.lineId]);
			expect(first.changes.followUps.map((f) => f.id)).toEqual([mine.followUpId]);
			expect(first.changes.parts).toEqual([
				{ id: part.id, sku: 'P-1', name: 'P-1', unitCost: '8.50', unit: part.unit, active: true }
			]);
			expect(first.changes.faultCategories.map((c) => c.id)).toEqual([category.id]);

			const office = device(boss);
			await office.pull();
			expect([...office.rows.jobs.keys()].sort()).toEqual([mine.jobId, theirs.jobId].sort());
			await expectConverged(phone, office);

			// Nothing new: nothing sent.
			const again = await phone.pull();
			expect(again.changes).toEqual({
				jobs: [],
				jobParts: [],
				followUps: [],
				parts: [],
				faultCategories: []
			});
		});

		it('sends catalog changes to technicians', async () => {
			const { tech, boss, part } = await station();
			const phone = device(tech);
			await phone.pull();
			await savePart(handle.db, boss, {
				sku: part.sku,
				name: 'Pump seal',
				unitCost: '9.90',
				unit: '个',
				active: false
			});
			const next = await phone.pull();
			expect(next.changes.parts).toEqual([
				expect.objectContaining({ id: part.id, name: 'Pump seal', unitCost: '9.90', active: false })
			]);
			await expectConverged(phone);
		});

		it('deletes a reassigned job from the old technician and sends it whole to the new one', async () => {
			const { tech, other, boss, part } = await station();
			const phone = device(tech);
			const otherPhone = device(other);
			const office = device(boss);
			const job = await workedJob(phone, part.id);
			await Promise.all([phone.pull(), otherPhone.pull(), office.pull()]);

			expect(
				(
					await office.send('job.assign', {
						jobId: job.jobId,
						technicianId: other.id,
						reason: 'tech is ill'
					})
				).status
			).toBe('applied');
			// One tombstone: the device drops the job's line and follow-up with it.
			const gone = await phone.pull();
			expect(gone.deletes).toEqual({
				jobs: [job.jobId],
				jobParts: [],
				followUps: [],
				parts: [],
				faultCategories: []
			});
			expect(phone.rows.jobParts.size + phone.rows.followUps.size).toBe(0);
			const arrived = await otherPhone.pull();
			expect(arrived.changes.jobs.map((j) => [j.id, j.technicianId])).toEqual([
				[job.jobId, other.id]
			]);
			expect(arrived.changes.jobParts.map((l) => l.id)).toEqual([job.lineId]);
			expect(arrived.changes.followUps.map((f) => f.id)).toEqual([job.followUpId]);
			// The supervisor still holds the job: an update, never a delete.
			const seen = await office.pull();
			expect(seen.deletes.jobs).toEqual([]);
			expect(seen.changes.jobs.map((j) => j.technicianId)).toEqual([other.id]);

			// Given back: the first technician gets it again, the second loses it.
			await office.send('job.assign', { jobId: job.jobId, technicianId: tech.id, reason: 'back' });
			expect((await phone.pull()).changes.jobParts.map((l) => l.id)).toEqual([job.lineId]);
			expect((await otherPhone.pull()).deletes.jobs).toEqual([job.jobId]);
			await office.pull();
			await expectConverged(phone, otherPhone, office);
		});

		it('sends deletes made by any writer, and never a delete for a row the user holds again', async () => {
			const { tech, boss, part } = await station();
			const phone = device(tech);
			const office = device(boss);
			const kept = await workedJob(phone, part.id);
			const removed = await workedJob(phone, part.id);
			await Promise.all([phone.pull(), office.pull()]);

			// An import replacing the job's lines: delete, then insert a line with the same id.
			await handle.db.transaction(async (tx) => {
				await tx.delete(jobParts).where(eq(jobParts.jobId, kept.jobId));
				await tx.insert(jobParts).values({
					stationId: tech.stationId,
					id: kept.lineId,
					jobId: kept.jobId,
					partId: part.id,
					qty: '3',
					unitCost: '8.50'
				});
			});
			await handle.db.delete(followUps).where(eq(followUps.id, kept.followUpId));
			await handle.db.delete(jobs).where(eq(jobs.id, removed.jobId));

			for (const d of [phone, office]) {
				const next = await d.pull();
				// The removed job's line and follow-up leave with its tombstone.
				expect(next.deletes).toMatchObject({
					jobs: [removed.jobId],
					jobParts: [],
					followUps: [kept.followUpId]
				});
				expect(next.changes.jobParts.map((l) => [l.id, l.qty])).toEqual([[kept.lineId, '3.000']]);
			}
			await expectConverged(phone, office);
		});

		it('reaches devices when a whole station is deleted and rebuilt with the same ids', async () => {
			const { station: built, tech, part, category } = await station();
			const phone = device(tech);
			const job = await workedJob(phone, part.id);
			await phone.pull();

			const [userRow] = await handle.db.select().from(users).where(eq(users.id, tech.id));
			await handle.db.transaction(async (tx) => {
				await tx.delete(stations).where(eq(stations.id, built.id));
				await tx.insert(stations).values(built);
				await tx.insert(users).values(userRow);
			});
			const next = await phone.pull();
			expect(next.deletes).toEqual({
				jobs: [job.jobId],
				jobParts: [],
				followUps: [],
				parts: [part.id],
				faultCategories: [category.id]
			});
			// The device's client record outlived the station: its mutation ids carry on.
			expect(next.lastMutationId).toBe(6);
			await expectConverged(phone);
		});

		// Two writers at once need two connections. PGlite has one: its transactions never overlap,
		// so these races cannot happen there and the tests exist on the server engine only.
		if (engine.name === 'postgres') {
			it('never resends rows because a transaction elsewhere stays open', async () => {
				const { tech, part } = await station();
				const elsewhere = await station();
				const phone = device(tech);
				await workedJob(phone, part.id);
				await phone.pull();

				// Idle in transaction for the rest of the test, holding a transaction id (it wrote,
				// in another station): the cluster-wide xmin stays behind it.
				const idle = gate();
				const idling = handle.db.transaction(async (tx) => {
					await tx
						.update(jobs)
						.set({ notes: 'held open' })
						.where(eq(jobs.stationId, elsewhere.station.id));
					await queryRows(tx, sql`SELECT pg_current_xact_id()`);
					await idle.reached();
				});
				await idle.waitUntilReached();
				try {
					const later = await workedJob(phone, part.id);
					const first = await phone.pull();
					expect(first.changes.jobs.map((j) => j.id)).toEqual([later.jobId]);
					const second = await phone.pull();
					expect(Object.values(second.changes).flat()).toEqual([]);
					await expectConverged(phone);
				} finally {
					idle.release();
					await idling;
				}
			});

			it('delivers the rows of a transaction that began before the cursor and commits after it', async () => {
				const { tech, part } = await station();
				const phone = device(tech);
				const early = await workedJob(phone, part.id);
				const late = await workedJob(phone, part.id);
				await phone.pull();

				// One writer has its transaction id before the pull, one only begins before it and
				// takes its id (its first write) after.
				const withId = gate();
				const withoutId = gate();
				const writingEarly = handle.db.transaction(async (tx) => {
					await queryRows(tx, sql`SELECT pg_current_xact_id()`);
					await withId.reached();
					await tx.update(jobs).set({ notes: 'early id' }).where(eq(jobs.id, early.jobId));
				});
				const writingLate = handle.db.transaction(async (tx) => {
					await queryRows(tx, sql`SELECT 1`);
					await withoutId.reached();
					await tx.update(jobs).set({ notes: 'late id' }).where(eq(jobs.id, late.jobId));
				});
				await Promise.all([withId.waitUntilReached(), withoutId.waitUntilReached()]);
				const meanwhile = await phone.pull();
				expect(meanwhile.changes.jobs).toEqual([]);
				withId.release();
				withoutId.release();
				await Promise.all([writingEarly, writingLate]);

				const after = await phone.pull();
				expect(after.changes.jobs.map((j) => j.notes).sort()).toEqual(['early id', 'late id']);
				expect(Object.values((await phone.pull()).changes).flat()).toEqual([]);
				await expectConverged(phone);
			});

			it('sends the new technician a line an import commits while the job is being reassigned', async () => {
				const { tech, other, boss, part } = await station();
				const phone = device(tech);
				const otherPhone = device(other);
				const job = await workedJob(phone, part.id);
				await Promise.all([phone.pull(), otherPhone.pull()]);

				const importGate = gate();
				const reassignGate = gate();
				const importing = handle.db.transaction(async (tx) => {
					await tx.delete(jobParts).where(eq(jobParts.jobId, job.jobId));
					await importGate.reached();
					await tx.insert(jobParts).values({
						stationId: tech.stationId,
						id: randomUUID(),
						jobId: job.jobId,
						partId: part.id,
						qty: '2',
						unitCost: '8.50'
					});
				});
				await importGate.waitUntilReached();
				const reassigning = handle.db.transaction(async (tx) => {
					await tx
						.update(jobs)
						.set({ technicianId: other.id })
						.where(and(eq(jobs.stationId, tech.stationId), eq(jobs.id, job.jobId)));
					await reassignGate.reached();
				});
				await reassignGate.waitUntilReached();
				importGate.release();
				await importing;
				// The import is committed, the reassignment is not: both phones move their cursors on.
				await Promise.all([phone.pull(), otherPhone.pull()]);
				expect([...phone.rows.jobParts.values()].map((l) => l.qty)).toEqual(['2.000']);
				reassignGate.release();
				await reassigning;

				await Promise.all([phone.pull(), otherPhone.pull(), device(boss).pull()]);
				expect([...otherPhone.rows.jobParts.values()].map((l) => l.qty)).toEqual(['2.000']);
				expect(phone.rows.jobParts.size).toBe(0);
				await expectConverged(phone, otherPhone);
			});

			it('removes a line deleted while its job was being reassigned from the new technician', async () => {
				const { tech, other, part } = await station();
				const phone = device(tech);
				const otherPhone = device(other);
				const job = await workedJob(phone, part.id);
				await Promise.all([phone.pull(), otherPhone.pull()]);

				const removeGate = gate();
				const removing = handle.db.transaction(async (tx) => {
					await tx.delete(jobParts).where(eq(jobParts.id, job.lineId));
					await removeGate.reached();
				});
				await removeGate.waitUntilReached();
				await handle.db
					.update(jobs)
					.set({ technicianId: other.id })
					.where(and(eq(jobs.stationId, tech.stationId), eq(jobs.id, job.jobId)));
				// The new technician receives the job with the line, whose delete is not committed yet.
				await otherPhone.pull();
				expect([...otherPhone.rows.jobParts.keys()]).toEqual([job.lineId]);
				removeGate.release();
				await removing;

				await Promise.all([phone.pull(), otherPhone.pull()]);
				expect(otherPhone.rows.jobParts.size).toBe(0);
				await expectConverged(phone, otherPhone);
			});
		}

		it('resets a device whose cursor is older than the pruned tombstones', async () => {
			const { tech, part } = await station();
			const phone = device(tech);
			const old = await workedJob(phone, part.id);
			await phone.pull();
			const staleCursor = phone.cursor;
			await handle.db.delete(jobs).where(eq(jobs.id, old.jobId));
			const kept = await workedJob(phone, part.id);
			const [{ deletedIn }] = await queryRows<{ deletedIn: string }>(
				handle.db,
				sql`SELECT max(version)::text AS "deletedIn" FROM sync_tombstones
					WHERE station_id = ${tech.stationId}`
			);
			// The retention horizon is compared with the cursor's xmin, which any transaction open
			// anywhere on the server (another test file's database included) holds back: pull until
			// it has passed the delete.
			for (let tries = 0; ; tries++) {
				await phone.pull();
				if (parseCursor(phone.cursor!)!.xmin > BigInt(deletedIn) || tries === 100) break;
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			const upToDate = phone.cursor;

			expect(await pruneSyncTombstones(handle.db, new Date(Date.now() + 60_000))).toBeGreaterThan(
				0
			);
			const left = await handle.db
				.select()
				.from(syncTombstones)
				.where(and(eq(syncTombstones.stationId, tech.stationId)));
			expect(left).toEqual([]);

			phone.cursor = upToDate;
			expect((await phone.pull()).reset).toBe(false);
			phone.cursor = staleCursor;
			const reset = await phone.pull();
			expect(reset.reset).toBe(true);
			expect(reset.changes.jobs.map((j) => j.id)).toEqual([kept.jobId]);
			expect(Object.values(reset.deletes).flat()).toEqual([]);
			await expectConverged(phone);
		});

		it('resets a device that synced with another database', async () => {
			const { tech } = await station();
			const [{ cursor }] = await queryRows<{ cursor: string }>(
				handle.db,
				sql`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS cursor`
			);
			const unknownHere = device(tech);
			unknownHere.cursor = cursor;
			expect((await unknownHere.pull()).reset).toBe(true);
			const fromTheFuture = device(tech);
			await fromTheFuture.pull();
			fromTheFuture.cursor = String(BigInt(cursor) + 1_000_000n);
			expect((await fromTheFuture.pull()).reset).toBe(true);
			// A snapshot no server writes: its in-progress id is outside its bounds.
			const outOfOrder = device(tech);
			await outOfOrder.pull();
			outOfOrder.cursor = '100:200:300';
			expect((await outOfOrder.pull()).reset).toBe(true);
			await expectConverged(unknownHere, fromTheFuture, outOfOrder);
		});
	});
}
