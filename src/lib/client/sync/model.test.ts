/**
 * Client model test (shared/spec/sync.md): random sequences of local writes, syncs whose pushes
 * and pulls fail in every way a phone sees (unreachable, answer lost, session expired, 500),
 * reloads, a second tab on the same store, concurrent syncs, a supervisor verifying jobs on the
 * server, and wiping the device's database. Afterwards, with the network healthy:
 * - the outbox is empty and the device shows exactly what the server holds;
 * - every mutation that stayed on a device reached the server once, in order; only mutations
 *   still unsent when their database was wiped may be missing;
 * - the server accepted exactly the mutations this test's own model of the rules accepts
 *   (replayed in the order they arrived, with the supervisor's verifications between them),
 *   and they have their effect; the server's record says only which mutations arrived;
 * - every refusal is shown on the device that made it, and nothing else is.
 */
import { stepTimeProblem, type JobTimes } from '../../shared/step-times';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session-user';
import type { DatabaseHandle } from '../../server/db';
import { queryRows } from '../../server/db/rows';
import { updateJobFields, verifyJob } from '../../server/jobs/service';
import { testEngines } from '../../server/testing/databases';
import { createPart, createStation, createUser } from '../../server/testing/fixtures';
import type { MutationName } from '../../shared/sync';
import { LocalChanges, type ChangeResult } from '../local/changes';
import type { LocalDatabase } from '../local/db';
import { fakeBrowser, openDeviceStore, type FakeBrowser } from '../testing/browser';
import { ServerTransport, type Fault } from '../testing/server-transport';
import { SyncEngine } from './engine';
import { leaseLock } from './lock';

/** One browser tab of the app: its connection to the shared store and its own engine. */
interface Tab {
	db: LocalDatabase;
	engine: SyncEngine;
	changes: LocalChanges;
}

/** A mutation made on a device, as the test remembers it. */
interface Made {
	clientId: string;
	mutationId: number;
	name: MutationName;
	args: Record<string, unknown>;
	/** Its database was wiped while it was still in the outbox: it may or may not have arrived. */
	uncertain: boolean;
}

interface World {
	technician: SessionUser;
	supervisor: SessionUser;
	partIds: string[];
	browser: FakeBrowser;
	transport: ServerTransport;
	tabs: [Tab, Tab];
	made: Made[];
	/** The supervisor's verifications, each with the mutations that had arrived before it. */
	verifications: { jobId: string; after: Set<string> }[];
}

type Model = Record<string, never>;
type Command = fc.AsyncCommand<Model, World>;

async function openTab(world: Pick<World, 'technician' | 'browser' | 'transport'>): Promise<Tab> {
	const db = await openDeviceStore(world.technician.id, world.browser);
	return {
		db,
		engine: new SyncEngine({ db, transport: world.transport, lock: leaseLock(db) }),
		changes: new LocalChanges(db)
	};
}

/** Remembers a successful local write (the outbox row it made) for the final checks. */
async function remember(world: World, tab: Tab, name: MutationName, result: ChangeResult<number>) {
	if (!result.ok) throw new Error(`${name} refused locally: ${JSON.stringify(result.issues)}`);
	const entry = await tab.db.outbox.get(result.value);
	if (!entry) throw new Error(`${name}: no outbox row ${result.value}`);
	world.made.push({
		clientId: await tab.db.getMeta('clientId'),
		mutationId: entry.id,
		name,
		args: entry.args,
		uncertain: false
	});
}

async function pickJob(tab: Tab, pick: number) {
	const jobs = await tab.db.jobs.orderBy('id').toArray();
	return jobs.length === 0 ? null : jobs[pick % jobs.length];
}

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 1, minute));

class CreateJob implements Command {
	constructor(
		readonly tab: 0 | 1,
		readonly customer: string
	) {}
	check = () => true;
	async run(_: Model, world: World) {
		const tab = world.tabs[this.tab];
		// What a technician's job must name (shared/job-completeness.ts): customer, device, fault.
		const made = await tab.changes.createJob({
			customerName: this.customer,
			productModel: 'KFR-35GW',
			faultDescription: '不制冷',
			reportedAt: at(0)
		});
		if (!made.ok) throw new Error('job not created');
		const [entry] = await tab.db.outbox.where('jobId').equals(made.value.id).toArray();
		await remember(world, tab, 'job.create', { ok: true, value: entry.id });
	}
	toString = () => `CreateJob(tab ${this.tab}, ${this.customer})`;
}

