/**
 * The device's sync engine against the real server (the app router in-process on each test
 * database engine), with the failures a phone meets injected in the transport.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session-user';
import type { DatabaseHandle } from '../../server/db';
import { queryRows } from '../../server/db/rows';
import { assignJob, updateJobFields, verifyJob } from '../../server/jobs/service';
import { testEngines } from '../../server/testing/databases';
import {
	createCategory,
	createPart,
	createStation,
	createUser
} from '../../server/testing/fixtures';
import { LocalChanges } from '../local/changes';
import type { LocalDatabase } from '../local/db';
import { fakeBrowser, openDeviceStore } from '../testing/browser';
import { ServerTransport } from '../testing/server-transport';
import { applyPull } from './apply-pull';
import { SyncEngine } from './engine';
import { rejectionText } from '../tech/rejection-text';
import { leaseLock } from './lock';
import { SyncFailure, type SyncTransport } from './transport';

for (const engine of testEngines()) {
	describe(engine.name, () => {
		let handle: DatabaseHandle;
		let station: Awaited<ReturnType<typeof createStation>>;
		let supervisor: SessionUser;
		let partId: string;
		let categoryId: string;
		let logins = 0;

		beforeAll(async () => {
			handle = await engine.open();
			station = await createStation(handle.db, 'SYNCCLIENT');
			supervisor = await createUser(handle.db, station, 'boss', 'supervisor');
			partId = (await createPart(handle.db, station.id, 'CAP-1', '12.50')).id;
			categoryId = (await createCategory(handle.db, station.id, 'COOLING')).id;
		});
		afterAll(() => handle?.close());

		/** A technician with one phone: its store, its change recorder and its engine. */
		async function technicianWithPhone() {
			const technician = await createUser(handle.db, station, `tech${++logins}`);
			const browser = fakeBrowser();
			const db = await openDeviceStore(technician.id, browser);
			const transport = new ServerTransport(handle.db, technician);
			const syncEngine = new SyncEngine({ db, transport, lock: leaseLock(db) });
			return {
				technician,
				browser,
				db,
				transport,
				engine: syncEngine,
				changes: new LocalChanges(db)
			};
		}

		async function newJob(changes: LocalChanges, customerName = '张先生') {
			const made = await changes.createJob({
				customerName,
				productModel: 'KFR-35GW',
				faultCategoryId: categoryId,
				reportedAt: new Date('2026-03-02T01:00:00Z')
			});
			if (!made.ok) throw new Error(JSON.stringify(made.issues));
			return made.value;
		}

		/** What the server holds for this technician, as a fresh device would receive it. */
		async function serverCopy(technician: SessionUser) {
			const transport = new ServerTransport(handle.db, technician);
			const pulled = await transport.pull({ clientId: randomUUID(), cursor: null });
			const byId = <T extends { id: string }>(rows: T[]) =>
				[...rows].sort((a, b) => a.id.localeCompare(b.id));
			return {
				jobs: byId(pulled.changes.jobs),
				jobParts: byId(pulled.changes.jobParts),
				followUps: byId(pulled.changes.followUps)
			};
		}

		async function deviceView(db: LocalDatabase) {
			return {
				jobs: await db.jobs.orderBy('id').toArray(),
				jobParts: await db.jobParts.orderBy('id').toArray(),
				followUps: await db.followUps.orderBy('id').toArray()
			};
		}

		async function mutationsOnServer(clientId: string) {
			const [row] = await queryRows<{ count: number }>(
				handle.db,
				sql`SELECT count(*)::int AS count FROM sync_mutations WHERE client_id = ${clientId}::uuid`
			);
			return row.count;
		}

		it('pushes offline work, then pulls: the outbox empties and the device equals the server', async () => {
			const phone = await technicianWithPhone();
			const job = await newJob(phone.changes);
			await phone.changes.record('job.arrive', {
				jobId: job.id,
				at: new Date('2026-03-02T02:00:00Z')
			});
			await phone.changes.record('job.start', {
				jobId: job.id,
				at: new Date('2026-03-02T02:10:00Z')
			});
			await phone.changes.record('part.add', {
				id: phone.changes.newRowId(),
				jobId: job.id,
				partId,
				qty: '2'
			});
			await phone.changes.record('job.complete', {
				jobId: job.id,
				at: new Date('2026-03-02T03:00:00Z'),
				outcome: 'fixed',
				notes: '换电容'
			});
			await phone.changes.record('followUp.add', {
				id: phone.changes.newRowId(),
				jobId: job.id,
				visitedAt: new Date('2026-03-04T03:00:00Z'),
				channel: 'phone',
				satisfaction: 5,
				issueResolved: true
			});

			expect(await phone.engine.syncNow()).toBe('synced');
			expect(await phone.db.outbox.count()).toBe(0);
			expect(await phone.db.getMeta('lastSyncedAt')).toBeInstanceOf(Date);
			expect(await phone.db.getMeta('lastMutationId')).toBe(6);
			const server = await serverCopy(phone.technician);
			expect(server.jobs).toHaveLength(1);
			expect(server.jobs[0]).toMatchObject({
				jobNo: job.jobNo,
				status: 'completed',
				outcome: 'fixed',
				notes: '换电容',
				arrivedAt: new Date('2026-03-02T02:00:00Z'),
				completedAt: new Date('2026-03-02T03:00:00Z')
			});
			expect(server.jobParts[0]).toMatchObject({ qty: '2.000', unitCost: '12.50' });
			expect(await deviceView(phone.db)).toEqual(server);
			// The catalog and categories come along for the offline pickers.
			expect(await phone.db.parts.get(partId)).toMatchObject({ sku: 'CAP-1' });
			expect(await phone.db.faultCategories.get(categoryId)).toMatchObject({ code: 'COOLING' });
		});

		it('applies a mutation once when the answer to its push is lost and it is sent again', async () => {
			const phone = await technicianWithPhone();
			const job = await newJob(phone.changes);
			await phone.changes.record('job.arrive', { jobId: job.id, at: new Date() });
			phone.transport.faults.push('ok', 'answerLost');
			expect(await phone.engine.syncNow()).toBe('offline');
			expect(await phone.db.outbox.count()).toBe(2);
			expect(phone.engine.state).toMatchObject({ phase: 'offline', failures: 1 });

			expect(await phone.engine.syncNow()).toBe('synced');
			expect(await phone.db.outbox.count()).toBe(0);
			expect(await mutationsOnServer(await phone.db.getMeta('clientId'))).toBe(2);
			expect((await serverCopy(phone.technician)).jobs).toHaveLength(1);
			expect(phone.engine.state).toMatchObject({ phase: 'idle', failures: 0 });
		});

		it('keeps everything when the session expires mid-sync, and resumes after signing in again', async () => {
			const phone = await technicianWithPhone();
			const job = await newJob(phone.changes);
			phone.transport.faults.push('ok', 'signedOut');
			expect(await phone.engine.syncNow()).toBe('signedOut');
			expect(phone.engine.state.phase).toBe('signedOut');
			expect(await phone.db.outbox.count()).toBe(1);
			expect(await phone.db.jobs.get(job.id)).toBeDefined();

			// Signing in again: the next attempt (visibility, online, "sync now") goes through.
			expect(await phone.engine.syncNow()).toBe('synced');
			expect(await phone.db.outbox.count()).toBe(0);
			expect((await serverCopy(phone.technician)).jobs.map((row) => row.id)).toEqual([job.id]);
		});

		it("never sends one technician's outbox with another technician's session", async () => {
			const phone = await technicianWithPhone();
			await newJob(phone.changes);
			const colleague = await createUser(handle.db, station, `colleague${++logins}`);
			phone.transport.sessionUser = colleague;
			expect(await phone.engine.syncNow()).toBe('wrongUser');
			expect(await mutationsOnServer(await phone.db.getMeta('clientId'))).toBe(0);
			expect((await serverCopy(colleague)).jobs).toEqual([]);
			expect(await phone.db.outbox.count()).toBe(1);
		});

		it('shows a refused change with its reason and puts the server state back on screen', async () => {
			const phone = await technicianWithPhone();
			const job = await newJob(phone.changes);
			// A technician completes only after arriving and starting (shared/step-times.ts).
			const arrived = new Date('2026-03-02T01:10:00Z');
			await phone.changes.record('job.arrive', { jobId: job.id, at: arrived });
			await phone.changes.record('job.start', {
				jobId: job.id,
				at: new Date('2026-03-02T01:20:00Z')
			});
			await phone.changes.record('job.complete', {
				jobId: job.id,
				at: new Date(),
				outcome: 'fixed'
			});
			await phone.engine.syncNow();
			await verifyJob(handle.db, supervisor, { jobId: job.id, at: new Date() });

			// Offline, before the verification reaches the phone, the technician changes the time.
			await phone.changes.record('job.setTimes', {
				jobId: job.id,
				arrivedAt: new Date('2026-03-02T01:15:00Z'),
				reason: '到达时间点晚了'
			});
			expect((await phone.db.jobs.get(job.id))?.arrivedAt).toEqual(
				new Date('2026-03-02T01:15:00Z')
			);

			expect(await phone.engine.syncNow()).toBe('synced');
			const [refused] = await phone.db.rejected.toArray();
			expect(refused).toMatchObject({
				name: 'job.setTimes',
				jobId: job.id,
				jobNo: job.jobNo,
				code: 'FORBIDDEN',
				reason: { key: 'job_verified', params: { jobNo: job.jobNo } },
				dismissedAt: null
			});
			expect(refused.message).toContain('verified');
			// What the technician reads: their language, the job's number.
			expect(rejectionText(refused, { locale: 'zh-CN' })).toBe('主管已审核此工单，不能再修改。');
			const onScreen = await phone.db.jobs.get(job.id);
			expect(onScreen?.arrivedAt).toEqual(arrived);
			expect(onScreen?.verifiedAt).toBeInstanceOf(Date);
			expect(await phone.db.outbox.count()).toBe(0);
			expect(await deviceView(phone.db)).toEqual(await serverCopy(phone.technician));
		});

		it('undoes on screen a refused change to a job the server did not otherwise change', async () => {
			const phone = await technicianWithPhone();
			const job = await newJob(phone.changes);
			await phone.engine.syncNow();
			// Not completed yet, so there is no completion time to correct: the server refuses.
			await phone.changes.record('job.setTimes', {
				jobId: job.id,
				completedAt: new Date('2026-03-02T04:00:00Z'),
				reason: 'typo'
			});
			expect((await phone.db.jobs.get(job.id))?.completedAt).toEqual(
				new Date('2026-03-02T04:00:00Z')
			);
			expect(await phone.engine.syncNow()).toBe('synced');
			expect((await phone.db.jobs.get(job.id))?.completedAt).toBeNull();
			expect(await phone.db.rejected.count()).toBe(1);
			expect(await deviceView(phone.db)).toEqual(await serverCopy(phone.technician));
		});

		it('re-applies pending changes on top of what others changed on the server (rebase)', async () => {
			const phone = await technicianWithPhone();
			const job = await newJob(phone.changes);
			await phone.engine.syncNow();
			await updateJobFields(handle.db, supervisor, {
				jobId: job.id,
				fields: { notes: '客户要求下午来' }
			});
			const arrivedAt = new Date('2026-03-02T05:00:00Z');
			await phone.changes.record('job.arrive', { jobId: job.id, at: arrivedAt });

			// The pull brings the supervisor's note while the arrival is still only on the phone.
			const transport = phone.transport;
			const cursor = await phone.db.getMeta('cursor');
			const pulled = await transport.pull({ clientId: await phone.db.getMeta('clientId'), cursor });
			await applyPull(phone.db, pulled, cursor);
			expect(await phone.db.jobs.get(job.id)).toMatchObject({ notes: '客户要求下午来', arrivedAt });
			expect(await phone.db.outbox.count()).toBe(1);

			expect(await phone.engine.syncNow()).toBe('synced');
			expect(await phone.db.jobs.get(job.id)).toMatchObject({ notes: '客户要求下午来', arrivedAt });
		});

		it('drops a job reassigned to someone else, with its lines', async () => {
			const phone = await technicianWithPhone();
			const job = await newJob(phone.changes);
			await phone.changes.record('part.add', {
				id: phone.changes.newRowId(),
				jobId: job.id,
				partId,
				qty: '1'
			});
			await phone.engine.syncNow();
			const colleague = await createUser(handle.db, station, `other${++logins}`);
			await assignJob(handle.db, supervisor, {
				jobId: job.id,
				technicianId: colleague.id,
				reason: 'colleague is nearer'
			});

			expect(await phone.engine.syncNow()).toBe('synced');
			expect(await phone.db.jobs.count()).toBe(0);
			expect(await phone.db.jobParts.count()).toBe(0);
			expect(await phone.db.serverJobs.count()).toBe(0);
		});

		it('resends from the gap the server reports', async () => {
			const phone = await technicianWithPhone();
			const job = await newJob(phone.changes);
			await phone.changes.record('job.arrive', { jobId: job.id, at: new Date() });
			await phone.changes.record('job.start', { jobId: job.id, at: new Date() });
			let dropped = false;
			phone.transport.rewritePush = (input) => {
				if (dropped) return input;
				dropped = true;
				// The first mutation gets lost on the way: the server must not apply 2 and 3 before it.
				return { ...input, mutations: input.mutations.slice(1) };
			};
			expect(await phone.engine.syncNow()).toBe('synced');
			expect(await mutationsOnServer(await phone.db.getMeta('clientId'))).toBe(3);
			expect((await serverCopy(phone.technician)).jobs[0]).toMatchObject({ status: 'in_progress' });
		});

		it('pushes a long outbox in batches of at most 200', async () => {
			const phone = await technicianWithPhone();
			const job = await newJob(phone.changes);
			for (let i = 0; i < 209; i++) {
				await phone.changes.record('job.update', { jobId: job.id, fields: { notes: `note ${i}` } });
			}
			const pushed: number[] = [];
			phone.transport.rewritePush = (input) => {
				pushed.push(input.mutations.length);
				return input;
			};
			expect(await phone.engine.syncNow()).toBe('synced');
			expect(pushed).toEqual([200, 10]);
			expect((await phone.db.jobs.get(job.id))?.notes).toBe('note 208');
			expect(await phone.db.outbox.count()).toBe(0);
		});

		it('halves a batch the server refuses as too large; a change too large alone is refused on the phone, the rest goes', async () => {
			const phone = await technicianWithPhone();
			const job = await newJob(phone.changes);
			const note = (i: number) => `note ${i}`;
			for (let i = 0; i < 20; i++) {
				await phone.changes.record('job.update', { jobId: job.id, fields: { notes: note(i) } });
			}
			// Within the schema's 2,000 characters, yet above this server's body limit on its own.
			const huge = '很'.repeat(2000);
			const hugeChange = await phone.changes.record('job.update', {
				jobId: job.id,
				fields: { notes: huge }
			});
			expect(hugeChange.ok).toBe(true);
			const hugeId = (await phone.db.outbox.orderBy('id').last())!.id;
			for (let i = 20; i < 40; i++) {
				await phone.changes.record('job.update', { jobId: job.id, fields: { notes: note(i) } });
			}

			// A server whose push body limit is 5,000 bytes (the real one: 200 × 32 KB).
			const bodyLimit = 5000;
			const sent: number[][] = [];
			const limited: SyncTransport = {
				currentUserId: () => phone.transport.currentUserId(),
				pull: (input) => phone.transport.pull(input),
				push: async (input) => {
					sent.push(input.mutations.map((mutation) => mutation.id));
					const bytes = new TextEncoder().encode(JSON.stringify(input)).length;
					if (bytes > bodyLimit) throw new SyncFailure('tooLarge', 'HTTP 413');
					return phone.transport.push(input);
				}
			};
			const engine = new SyncEngine({
				db: phone.db,
				transport: limited,
				lock: leaseLock(phone.db)
			});

			expect(await engine.syncNow()).toBe('synced');
			expect(await phone.db.outbox.count()).toBe(0);
			// 42 changes: 42 → 21 → 11 → 6 → … only ever halving, never the whole queue again.
			expect(sent[0]).toHaveLength(42);
			expect(sent[1]).toHaveLength(21);
			expect(sent.every((ids, i) => i === 0 || ids.length <= sent[i - 1].length)).toBe(true);
			const rejected = await phone.db.rejected.toArray();
			expect(rejected.map((change) => change.mutationId)).toEqual([hugeId]);
			expect(rejected[0]).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', jobNo: job.jobNo });
			expect(rejectionText(rejected[0], { locale: 'en' })).toBe(
				'This change is too large to send; the server did not receive it.'
			);
			expect(rejectionText(rejected[0], { locale: 'zh-CN' })).toBe(
				'此更改过大，无法发送，服务器未收到。'
			);
			// Every other change reached the server, the last one last; the huge text never did.
			const clientId = await phone.db.getMeta('clientId');
			expect(await mutationsOnServer(clientId)).toBe(42);
			const onServer = (await serverCopy(phone.technician)).jobs[0];
			expect(onServer.notes).toBe(note(39));
			const [stored] = await queryRows<{ count: number }>(
				handle.db,
				sql`SELECT count(*)::int AS count FROM sync_mutations
				    WHERE client_id = ${clientId}::uuid AND args::text LIKE ${'%很很很%'}`
			);
			expect(stored.count).toBe(0);
		});

		it('starts over from a full pull when the server resets the device, keeping the outbox', async () => {
			const phone = await technicianWithPhone();
			const kept = await newJob(phone.changes, '保留');
			await phone.engine.syncNow();
			// Tombstones older than this were pruned: the device's cursor is too old to continue.
			await handle.db.execute(sql`
				INSERT INTO sync_retention (station_id, pruned_through)
				VALUES (${station.id}::uuid, pg_current_xact_id())
				ON CONFLICT (station_id) DO UPDATE SET pruned_through = excluded.pruned_through`);
			const pending = await newJob(phone.changes, '待同步');
			// A row the device holds that the server no longer has, as a reset may reveal.
			await phone.db.serverJobs.put({
				...(await phone.db.serverJobs.get(kept.id))!,
				id: randomUUID()
			});

			const transport = phone.transport;
			const cursor = await phone.db.getMeta('cursor');
			const pulled = await transport.pull({ clientId: await phone.db.getMeta('clientId'), cursor });
			expect(pulled.reset).toBe(true);
			await applyPull(phone.db, pulled, cursor);
			expect((await phone.db.jobs.toArray()).map((row) => row.customerName).sort()).toEqual(
				['保留', '待同步'].sort()
			);
			expect(await phone.db.serverJobs.count()).toBe(1);
			expect(await phone.db.outbox.count()).toBe(1);

			await handle.db.execute(
				sql`DELETE FROM sync_retention WHERE station_id = ${station.id}::uuid`
			);
			expect(await phone.engine.syncNow()).toBe('synced');
			expect((await phone.db.jobs.toArray()).map((row) => row.id).sort()).toEqual(
				[kept.id, pending.id].sort()
			);
		});

		it('lets one tab sync at a time; the other sees the result in the shared store', async () => {
			const phone = await technicianWithPhone();
			const secondTabDb = await openDeviceStore(phone.technician.id, phone.browser);
			const secondTab = new SyncEngine({
				db: secondTabDb,
				transport: phone.transport,
				lock: leaseLock(secondTabDb)
			});
			await newJob(phone.changes, '一号');
			await newJob(new LocalChanges(secondTabDb), '二号');
			const outcomes = await Promise.all([phone.engine.syncNow(), secondTab.syncNow()]);
			expect(outcomes.sort()).toEqual(['busy', 'synced']);
			expect(await secondTabDb.outbox.count()).toBe(0);
			expect(await secondTabDb.jobs.count()).toBe(2);
			expect(await mutationsOnServer(await secondTabDb.getMeta('clientId'))).toBe(2);
			secondTabDb.close();
		});

		it('treats a wiped database as a new client: nothing is duplicated, everything comes back', async () => {
			const phone = await technicianWithPhone();
			await newJob(phone.changes, '甲');
			await phone.engine.syncNow();
			const oldClient = await phone.db.getMeta('clientId');
			await phone.db.delete();

			const fresh = await openDeviceStore(phone.technician.id, phone.browser);
			expect(await fresh.getMeta('clientId')).not.toBe(oldClient);
			const freshEngine = new SyncEngine({
				db: fresh,
				transport: phone.transport,
				lock: leaseLock(fresh)
			});
			await newJob(new LocalChanges(fresh), '乙');
			expect(await freshEngine.syncNow()).toBe('synced');
			expect((await fresh.jobs.toArray()).map((row) => row.customerName).sort()).toEqual([
				'乙',
				'甲'
			]);
			expect(await deviceView(fresh)).toEqual(await serverCopy(phone.technician));
			fresh.close();
		});

		it('backs off exponentially with jitter, capped', () => {
			const phone = {
				engine: new SyncEngine({
					db: {} as LocalDatabase,
					transport: {} as ServerTransport,
					lock: { runExclusive: async () => 'busy' as never },
					random: () => 0.5,
					backoffBaseMs: 1000,
					backoffMaxMs: 60_000
				})
			};
			expect([1, 2, 3, 4, 10].map((n) => phone.engine.backoffDelay(n))).toEqual([
				750, 1500, 3000, 6000, 45_000
			]);
		});
	});
}
