import { randomUUID } from 'node:crypto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { fakeBrowser, openDeviceStore } from '../testing/browser';
import { LocalChanges } from './changes';
import { LocalDatabase } from './db';
import { uuidv7 } from './ids';
import { deviceTag, formatJobNumber } from './job-number';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
	it('carries version 7, the RFC variant and the millisecond time', () => {
		const at = Date.UTC(2026, 10, 3, 9, 12, 5, 123);
		const id = uuidv7(at);
		expect(id).toMatch(UUID);
		expect(id[14]).toBe('7');
		expect('89ab').toContain(id[19]);
		expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
	});

	it('sorts in the order made, also thousands within one millisecond and when the clock steps back', () => {
		const at = Date.now() + 10_000;
		const ids = [
			...Array.from({ length: 5000 }, () => uuidv7(at)),
			...Array.from({ length: 10 }, () => uuidv7(at - 5))
		];
		expect(new Set(ids).size).toBe(ids.length);
		expect([...ids].sort()).toEqual(ids);
	});
});

describe('job numbers', () => {
	it('are date, device tag and counter', () => {
		const clientId = 'ffffffff-0000-4000-8000-000000000000';
		expect(deviceTag(clientId)).toBe('ZZZZZZ');
		expect(formatJobNumber(clientId, 14, new Date(2026, 10, 3, 9, 0))).toBe('261103-ZZZZZZ-14');
		expect(deviceTag('00000000-0000-4000-8000-000000000000')).toBe('000000');
	});

	it('differ between devices and never repeat on one device', async () => {
		const owner = randomUUID();
		const first = await openDeviceStore(owner, fakeBrowser());
		const second = await openDeviceStore(owner, fakeBrowser());
		const numbers: string[] = [];
		for (const db of [first, second]) {
			const changes = new LocalChanges(db);
			for (let i = 0; i < 5; i++) {
				const made = await changes.createJob({ customerName: `C${i}`, reportedAt: new Date() });
				if (!made.ok) throw new Error('not saved');
				numbers.push(made.value.jobNo);
			}
		}
		expect(new Set(numbers).size).toBe(10);
		expect(numbers.slice(0, 5).map((no) => no.split('-')[2])).toEqual(['1', '2', '3', '4', '5']);
		expect(await first.getMeta('clientId')).not.toBe(await second.getMeta('clientId'));
		first.close();
		second.close();
	});
});