class Stamp implements Command {
	constructor(
		readonly tab: 0 | 1,
		readonly kind: 'job.arrive' | 'job.start' | 'job.complete',
		readonly pick: number,
		readonly minute: number
	) {}
	check = () => true;
	async run(_: Model, world: World) {
		const tab = world.tabs[this.tab];
		const job = await pickJob(tab, this.pick);
		if (!job) return;
		const result =
			this.kind === 'job.complete'
				? await tab.changes.record('job.complete', {
						jobId: job.id,
						at: at(this.minute),
						outcome: this.minute % 2 ? 'fixed' : 'not_fixed'
					})
				: await tab.changes.record(this.kind, { jobId: job.id, at: at(this.minute) });
		await remember(world, tab, this.kind, result);
	}
	toString = () => `${this.kind}(tab ${this.tab}, job #${this.pick}, minute ${this.minute})`;
}

class CorrectArrival implements Command {
	constructor(
		readonly tab: 0 | 1,
		readonly pick: number,
		readonly minute: number
	) {}
	check = () => true;
	async run(_: Model, world: World) {
		const tab = world.tabs[this.tab];
		const job = await pickJob(tab, this.pick);
		if (!job) return;
		const result = await tab.changes.record('job.setTimes', {
			jobId: job.id,
			arrivedAt: at(this.minute),
			reason: 'corrected'
		});
		await remember(world, tab, 'job.setTimes', result);
	}
	toString = () => `CorrectArrival(tab ${this.tab}, job #${this.pick}, minute ${this.minute})`;
}

/** Only a completed job has a completion time to correct: otherwise the server refuses it. */
class CorrectCompletion implements Command {
	constructor(
		readonly tab: 0 | 1,
		readonly pick: number,
		readonly minute: number
	) {}
	check = () => true;
	async run(_: Model, world: World) {
		const tab = world.tabs[this.tab];
		const job = await pickJob(tab, this.pick);
		if (!job) return;
		const result = await tab.changes.record('job.setTimes', {
			jobId: job.id,
			completedAt: at(this.minute),
			reason: 'corrected'
		});
		await remember(world, tab, 'job.setTimes', result);
	}
	toString = () => `CorrectCompletion(tab ${this.tab}, job #${this.pick}, minute ${this.minute})`;
}

class AddPart implements Command {
	constructor(
		readonly tab: 0 | 1,
		readonly pick: number,
		readonly part: number,
		readonly qty: number
	) {}
	check = () => true;
	async run(_: Model, world: World) {
		const tab = world.tabs[this.tab];
		const job = await pickJob(tab, this.pick);
		if (!job) return;
		const result = await tab.changes.record('part.add', {
			id: tab.changes.newRowId(),
			jobId: job.id,
			partId: world.partIds[this.part % world.partIds.length],
			qty: String(this.qty)
		});
		await remember(world, tab, 'part.add', result);
	}
	toString = () => `AddPart(tab ${this.tab}, job #${this.pick}, qty ${this.qty})`;
}

class RemovePart implements Command {
	constructor(
		readonly tab: 0 | 1,
		readonly pick: number
	) {}
	check = () => true;
	async run(_: Model, world: World) {
		const tab = world.tabs[this.tab];
		const lines = await tab.db.jobParts.orderBy('id').toArray();
		if (lines.length === 0) return;
		const result = await tab.changes.record('part.remove', {
			id: lines[this.pick % lines.length].id
		});
		await remember(world, tab, 'part.remove', result);
	}
	toString = () => `RemovePart(tab ${this.tab}, line #${this.pick})`;
}

class AddFollowUp implements Command {
	constructor(
		readonly tab: 0 | 1,
		readonly pick: number,
		readonly satisfaction: number
	) {}
	check = () => true;
	async run(_: Model, world: World) {
		const tab = world.tabs[this.tab];
		const job = await pickJob(tab, this.pick);
		if (!job) return;
		const result = await tab.changes.record('followUp.add', {
			id: tab.changes.newRowId(),
			jobId: job.id,
			visitedAt: at(90),
			channel: 'phone',
			satisfaction: this.satisfaction
		});
		await remember(world, tab, 'followUp.add', result);
	}
	toString = () => `AddFollowUp(tab ${this.tab}, job #${this.pick})`;
}

