/**
 * The photo queue against a fake file server (testing/fake-file-server.ts, the contract of
 * shared/job-files.ts), and beside the real sync engine against the real server: photos go in
 * pieces, resume after a cut without sending a piece twice, wait for their job, and never hold
 * back the job's changes.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_FILE_CHUNK_BYTES } from '../../shared/evidence-domain';
import type { JobRecord } from '../../shared/sync';
import type { DatabaseHandle } from '../../server/db';
import { testEngines } from '../../server/testing/databases';
import { createCategory, createStation, createUser } from '../../server/testing/fixtures';
import { LocalChanges } from '../local/changes';
import type { LocalDatabase } from '../local/db';
import { uuidv7 } from '../local/ids';
import { leaseLock } from '../sync/lock';
import { SyncEngine } from '../sync/engine';
import { FakeFileServer } from '../testing/fake-file-server';
import { fakeBrowser, openDeviceStore } from '../testing/browser';
import { ServerTransport } from '../testing/server-transport';
import type { PhotoRecord } from './records';
import type { PhotoTransport } from './transport';
import { PhotoUploader } from './uploader';

/** A photo as addPhoto leaves it (compression itself needs a browser: tests/photos.spec.ts). */
async function putPhoto(db: LocalDatabase, jobId: string, byteSize: number) {
	const bytes = randomBytes(byteSize);
	const photo: PhotoRecord = {
		id: uuidv7(),
		jobId,
		kind: 'before',
		contentType: 'image/jpeg',
		byteSize,
		sha256: createHash('sha256').update(bytes).digest('hex'),
		width: 1600,
		height: 1200,
		takenAt: new Date('2026-03-02T02:00:00Z'),
		thumbnail: new Blob([randomBytes(2000)], { type: 'image/jpeg' }),
		state: 'waiting',
		sentBytes: 0,
		failures: 0,
		notBefore: null,
		refusal: null
	};
	await db.photos.add(photo);
	await db.photoFiles.add({ id: photo.id, blob: new Blob([bytes], { type: 'image/jpeg' }) });
	return { photo, bytes };
}

/** The job as the last pull brought it: on the server. */
async function jobOnServer(db: LocalDatabase) {
	const id = uuidv7();
	await db.serverJobs.add({ id } as JobRecord);
	return id;
}

async function phone(server: PhotoTransport, clock = () => new Date()) {
	const db = await openDeviceStore(randomUUID(), fakeBrowser());
	return { db, uploader: new PhotoUploader({ db, transport: server, clock, random: () => 0 }) };
}

describe('the photo upload queue', () => {
	it('sends a photo in pieces, then frees its full-size copy and keeps the thumbnail', async () => {
		const server = new FakeFileServer();
		const { db, uploader } = await phone(server);
		const { photo, bytes } = await putPhoto(
			db,
			await jobOnServer(db),
			2 * JOB_FILE_CHUNK_BYTES + 1000
		);

		expect(await uploader.uploadNow()).toBe('done');

		expect(server.pieces.map((piece) => [piece.offset, piece.length])).toEqual([
			[0, JOB_FILE_CHUNK_BYTES],
			[JOB_FILE_CHUNK_BYTES, JOB_FILE_CHUNK_BYTES],
			[2 * JOB_FILE_CHUNK_BYTES, 1000]
		]);
		expect(Buffer.from(server.files.get(photo.id)!.bytes).equals(bytes)).toBe(true);
		expect(server.files.get(photo.id)!.stored).toBe(true);
		const kept = await db.photos.get(photo.id);
		expect(kept).toMatchObject({ state: 'stored', sentBytes: photo.byteSize });
		expect(kept!.thumbnail.size).toBe(2000);
		expect(await db.photoFiles.get(photo.id)).toBeUndefined();
		db.close();
	});

	it.each(['unreachable', 'answerLost'] as const)(
		'resumes a photo cut halfway (%s) from where the server got to, sending no piece twice',
		async (fault) => {
			const server = new FakeFileServer(() => true, fault === 'answerLost');
			const { db, uploader } = await phone(server);
			const { photo, bytes } = await putPhoto(
				db,
				await jobOnServer(db),
				3 * JOB_FILE_CHUNK_BYTES + 7
			);
			server.pieceFaults.push('ok', fault);

			expect(await uploader.uploadNow()).toBe('offline');
			const cut = await db.photos.get(photo.id);
			expect(cut).toMatchObject({ state: 'waiting' });
			expect(cut!.sentBytes).toBe(JOB_FILE_CHUNK_BYTES);
			expect(await db.photoFiles.get(photo.id)).toBeDefined();

			expect(await uploader.uploadNow()).toBe('done');
			expect(server.pieces.every((piece) => piece.kept)).toBe(true);
			expect(server.pieces.map((piece) => piece.offset)).toEqual(
				[0, 1, 2, 3].map((n) => n * JOB_FILE_CHUNK_BYTES)
			);
			expect(Buffer.from(server.files.get(photo.id)!.bytes).equals(bytes)).toBe(true);
			expect((await db.photos.get(photo.id))!.state).toBe('stored');
			// Sent again (another tab, a resend): stored once, nothing more sent.
			await db.photos.update(photo.id, { state: 'waiting' });
			await db.photoFiles.add({ id: photo.id, blob: new Blob([bytes]) });
			expect(await uploader.uploadNow()).toBe('done');
			expect(server.pieces).toHaveLength(4);
			expect(server.files.size).toBe(1);
			db.close();
		}
	);

	it('leaves a photo for later while the server does not know its job, and sends the others', async () => {
		let now = new Date('2026-03-02T03:00:00Z');
		const known = new Set<string>();
		const server = new FakeFileServer((jobId) => known.has(jobId));
		const { db, uploader } = await phone(server, () => now);
		const early = await jobOnServer(db);
		const late = await jobOnServer(db);
		known.add(early);
		const waiting = await putPhoto(db, late, 1000);
		const sent = await putPhoto(db, early, 1000);

		expect(await uploader.uploadNow()).toBe('done');
		expect((await db.photos.get(sent.photo.id))!.state).toBe('stored');
		const held = (await db.photos.get(waiting.photo.id))!;
		expect(held).toMatchObject({ state: 'waiting', failures: 1, refusal: null });
		expect(held.notBefore!.getTime()).toBeGreaterThan(now.getTime());

		// Not before its time, even once the server knows the job.
		known.add(late);
		const describes = server.describes;
		await uploader.uploadNow();
		expect(server.describes).toBe(describes);
		now = new Date(held.notBefore!.getTime() + 1);
		expect(await uploader.uploadNow()).toBe('done');
		expect(await db.photos.get(waiting.photo.id)).toMatchObject({ state: 'stored', failures: 0 });
		db.close();
	});

	it('asks nothing about a photo whose job has not reached the server', async () => {
		const server = new FakeFileServer();
		const { db, uploader } = await phone(server);
		const { photo } = await putPhoto(db, uuidv7(), 1000);
		expect(await uploader.uploadNow()).toBe('done');
		expect(server.describes).toBe(0);
		expect((await db.photos.get(photo.id))!.state).toBe('waiting');
		db.close();
	});

	it('marks a refused photo and never sends it again', async () => {
		const server = new FakeFileServer();
		const { db, uploader } = await phone(server);
		const jobId = await jobOnServer(db);
		const { photo } = await putPhoto(db, jobId, 1000);
		// The server holds another file under this id: the same id with other bytes is refused.
		await server.describe({
			...(await db.photos.get(photo.id))!,
			sha256: 'f'.repeat(64),
			thumbnail: ''
		});
		const describes = server.describes;

		expect(await uploader.uploadNow()).toBe('done');
		expect(await db.photos.get(photo.id)).toMatchObject({ state: 'refused' });
		expect((await db.photos.get(photo.id))!.refusal).toContain('other bytes');
		await uploader.uploadNow();
		expect(server.describes).toBe(describes + 1);
		db.close();
	});

	it('backs off after a failed run, longer each time', () => {
		const uploader = new PhotoUploader({
			db: {} as LocalDatabase,
			transport: new FakeFileServer(),
			random: () => 1
		});
		expect([1, 2, 3, 10].map((n) => uploader.backoffDelay(n))).toEqual([2000, 4000, 8000, 300_000]);
	});
});