describe('local changes', () => {
	it('write the view change and its outbox row together, with consecutive mutation ids', async () => {
		const owner = randomUUID();
		const db = await openDeviceStore(owner, fakeBrowser());
		const changes = new LocalChanges(db);
		const made = await changes.createJob({
			customerName: '  李女士 ',
			faultDescription: '不制冷',
			reportedAt: new Date('2026-03-02T01:00:00Z')
		});
		if (!made.ok) throw new Error('not saved');
		const arrived = await changes.record('job.arrive', {
			jobId: made.value.id,
			at: new Date('2026-03-02T02:00:00Z')
		});
		expect(arrived).toEqual({ ok: true, value: 2 });

		const job = await db.jobs.get(made.value.id);
		expect(job).toMatchObject({
			customerName: '李女士',
			technicianId: owner,
			status: 'open',
			arrivedAt: new Date('2026-03-02T02:00:00Z')
		});
		const outbox = await db.outbox.toArray();
		expect(outbox.map((entry) => [entry.id, entry.name, entry.jobId])).toEqual([
			[1, 'job.create', made.value.id],
			[2, 'job.arrive', made.value.id]
		]);
		db.close();
	});

	it('refuses invalid input with the problems and stores nothing', async () => {
		const db = await openDeviceStore(randomUUID(), fakeBrowser());
		const changes = new LocalChanges(db);
		const made = await changes.createJob({
			customerName: 'x'.repeat(101),
			reportedAt: new Date(Number.NaN)
		});
		expect(made.ok).toBe(false);
		if (made.ok) return;
		expect(made.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
			'customerName',
			'reportedAt'
		]);
		const noReason = await changes.record('job.setTimes', {
			jobId: randomUUID(),
			arrivedAt: new Date(),
			reason: '  '
		});
		expect(noReason.ok).toBe(false);
		expect(await db.outbox.count()).toBe(0);
		expect(await db.jobs.count()).toBe(0);
		expect(await db.getMeta('jobCounter')).toBe(0);
		db.close();
	});

	it('snapshot the cached catalog cost on a part line, and undo is a new mutation', async () => {
		const db = await openDeviceStore(randomUUID(), fakeBrowser());
		const partId = randomUUID();
		await db.parts.put({
			id: partId,
			sku: 'CAP-1',
			name: '电容',
			unitCost: '12.50',
			unit: '个',
			active: true
		});
		const changes = new LocalChanges(db);
		const made = await changes.createJob({ reportedAt: new Date() });
		if (!made.ok) throw new Error('not saved');
		const lineId = changes.newRowId();
		await changes.record('part.add', { id: lineId, jobId: made.value.id, partId, qty: '2' });
		expect(await db.jobParts.get(lineId)).toMatchObject({ qty: '2', unitCost: '12.50' });

		await changes.record('part.remove', { id: lineId });
		expect(await db.jobParts.get(lineId)).toBeUndefined();
		expect((await db.outbox.toArray()).map((entry) => [entry.name, entry.jobId])).toEqual([
			['job.create', made.value.id],
			['part.add', made.value.id],
			['part.remove', made.value.id]
		]);
		db.close();
	});
	it("keep the customer's signature with the completion, in the outbox and on the device", async () => {
		const db = await openDeviceStore(randomUUID(), fakeBrowser());
		const changes = new LocalChanges(db);
		const made = await changes.createJob({ reportedAt: new Date('2026-03-02T01:00:00Z') });
		if (!made.ok) throw new Error('not saved');
		const jobId = made.value.id;
		const signature = {
			signerName: ' 李女士 ',
			signedAt: new Date('2026-03-02T03:59:00Z'),
			strokes: [
				[10, 20, 30, 40],
				[500, 200]
			]
		};
		const empty = await changes.record('job.complete', {
			jobId,
			at: new Date('2026-03-02T04:00:00Z'),
			outcome: 'fixed',
			signature: { ...signature, strokes: [] }
		});
		expect(empty.ok).toBe(false);
		expect(await db.signatures.count()).toBe(0);

		const completed = await changes.record('job.complete', {
			jobId,
			at: new Date('2026-03-02T04:00:00Z'),
			outcome: 'fixed',
			signature
		});
		expect(completed.ok).toBe(true);
		const kept = { ...signature, signerName: '李女士', jobId };
		expect(await db.signatures.get(jobId)).toEqual(kept);
		const [, entry] = await db.outbox.toArray();
		expect(entry.args.signature).toEqual({ ...signature, signerName: '李女士' });
		expect(await db.jobs.get(jobId)).toMatchObject({ status: 'completed' });
		db.close();
	});
});