class Sync implements Command {
	constructor(
		readonly tab: 0 | 1,
		readonly faults: Fault[]
	) {}
	check = () => true;
	async run(_: Model, world: World) {
		world.transport.faults.splice(0, Infinity, ...this.faults);
		const tab = world.tabs[this.tab];
		const outcome = await tab.engine.syncNow();
		world.transport.faults.length = 0;
		// A sync that reports success has had every change it holds acknowledged.
		if (outcome === 'synced') expect(await tab.db.outbox.count()).toBe(0);
	}
	toString = () => `Sync(tab ${this.tab}, faults [${this.faults.join(', ')}])`;
}

class SyncBothTabs implements Command {
	check = () => true;
	async run(_: Model, world: World) {
		const outcomes = await Promise.all(world.tabs.map((tab) => tab.engine.syncNow()));
		// The store's lock lets one of them through; the other one stands aside.
		expect(outcomes.filter((outcome) => outcome === 'busy').length).toBeLessThanOrEqual(1);
		if (outcomes.includes('synced')) expect(await world.tabs[0].db.outbox.count()).toBe(0);
	}
	toString = () => 'SyncBothTabs';
}

class Reload implements Command {
	constructor(readonly tab: 0 | 1) {}
	check = () => true;
	async run(_: Model, world: World) {
		world.tabs[this.tab].db.close();
		world.tabs[this.tab] = await openTab(world);
	}
	toString = () => `Reload(tab ${this.tab})`;
}

/** The browser's storage is cleared: both tabs start over with a new database (new clientId). */
class Wipe implements Command {
	check = () => true;
	async run(_: Model, world: World) {
		const [first, second] = world.tabs;
		const clientId = await first.db.getMeta('clientId');
		const unsent = new Set((await first.db.outbox.toArray()).map((entry) => entry.id));
		for (const made of world.made) {
			if (made.clientId === clientId && unsent.has(made.mutationId)) made.uncertain = true;
		}
		second.db.close();
		await first.db.delete();
		world.tabs = [await openTab(world), await openTab(world)];
	}
	toString = () => 'Wipe';
}

/** A supervisor verifies a completed job on the server: later technician edits are refused. */
class SupervisorVerifies implements Command {
	constructor(readonly pick: number) {}
	check = () => true;
	async run(_: Model, world: World) {
		const completed = await queryRows<{ id: string }>(
			serverHandle.db,
			sql`SELECT id::text AS id FROM jobs WHERE technician_id = ${world.technician.id}::uuid
				AND status = 'completed' AND verified_at IS NULL ORDER BY id`
		);
		if (completed.length === 0) return;
		const jobId = completed[this.pick % completed.length].id;
		const arrived = await arrivedMutations(world);
		world.verifications.push({ jobId, after: new Set(arrived.map((m) => mutationKey(m))) });
		await verifyJob(serverHandle.db, world.supervisor, { jobId, at: new Date() });
	}
	toString = () => `SupervisorVerifies(job #${this.pick})`;
}

/** A supervisor edits a job's notes on the server while devices may hold pending changes. */
class SupervisorEdits implements Command {
	constructor(
		readonly pick: number,
		readonly notes: string
	) {}
	check = () => true;
	async run(_: Model, world: World) {
		const jobs = await queryRows<{ id: string }>(
			serverHandle.db,
			sql`SELECT id::text AS id FROM jobs WHERE technician_id = ${world.technician.id}::uuid
				AND verified_at IS NULL ORDER BY id`
		);
		if (jobs.length === 0) return;
		const jobId = jobs[this.pick % jobs.length].id;
		await updateJobFields(serverHandle.db, world.supervisor, {
			jobId,
			fields: { notes: this.notes }
		});
	}
	toString = () => `SupervisorEdits(job #${this.pick}, ${JSON.stringify(this.notes)})`;
}

/** The server database of the engine under test (set in beforeAll). */
let serverHandle: DatabaseHandle;

