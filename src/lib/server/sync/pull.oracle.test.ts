/**
 * Oracle: with writers committing concurrently (two technicians' devices, a supervisor
 * reassigning and changing the catalog, an importer deleting and re-inserting rows) and one
 * long transaction that writes early and commits last, devices pulling all along end up with
 * exactly what the database holds for their user: no row skipped, no delete missed.
 *
 * It needs real concurrency, so it runs on the PostgreSQL server of TEST_DATABASE_URL only
 * (PGlite has a single connection: its transactions never overlap).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { queryRows } from '../db/rows';
import { followUps, jobParts, jobs } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { savePart } from '../catalog/service';
import { createPart, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { serverCopy, TestDevice } from './testing';

const postgresEngine = testEngines().find((engine) => engine.name === 'postgres');
if (!postgresEngine) {
	console.warn(
		'sync.pull oracle test NOT RUN: it needs TEST_DATABASE_URL (a PostgreSQL server); ' +
			'`npm test` provides it.'
	);
}

/** A small seeded generator, so a failing run can be replayed from fast-check's seed. */
function random(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
	return {
		chance: (p: number) => next() < p,
		pick: <T>(items: T[]): T | undefined => items[Math.floor(next() * items.length)],
		pause: () => new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 15)))
	};
}

describe.runIf(postgresEngine)('sync.pull oracle on postgres', () => {
	let handle: DatabaseHandle;
	let runs = 0;

	beforeAll(async () => {
		handle = await postgresEngine!.open();
	});

	afterAll(async () => {
		await handle?.close();
	});

	async function scenario(seed: number) {
		const db = handle.db;
		const rng = random(seed);
		const station = await createStation(db, `SYNC-ORACLE-${++runs}`);
		const alice = await createUser(db, station, 'alice');
		const bob = await createUser(db, station, 'bob');
		const boss = await createUser(db, station, 'boss', 'supervisor');
		const partIds = [
			(await createPart(db, station.id, 'P-1')).id,
			(await createPart(db, station.id, 'P-2')).id
		];
		const devices = [alice, bob, boss].map((user) => new TestDevice(db, user));
		const [alicePhone, bobPhone, office] = devices;
		const phoneOf = new Map([
			[alice.id, alicePhone],
			[bob.id, bobPhone]
		]);
		let jobCount = 0;

		// The long transaction: it takes its id first and commits after everyone else.
		let commitLong!: () => void;
		const longGate = new Promise<void>((resolve) => (commitLong = resolve));
		let longStarted!: () => void;
		const started = new Promise<void>((resolve) => (longStarted = resolve));
		const longJobId = randomUUID();
		const longTransaction = db.transaction(async (tx) => {
			await tx.insert(jobs).values({
				stationId: station.id,
				id: longJobId,
				jobNo: `LONG-${runs}`,
				technicianId: alice.id,
				reportedAt: new Date('2026-03-02T01:00:00Z')
			});
			longStarted();
			await longGate;
		});
		await started;

		/** Pushes like a device: the whole outbox from what is known processed, retried on failure. */
		async function pushAll(device: TestDevice) {
			for (let attempt = 0; attempt < 5; attempt++) {
				try {
					const pending = device.outbox.filter((m) => m.id > device.lastMutationId);
					if (pending.length === 0) return;
					const answer = await device.push(pending);
					device.lastMutationId = answer.lastMutationId;
					return;
				} catch {
					await rng.pause();
				}
			}
		}

		async function technicianWork(user: SessionUser) {
			const phone = phoneOf.get(user.id)!;
			for (let step = 0; step < 10; step++) {
				const mine = [...phone.rows.jobs.values()].filter((j) => j.technicianId === user.id);
				const job = rng.pick(mine);
				if (!job || rng.chance(0.3)) {
					phone.record('job.create', {
						id: randomUUID(),
						jobNo: `O${runs}-${++jobCount}`,
						reportedAt: new Date('2026-03-02T02:00:00Z')
					});
				} else if (rng.chance(0.5)) {
					phone.record('part.add', {
						id: randomUUID(),
						jobId: job.id,
						partId: rng.pick(partIds)!,
						qty: '1'
					});
				} else {
					phone.record('job.update', { jobId: job.id, fields: { notes: `step ${step}` } });
				}
				await pushAll(phone);
				if (rng.chance(0.6)) await phone.pull();
				await rng.pause();
			}
		}

		async function supervisorWork() {
			for (let step = 0; step < 10; step++) {
				const job = rng.pick([...office.rows.jobs.values()]);
				if (job && rng.chance(0.6)) {
					const technicianId = job.technicianId === alice.id ? bob.id : alice.id;
					office.record('job.assign', { jobId: job.id, technicianId, reason: 'rebalanced' });
					await pushAll(office);
				} else {
					await savePart(db, boss, {
						sku: rng.pick(['P-1', 'P-2'])!,
						name: `part ${step}`,
						unitCost: `${step}.50`,
						unit: '个',
						active: true
					});
				}
				await office.pull();
				await rng.pause();
			}
		}

		/** An importer replacing a job's lines and follow-ups, and removing a job now and then. */
		async function importerWork() {
			for (let step = 0; step < 8; step++) {
				const [job] = await queryRows<{ id: string }>(
					db,
					sql`SELECT id::text FROM jobs WHERE station_id = ${station.id}::uuid
						AND id <> ${longJobId}::uuid ORDER BY random() LIMIT 1`
				);
				if (job) {
					await db.transaction(async (tx) => {
						if (rng.chance(0.2)) {
							await tx.delete(jobs).where(and(eq(jobs.stationId, station.id), eq(jobs.id, job.id)));
							return;
						}
						await tx.delete(jobParts).where(eq(jobParts.jobId, job.id));
						await tx.delete(followUps).where(eq(followUps.jobId, job.id));
						await tx.insert(jobParts).values({
							stationId: station.id,
							id: randomUUID(),
							jobId: job.id,
							partId: rng.pick(partIds)!,
							qty: '2',
							unitCost: '1.00'
						});
					});
				}
				await rng.pause();
			}
		}

		let writing = true;
		const writers = Promise.all([
			technicianWork(alice),
			technicianWork(bob),
			supervisorWork(),
			importerWork()
		]).finally(() => (writing = false));
		const puller = (async () => {
			while (writing) {
				await alicePhone.pull();
				await rng.pause();
			}
		})();
		await Promise.all([writers, puller]);
		// Incremental pulls only: the first one sends everything visible anyway.
		const pulledWhileLongOpen = alicePhone.pulls.slice(1).flatMap((pull) => pull.changes.jobs);
		commitLong();
		await longTransaction;

		// While the long transaction was open, later commits reached the devices; its own
		// job did not. Its id is below every cursor handed out meanwhile, so it comes now.
		expect(pulledWhileLongOpen.map((job) => job.id)).not.toContain(longJobId);
		expect(pulledWhileLongOpen.length).toBeGreaterThan(0);

		for (const device of devices) {
			await pushAll(device);
			await device.pull();
		}
		for (const device of devices) {
			expect(device.copy()).toEqual(await serverCopy(db, device.user));
		}
		expect(alicePhone.rows.jobs.has(longJobId)).toBe(true);
	}

	it('converges every device to the database despite concurrent and late commits', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer(), (seed) => scenario(seed)),
			// ORACLE_RUNS=30 (or more, several processes at once) hunts rare interleavings.
			{ numRuns: Number(process.env.ORACLE_RUNS ?? 4) }
		);
	}, 240_000);
});
