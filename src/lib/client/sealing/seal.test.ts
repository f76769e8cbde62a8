/**
 * Changes sealed at sign-out on a shared device: unreadable without the owner's key, brought back
 * with it under the same client and mutation ids, and sent once by the real server's push.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../server/auth/session-user';
import type { DatabaseHandle } from '../../server/db';
import { queryRows } from '../../server/db/rows';
import { testEngines } from '../../server/testing/databases';
import { createStation, createUser } from '../../server/testing/fixtures';
import { createCallerFactory } from '../../server/trpc/core';
import { appRouter } from '../../server/trpc/router';
import { SyncEngine } from '../sync/engine';
import { leaseLock } from '../sync/lock';
import { fakeBrowser, openDeviceStore, type FakeBrowser } from '../testing/browser';
import { ServerTransport } from '../testing/server-transport';
import { LocalChanges } from '../local/changes';
import { databaseNameFor, type LocalDatabase } from '../local/db';
import { DATABASE_PREFIX, PARKED_DATABASE } from '../local/names';
import {
	hasParcel,
	otherAccountsWaiting,
	restoreParcel,
	sealAndDeleteStore,
	type DeviceKeyPair
} from './seal';

const createCaller = createCallerFactory(appRouter);

/** The device stores (one per user) in this browser profile. */
async function deviceStores(browser: FakeBrowser): Promise<string[]> {
	return (await browser.indexedDB.databases())
		.map((database) => database.name ?? '')
		.filter((name) => name.startsWith(DATABASE_PREFIX));
}