for (const engine of testEngines()) {
	describe(engine.name, () => {
		let station: Awaited<ReturnType<typeof createStation>>;
		let supervisor: SessionUser;
		let partIds: string[];
		let technicians = 0;

		beforeAll(async () => {
			serverHandle = await engine.open();
			station = await createStation(serverHandle.db, 'MODEL');
			supervisor = await createUser(serverHandle.db, station, 'lead', 'supervisor');
			partIds = [
				(await createPart(serverHandle.db, station.id, 'P-1', '3.50')).id,
				(await createPart(serverHandle.db, station.id, 'P-2', '120.00')).id
			];
		});
		afterAll(() => serverHandle?.close());

		it('loses and doubles nothing, and ends equal to the server', async () => {
			const tab = fc.constantFrom<0 | 1>(0, 0, 1);
			const pick = fc.nat(20);
			const minute = fc.integer({ min: 1, max: 600 });
			const fault = fc.constantFrom<Fault>('unreachable', 'answerLost', 'signedOut', 'serverError');
			const commands = [
				fc
					// A customer named by more than white space: a technician's job must name one.
					.tuple(
						tab,
						fc.string({ minLength: 1, maxLength: 8 }).filter((c) => c.trim() !== '')
					)
					.map(([t, c]) => new CreateJob(t, c)),
				fc
					.tuple(
						tab,
						fc.constantFrom('job.arrive', 'job.start', 'job.complete' as const),
						pick,
						minute
					)
					.map(([t, kind, p, m]) => new Stamp(t, kind, p, m)),
				fc.tuple(tab, pick, minute).map(([t, p, m]) => new CorrectArrival(t, p, m)),
				fc.tuple(tab, pick, minute).map(([t, p, m]) => new CorrectCompletion(t, p, m)),
				fc
					.tuple(tab, pick, fc.nat(1), fc.integer({ min: 1, max: 5 }))
					.map(([t, p, part, qty]) => new AddPart(t, p, part, qty)),
				fc.tuple(tab, pick).map(([t, p]) => new RemovePart(t, p)),
				fc
					.tuple(tab, pick, fc.integer({ min: 1, max: 5 }))
					.map(([t, p, s]) => new AddFollowUp(t, p, s)),
				fc
					.tuple(tab, fc.array(fc.oneof(fc.constant<Fault>('ok'), fault), { maxLength: 4 }))
					.map(([t, faults]) => new Sync(t, faults)),
				fc.constant(new SyncBothTabs()),
				tab.map((t) => new Reload(t)),
				fc.constant(new Wipe()),
				pick.map((p) => new SupervisorVerifies(p)),
				fc.tuple(pick, fc.string({ maxLength: 8 })).map(([p, n]) => new SupervisorEdits(p, n))
			];

			await fc.assert(
				fc.asyncProperty(
					fc.commands(commands, { maxCommands: 40, size: 'max' }),
					async (sequence) => {
						const technician = await createUser(serverHandle.db, station, `model${++technicians}`);
						const browser = fakeBrowser();
						const transport = new ServerTransport(serverHandle.db, technician);
						const partial = { technician, browser, transport };
						const world: World = {
							...partial,
							supervisor,
							partIds,
							tabs: [await openTab(partial), await openTab(partial)],
							made: [],
							verifications: []
						};
						try {
							await fc.asyncModelRun(() => ({ model: {}, real: world }), sequence);
							await settle(world);
							await expectConsistent(world);
						} finally {
							for (const open of world.tabs) open.db.close();
						}
					}
				),
				{ numRuns: 25 }
			);
			// The model's judgements above were made both ways, so neither held over nothing.
			expect(judged.accepted).toBeGreaterThan(0);
			expect(judged.refused).toBeGreaterThan(0);
		}, 240_000);
	});
}

/** The network is healthy again: sync until nothing is left (a few rounds at most). */
async function settle(world: World) {
	world.transport.faults.length = 0;
	for (let round = 0; round < 3; round++) {
		expect(await world.tabs[0].engine.syncNow()).toBe('synced');
		if ((await world.tabs[0].db.outbox.count()) === 0) break;
	}
}

/** What the server recorded as arrived from this technician's devices (not whether it applied). */
function arrivedMutations(world: World) {
	return queryRows<{ client_id: string; mutation_id: number; status: string }>(
		serverHandle.db,
		sql`SELECT m.client_id::text AS client_id, m.mutation_id::int AS mutation_id,
				m.status::text AS status
			FROM sync_mutations m JOIN sync_clients c
				ON c.station_id = m.station_id AND c.id = m.client_id
			WHERE c.user_id = ${world.technician.id}::uuid`
	);
}