for (const engine of testEngines()) {
	describe(`photos beside the sync (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let station: Awaited<ReturnType<typeof createStation>>;
		let categoryId: string;

		beforeAll(async () => {
			handle = await engine.open();
			station = await createStation(handle.db, 'PHOTOQUEUE');
			categoryId = (await createCategory(handle.db, station.id, 'COOLING')).id;
		});
		afterAll(() => handle?.close());

		it('never hold back the job: its changes sync while a photo hangs, and the photo goes after', async () => {
			const technician = await createUser(handle.db, station, 'phototech');
			const db = await openDeviceStore(technician.id, fakeBrowser());
			const changes = new LocalChanges(db);
			const made = await changes.createJob({
				customerName: '张先生',
				productModel: 'KFR-35GW',
				faultCategoryId: categoryId,
				reportedAt: new Date('2026-03-02T01:00:00Z')
			});
			if (!made.ok) throw new Error(JSON.stringify(made.issues));
			const job = made.value;
			const { photo } = await putPhoto(db, job.id, 3000);
			expect(await db.outbox.count()).toBe(1);

			// A file server whose pieces never get an answer (a connection that hangs).
			const files = new FakeFileServer();
			const hanging: PhotoTransport = {
				describe: (input) => files.describe(input),
				progress: (ids) => files.progress(ids),
				sendPiece: () => new Promise(() => {})
			};
			const uploader = new PhotoUploader({ db, transport: hanging });
			// Before the job reached the server the queue holds nothing up, and asks nothing.
			expect(await uploader.uploadNow()).toBe('done');
			expect(files.describes).toBe(0);

			const sync = new SyncEngine({
				db,
				transport: new ServerTransport(handle.db, technician),
				lock: leaseLock(db)
			});
			expect(await sync.syncNow()).toBe('synced');
			expect(await db.serverJobs.get(job.id)).toBeDefined();
			void uploader.uploadNow();
			await expect.poll(() => files.describes).toBe(1);

			// The upload hangs; the technician goes on, and every change reaches the server.
			expect(
				(
					await changes.record('job.arrive', {
						jobId: job.id,
						at: new Date('2026-03-02T02:00:00Z')
					})
				).ok
			).toBe(true);
			expect(await sync.syncNow()).toBe('synced');
			expect(await db.outbox.count()).toBe(0);
			expect((await db.serverJobs.get(job.id))!.arrivedAt).toEqual(
				new Date('2026-03-02T02:00:00Z')
			);
			expect((await db.photos.get(photo.id))!.state).toBe('uploading');

			// The connection comes back: another run (a reload) sends the photo.
			const again = new PhotoUploader({ db, transport: files });
			expect(await again.uploadNow()).toBe('done');
			expect((await db.photos.get(photo.id))!.state).toBe('stored');
			db.close();
		});
	});
}