/** Every byte the parked database holds, as text, to search for what must not be readable. */
async function parkedBytes(browser: FakeBrowser): Promise<string> {
	const request = browser.indexedDB.open(PARKED_DATABASE);
	const idb = await new Promise<IDBDatabase>((resolve, reject) => {
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
	const rows = await new Promise<unknown[]>((resolve, reject) => {
		const all = idb.transaction('parcels').objectStore('parcels').getAll();
		all.onsuccess = () => resolve(all.result);
		all.onerror = () => reject(all.error);
	});
	idb.close();
	const decoder = new TextDecoder('utf-8', { fatal: false });
	return rows
		.map((row) => {
			const { sealed, iv, ...rest } = row as { sealed: ArrayBuffer; iv: Uint8Array };
			return `${JSON.stringify(rest)}${decoder.decode(sealed)}${decoder.decode(iv)}`;
		})
		.join('\n');
}

for (const engine of testEngines()) {
	describe(`changes parked on a shared device (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let station: Awaited<ReturnType<typeof createStation>>;
		let logins = 0;

		beforeAll(async () => {
			handle = await engine.open();
			station = await createStation(handle.db, 'PARKED');
		});
		afterAll(() => handle?.close());

		async function keysOf(user: SessionUser): Promise<DeviceKeyPair> {
			return createCaller({ db: handle.db, user }).auth.deviceKey();
		}

		/** A technician's store on a shared browser, with their public key as the app keeps it. */
		async function technicianOn(browser: FakeBrowser) {
			const technician = await createUser(handle.db, station, `parked${++logins}`);
			const db = await openDeviceStore(technician.id, browser);
			const { x, y } = await keysOf(technician);
			await db.setMeta('sealingKey', { x, y });
			return { technician, db, changes: new LocalChanges(db) };
		}

		async function newJob(changes: LocalChanges, customerName: string) {
			const made = await changes.createJob({
				customerName,
				customerPhone: '13912345678',
				productModel: 'KFR-35GW',
				faultDescription: '不制冷',
				reportedAt: new Date('2026-03-02T01:00:00Z')
			});
			if (!made.ok) throw new Error(JSON.stringify(made.issues));
			return made.value;
		}

		function syncEngine(db: LocalDatabase, transport: ServerTransport) {
			return new SyncEngine({ db, transport, lock: leaseLock(db) });
		}

		it('the server gives each person their own key pair, and only when signed in', async () => {
			const first = await createUser(handle.db, station, `keys${++logins}`);
			const second = await createUser(handle.db, station, `keys${++logins}`);
			const firstKeys = await keysOf(first);
			expect(await keysOf(first)).toEqual(firstKeys);
			expect((await keysOf(second)).d).not.toBe(firstKeys.d);
			await expect(
				createCaller({ db: handle.db, user: null }).auth.deviceKey()
			).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		});

		it('seals waiting changes unreadably, brings them back with the key only, and sends each once', async () => {
			const browser = fakeBrowser();
			const phone = await technicianOn(browser);
			const sent = await newJob(phone.changes, '郑秀英');
			// The first change reaches the server, but its answer is lost: still waiting here.
			const transport = new ServerTransport(handle.db, phone.technician);
			transport.faults.push('ok', 'answerLost');
			expect(await syncEngine(phone.db, transport).syncNow()).toBe('offline');
			const unsent = await newJob(phone.changes, '欧阳建国');
			await phone.changes.record('job.arrive', {
				jobId: unsent.id,
				at: new Date('2026-03-02T02:00:00Z')
			});
			const clientId = await phone.db.getMeta('clientId');
			const waiting = await phone.db.outbox.toArray();
			expect(waiting.map((entry) => entry.id)).toEqual([1, 2, 3]);
			phone.db.close();

			expect(await sealAndDeleteStore(phone.technician.id, browser)).toBe('parked');
			expect(await deviceStores(browser)).not.toContain(databaseNameFor(phone.technician.id));
			const stored = await parkedBytes(browser);
			expect(stored).toContain(phone.technician.id);
			for (const secret of ['郑秀英', '欧阳建国', '13912345678', sent.jobNo, clientId]) {
				expect(stored).not.toContain(secret);
			}

			// The next person learns that someone's changes wait, nothing more.
			const next = await createUser(handle.db, station, `next${++logins}`);
			expect(await otherAccountsWaiting(next.id, browser)).toBe(1);
			expect(await otherAccountsWaiting(phone.technician.id, browser)).toBe(0);
			await expect(
				restoreParcel(phone.technician.id, await keysOf(next), browser)
			).rejects.toThrow();
			expect(await hasParcel(phone.technician.id, browser)).toBe(true);

			await restoreParcel(phone.technician.id, await keysOf(phone.technician), browser);
			// With its last parcel gone, so that starting the app needs no sealing code.
			expect(await browser.indexedDB.databases()).not.toContainEqual(
				expect.objectContaining({ name: PARKED_DATABASE })
			);
			expect(await hasParcel(phone.technician.id, browser)).toBe(false);
			const db = await openDeviceStore(phone.technician.id, browser);
			expect(await db.getMeta('clientId')).toBe(clientId);
			expect(await db.outbox.toArray()).toEqual(waiting);
			// Visible before the first pull: the job list works offline right away.
			expect((await db.jobs.get(unsent.id))?.arrivedAt).toEqual(new Date('2026-03-02T02:00:00Z'));

			expect(await syncEngine(db, new ServerTransport(handle.db, phone.technician)).syncNow()).toBe(
				'synced'
			);
			expect(await db.outbox.count()).toBe(0);
			expect(await db.rejected.count()).toBe(0);
			const statuses = await queryRows<{ id: number; status: string }>(
				handle.db,
				sql`SELECT mutation_id::int AS id, status FROM sync_mutations
				    WHERE client_id = ${clientId}::uuid ORDER BY mutation_id`
			);
			expect(statuses).toEqual([
				{ id: 1, status: 'applied' },
				{ id: 2, status: 'applied' },
				{ id: 3, status: 'applied' }
			]);
			const jobs = await queryRows<{ customer_name: string; arrived: boolean }>(
				handle.db,
				sql`SELECT customer_name, arrived_at IS NOT NULL AS arrived FROM jobs
				    WHERE technician_id = ${phone.technician.id}::uuid ORDER BY customer_name`
			);
			expect(jobs).toEqual([
				{ customer_name: '欧阳建国', arrived: true },
				{ customer_name: '郑秀英', arrived: false }
			]);
			db.close();
		});

		it('deletes a store with nothing waiting, and keeps one it cannot seal', async () => {
			const browser = fakeBrowser();
			const idle = await technicianOn(browser);
			idle.db.close();
			expect(await sealAndDeleteStore(idle.technician.id, browser)).toBe('deleted');
			expect(await hasParcel(idle.technician.id, browser)).toBe(false);
			expect(await deviceStores(browser)).toEqual([]);

			// Changes but no public key (never online since this version): losing them is worse.
			const keyless = await technicianOn(browser);
			await keyless.db.setMeta('sealingKey', null);
			await newJob(keyless.changes, '无密钥的客户');
			keyless.db.close();
			expect(await sealAndDeleteStore(keyless.technician.id, browser)).toBe('kept');
			expect(await deviceStores(browser)).toEqual([databaseNameFor(keyless.technician.id)]);

			// A photo not yet on the server (nothing else waiting): kept for its owner's next sign-in.
			const photographer = await technicianOn(browser);
			await photographer.db.photos.add({
				id: randomUUID(),
				jobId: randomUUID(),
				kind: 'before',
				contentType: 'image/jpeg',
				byteSize: 3,
				sha256: '0'.repeat(64),
				width: 1,
				height: 1,
				takenAt: new Date(),
				thumbnail: new Blob([new Uint8Array(3)]),
				state: 'waiting',
				sentBytes: 0,
				failures: 0,
				notBefore: null,
				refusal: null
			});
			photographer.db.close();
			expect(await sealAndDeleteStore(photographer.technician.id, browser)).toBe('kept');
			expect(await deviceStores(browser)).toContain(databaseNameFor(photographer.technician.id));
		});

		it('refuses a parcel moved to another owner (the owner id is sealed in)', async () => {
			const browser = fakeBrowser();
			const phone = await technicianOn(browser);
			await newJob(phone.changes, '被搬走的包裹');
			phone.db.close();
			await sealAndDeleteStore(phone.technician.id, browser);
			const thief = await createUser(handle.db, station, `thief${++logins}`);
			// The parcel relabelled as the thief's: the thief's own key cannot open it either.
			const request = browser.indexedDB.open(PARKED_DATABASE);
			await new Promise<void>((resolve, reject) => {
				request.onsuccess = () => {
					const idb = request.result;
					const store = idb.transaction('parcels', 'readwrite').objectStore('parcels');
					const read = store.get(phone.technician.id);
					read.onsuccess = () => {
						store.put({ ...read.result, ownerId: thief.id });
						store.transaction.oncomplete = () => {
							idb.close();
							resolve();
						};
					};
				};
				request.onerror = () => reject(request.error);
			});
			await expect(restoreParcel(thief.id, await keysOf(thief), browser)).rejects.toThrow();
			expect(await hasParcel(thief.id, browser)).toBe(true);
		});
	});
}