function mutationKey(m: { client_id: string; mutation_id: number } | Made): string {
	return 'clientId' in m ? `${m.clientId}#${m.mutationId}` : `${m.client_id}#${m.mutation_id}`;
}

/** How often the model accepted and refused, over all runs. */
const judged = { accepted: 0, refused: 0 };

/**
 * The rules of shared/spec/sync.md for a technician's own jobs, replayed over the mutations in
 * the order the server received them: returns each one's verdict (true: accepted).
 */
function modelVerdicts(world: World, arrived: ReadonlySet<string>): Map<string, boolean> {
	// A database's mutations arrive in id order; a wiped database's never after its successor's.
	const clients = [...new Set(world.made.map((m) => m.clientId))];
	const inOrder = world.made
		.filter((m) => arrived.has(mutationKey(m)))
		.sort(
			(a, b) =>
				clients.indexOf(a.clientId) - clients.indexOf(b.clientId) || a.mutationId - b.mutationId
		);
	const jobs = new Map<string, { status: 'open' | 'in_progress' | 'completed'; times: JobTimes }>();
	// The order a job's times keep (shared/step-times.ts): a step that breaks it is refused.
	const timesKept = (job: { times: JobTimes } | undefined, change: Partial<JobTimes>): boolean => {
		if (!job) return false;
		const after = { ...job.times, ...change };
		if (stepTimeProblem(job.times, after, new Date(), true)) return false;
		job.times = after;
		return true;
	};
	const STEP_FIELD = {
		'job.arrive': 'arrivedAt',
		'job.start': 'startedAt',
		'job.complete': 'completedAt'
	} as const;
	const lines = new Map<string, string>();
	const verdicts = new Map<string, boolean>();
	for (const m of inOrder) {
		const key = mutationKey(m);
		const jobId = String(m.name === 'part.remove' ? lines.get(String(m.args.id)) : m.args.jobId);
		const job = jobs.get(jobId);
		const verified = world.verifications.some((v) => v.jobId === jobId && !v.after.has(key));
		const changeable = job !== undefined && !verified;
		let accepted: boolean;
		switch (m.name) {
			case 'job.create':
				accepted = true;
				jobs.set(String(m.args.id), {
					status: 'open',
					times: { reportedAt: at(0), arrivedAt: null, startedAt: null, completedAt: null }
				});
				break;
			case 'job.arrive':
			case 'job.start':
			case 'job.complete':
				accepted =
					changeable && timesKept(job, { [STEP_FIELD[m.name]]: new Date(String(m.args.at)) });
				if (job && accepted && m.name === 'job.start' && job.status === 'open') {
					job.status = 'in_progress';
				}
				if (job && accepted && m.name === 'job.complete') job.status = 'completed';
				break;
			case 'job.setTimes': {
				// Only a completed job has a completion time to correct.
				const change: Partial<JobTimes> = {};
				if (m.args.arrivedAt !== undefined) change.arrivedAt = new Date(String(m.args.arrivedAt));
				if (m.args.completedAt !== undefined) {
					change.completedAt = new Date(String(m.args.completedAt));
				}
				accepted =
					changeable &&
					(m.args.completedAt === undefined || job.status === 'completed') &&
					timesKept(job, change);
				break;
			}
			case 'part.add':
				accepted = changeable;
				if (accepted) lines.set(String(m.args.id), jobId);
				break;
			case 'part.remove':
				// A line the server does not hold (its addition was refused) is not found.
				accepted = changeable;
				if (accepted) lines.delete(String(m.args.id));
				break;
			case 'followUp.add': {
				// Follow-ups come after the repair (from its minute on); a technician adds none to
				// a verified job (follow-ups/service.ts).
				const completed = job?.times.completedAt?.getTime() ?? Infinity;
				accepted =
					job?.status === 'completed' &&
					!verified &&
					new Date(String(m.args.visitedAt)).getTime() >= completed - (completed % 60_000);
				break;
			}
			default:
				throw new Error(`the model has no rule for ${m.name}`);
		}
		verdicts.set(key, accepted);
		judged[accepted ? 'accepted' : 'refused'] += 1;
	}
	return verdicts;
}