describe('the device store', () => {
	it('is one database per user, each with its own clientId', async () => {
		const browser = fakeBrowser();
		const [a, b] = [randomUUID(), randomUUID()];
		const first = await openDeviceStore(a, browser);
		const second = await openDeviceStore(b, browser);
		await new LocalChanges(first).createJob({ reportedAt: new Date() });
		expect(await second.jobs.count()).toBe(0);
		expect(await second.outbox.count()).toBe(0);
		expect(await first.getMeta('clientId')).not.toBe(await second.getMeta('clientId'));
		expect([first.name, second.name]).toEqual([`repairscore-user-${a}`, `repairscore-user-${b}`]);
		first.close();
		second.close();
	});

	it('keeps rows and the outbox through a schema upgrade, and lets an older tab go', async () => {
		const browser = fakeBrowser();
		const owner = randomUUID();
		let oldTabReloads = 0;
		const oldTab = await openDeviceStore(owner, browser, {
			onVersionChange: () => (oldTabReloads += 1)
		});
		const made = await new LocalChanges(oldTab).createJob({
			customerName: '王',
			reportedAt: new Date()
		});
		if (!made.ok) throw new Error('not saved');

		/** The next app version: one more index, same data. */
		class UpgradedDatabase extends LocalDatabase {
			constructor() {
				super(owner, browser);
				this.version(5).stores({
					jobs: 'id, status, reportedAt, completedAt, jobNo, customerName, customerPhone, deviceSerial, productModel'
				});
			}
		}
		const upgraded = new UpgradedDatabase();
		await upgraded.open();
		expect(upgraded.verno).toBe(5);
		expect(oldTabReloads).toBe(1);
		expect(oldTab.isOpen()).toBe(false);
		expect(await upgraded.jobs.where('productModel').equals('').count()).toBe(1);
		expect(await upgraded.outbox.count()).toBe(1);
		expect(await upgraded.getMeta('jobCounter')).toBe(1);
		upgraded.close();
	});

	it("keeps a version 2 store's rows and outbox when versions 3 and 4 add the photo and signature tables", async () => {
		const browser = fakeBrowser();
		const owner = randomUUID();
		const job = { id: uuidv7(), jobNo: '260302-AAAAAA-1', status: 'open', customerName: '王' };
		// The database as the previous release left it: its tables at version 2.
		const previous = new Dexie(`repairscore-user-${owner}`, browser);
		previous.version(1).stores({
			jobs: 'id, status, reportedAt, completedAt',
			jobParts: 'id, jobId',
			followUps: 'id, jobId',
			serverJobs: 'id',
			serverJobParts: 'id, jobId',
			serverFollowUps: 'id, jobId',
			parts: 'id, sku',
			faultCategories: 'id',
			meta: 'key',
			outbox: '++id, jobId',
			rejected: 'mutationId, jobId'
		});
		previous.version(2).stores({
			jobs: 'id, status, reportedAt, completedAt, jobNo, customerName, customerPhone, deviceSerial',
			opened: 'id'
		});
		await previous.open();
		await previous.table('meta').bulkAdd([
			{ key: 'clientId', value: randomUUID() },
			{ key: 'ownerId', value: owner },
			{ key: 'cursor', value: '42' },
			{ key: 'lastMutationId', value: 0 },
			{ key: 'jobCounter', value: 1 },
			{ key: 'dataVersion', value: 2 }
		]);
		await previous.table('jobs').add(job);
		await previous
			.table('outbox')
			.add({ name: 'job.create', args: {}, madeAt: new Date(), jobId: job.id });
		previous.close();

		const upgraded = await openDeviceStore(owner, browser);
		expect(upgraded.verno).toBe(4);
		expect(await upgraded.jobs.get(job.id)).toEqual(job);
		expect(await upgraded.outbox.count()).toBe(1);
		expect(await upgraded.getMeta('cursor')).toBe('42');
		expect(await upgraded.photos.where('jobId').equals(job.id).count()).toBe(0);
		expect(await upgraded.signatures.get(job.id)).toBeUndefined();
		upgraded.close();
	});

	it('forgets its cursor when the stored rows are of an older format, keeping the outbox', async () => {
		const browser = fakeBrowser();
		const owner = randomUUID();
		const db = await openDeviceStore(owner, browser);
		await new LocalChanges(db).createJob({ reportedAt: new Date() });
		await db.setMeta('cursor', '1234');
		await db.setMeta('dataVersion', 0);
		db.close();
		const reopened = await openDeviceStore(owner, browser);
		expect(await reopened.getMeta('cursor')).toBeNull();
		expect(await reopened.outbox.count()).toBe(1);
		reopened.close();
	});
});