async function expectConsistent(world: World) {
	const db = world.tabs[0].db;
	expect(await db.outbox.count()).toBe(0);

	// The device shows exactly what the server holds, deletes included.
	const server = await new ServerTransport(serverHandle.db, world.technician).pull({
		clientId: crypto.randomUUID(),
		cursor: null
	});
	const sorted = <T extends { id: string }>(rows: T[]) =>
		[...rows].sort((a, b) => a.id.localeCompare(b.id));
	expect(await db.jobs.orderBy('id').toArray()).toEqual(sorted(server.changes.jobs));
	expect(await db.jobParts.orderBy('id').toArray()).toEqual(sorted(server.changes.jobParts));
	expect(await db.followUps.orderBy('id').toArray()).toEqual(sorted(server.changes.followUps));

	// Each mutation reached the server once (its id once per client), none that was never made.
	const recorded = await arrivedMutations(world);
	const onServer = new Map(recorded.map((row) => [mutationKey(row), row.status]));
	expect(onServer.size).toBe(recorded.length);
	const made = new Map(world.made.map((m) => [mutationKey(m), m]));
	for (const serverKey of onServer.keys()) expect(made.has(serverKey)).toBe(true);
	for (const m of world.made) {
		if (!m.uncertain) expect(onServer.has(mutationKey(m))).toBe(true);
	}

	// The server accepted exactly what the model of the rules accepts.
	const verdicts = modelVerdicts(world, new Set(onServer.keys()));
	expect(verdicts.size).toBe(onServer.size);
	for (const [serverKey, status] of onServer) {
		const { name, args } = made.get(serverKey)!;
		const accepted = verdicts.get(serverKey) ? 'applied' : 'rejected';
		expect({ serverKey, name, args, status }).toEqual({ serverKey, name, args, status: accepted });
	}

	// Refusals are shown on the device that made them (a wiped database took its own along),
	// and nothing the model accepts is.
	const clientId = await db.getMeta('clientId');
	const shown = new Set((await db.rejected.toArray()).map((change) => change.mutationId));
	for (const m of world.made) {
		const verdict = verdicts.get(mutationKey(m));
		if (m.clientId === clientId && verdict !== undefined) {
			expect({ mutation: m.mutationId, shown: shown.has(m.mutationId) }).toEqual({
				mutation: m.mutationId,
				shown: !verdict
			});
		}
	}

	// Effects, in order: the last applied arrival time of a job is the one the server holds.
	const jobsById = new Map(server.changes.jobs.map((job) => [job.id, job]));
	const applied = world.made.filter((m) => verdicts.get(mutationKey(m)) === true);
	// Rows a wiped, maybe-unsent mutation touched may or may not show its effect.
	const uncertainRows = new Set(
		world.made.filter((m) => m.uncertain).flatMap((m) => [String(m.args.jobId), String(m.args.id)])
	);
	for (const m of applied) {
		if (m.name === 'job.create') expect(jobsById.get(String(m.args.id))?.jobNo).toBe(m.args.jobNo);
	}
	const lastArrival = new Map<string, Date>();
	for (const m of applied) {
		if (m.name === 'job.arrive') lastArrival.set(String(m.args.jobId), m.args.at as Date);
		if (m.name === 'job.setTimes' && m.args.arrivedAt !== undefined) {
			lastArrival.set(String(m.args.jobId), m.args.arrivedAt as Date);
		}
	}
	for (const [jobId, arrivedAt] of lastArrival) {
		if (!uncertainRows.has(jobId)) expect(jobsById.get(jobId)?.arrivedAt).toEqual(arrivedAt);
	}
	const removed = new Set(
		applied.filter((m) => m.name === 'part.remove').map((m) => String(m.args.id))
	);
	const lines = new Set(server.changes.jobParts.map((line) => line.id));
	for (const m of applied) {
		const lineId = String(m.args.id);
		if (m.name === 'part.add' && !uncertainRows.has(lineId)) {
			expect(lines.has(lineId)).toBe(!removed.has(lineId));
		}
	}
	const followUps = new Set(server.changes.followUps.map((followUp) => followUp.id));
	for (const m of applied) {
		if (m.name === 'followUp.add') expect(followUps.has(String(m.args.id))).toBe(true);
	}
}
