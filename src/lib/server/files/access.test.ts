/**
 * Who adds and who reads a job's files (roles.md through jobs/access.ts): a technician on
 * their own jobs, a supervisor on the station's; the desk and the station administrator read
 * the files of the station's jobs and add none; another technician's or another station's
 * files are not found, as their jobs are. Runs on every engine.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobs, type Job } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { refusalIn } from '../refusal';
import { createJob, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import {
	describeJobFile,
	filesOfJob,
	jobFileProgress,
	readJobFile,
	receiveJobFilePiece
} from './service';
import { describing, imageBytes } from './testing';

/** What a call answered: 'ok', or the refusal's reason key. */
async function outcomeOf(call: Promise<unknown>): Promise<string> {
	try {
		await call;
		return 'ok';
	} catch (error) {
		const refusal = refusalIn(error);
		if (refusal) return refusal.reason.key;
		throw error;
	}
}

for (const engine of testEngines()) {
	describe(`the scope of a job's files on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let ana: SessionUser;
		let ben: SessionUser;
		let boss: SessionUser;
		let desk: SessionUser;
		let admin: SessionUser;
		let stranger: SessionUser;
		let anasJob: Job;
		let strangersJob: Job;
		const bytes = imageBytes('image/jpeg', 2000);
		/** A file of ana's job, whole. */
		let anasFile: string;

		beforeAll(async () => {
			handle = await engine.open();
			const db = handle.db;
			const station = await createStation(db, 'SCOPE');
			ana = await createUser(db, station, 'ana');
			ben = await createUser(db, station, 'ben');
			boss = await createUser(db, station, 'boss', 'supervisor');
			desk = await createUser(db, station, 'desk', 'dispatcher');
			admin = await createUser(db, station, 'admin', 'admin');
			const elsewhere = await createStation(db, 'ELSE');
			stranger = await createUser(db, elsewhere, 'stranger');
			anasJob = await createJob(db, ana);
			strangersJob = await createJob(db, stranger);
			const input = describing(anasJob.id, bytes);
			anasFile = input.id;
			await describeJobFile(db, ana, input);
			await receiveJobFilePiece(db, ana, anasFile, 0, bytes);
		});
		afterAll(() => handle?.close());

		it("keeps another technician out of a job's files: not found, whatever they try", async () => {
			const db = handle.db;
			expect(await outcomeOf(describeJobFile(db, ben, describing(anasJob.id, bytes)))).toBe(
				'job_not_found'
			);
			expect(await outcomeOf(receiveJobFilePiece(db, ben, anasFile, 0, bytes))).toBe(
				'file_not_found'
			);
			expect(await outcomeOf(filesOfJob(db, ben, anasJob.id))).toBe('job_not_found');
			expect(await jobFileProgress(db, ben, [anasFile])).toEqual([]);
			expect(await readJobFile(db, ben, anasFile, 'full')).toBeNull();
			expect(await readJobFile(db, ben, anasFile, 'thumbnail')).toBeNull();
		});

		it('keeps another station out: its jobs and files are not found', async () => {
			const db = handle.db;
			expect(await outcomeOf(describeJobFile(db, stranger, describing(anasJob.id, bytes)))).toBe(
				'job_not_found'
			);
			expect(await outcomeOf(describeJobFile(db, boss, describing(strangersJob.id, bytes)))).toBe(
				'job_not_found'
			);
			expect(await outcomeOf(receiveJobFilePiece(db, stranger, anasFile, 0, bytes))).toBe(
				'file_not_found'
			);
			expect(await readJobFile(db, stranger, anasFile, 'full')).toBeNull();
			expect(await outcomeOf(filesOfJob(db, stranger, anasJob.id))).toBe('job_not_found');
		});

		it("lets the desk and the station administrator read the station's files but add none", async () => {
			const db = handle.db;
			for (const reader of [desk, admin, boss, ana]) {
				expect((await filesOfJob(db, reader, anasJob.id)).map((file) => file.id)).toEqual([
					anasFile
				]);
				expect((await readJobFile(db, reader, anasFile, 'full'))?.data).toEqual(bytes);
				expect(await jobFileProgress(db, reader, [anasFile])).toMatchObject([{ stored: true }]);
			}
			expect(await outcomeOf(describeJobFile(db, desk, describing(anasJob.id, bytes)))).toBe(
				'desk_no_visit_steps'
			);
			expect(await outcomeOf(describeJobFile(db, admin, describing(anasJob.id, bytes)))).toBe(
				'station_admin_read_only'
			);
			expect(await outcomeOf(receiveJobFilePiece(db, desk, anasFile, 0, bytes))).toBe(
				'desk_no_visit_steps'
			);
		});

		it("lets a supervisor add files to the station's jobs", async () => {
			const input = describing(anasJob.id, bytes, { kind: 'after' });
			await describeJobFile(handle.db, boss, input);
			expect(await receiveJobFilePiece(handle.db, boss, input.id, 0, bytes)).toMatchObject({
				outcome: 'stored'
			});
			expect((await filesOfJob(handle.db, ana, anasJob.id)).map((file) => file.kind)).toContain(
				'after'
			);
		});

		it('refuses a new file on a verified job, and still completes one described before', async () => {
			const db = handle.db;
			const job = await createJob(db, ana, {
				status: 'completed',
				outcome: 'fixed',
				completedAt: new Date('2026-03-02T04:00:00Z')
			});
			const input = describing(job.id, bytes);
			await describeJobFile(db, ana, input);
			await db
				.update(jobs)
				.set({ verifiedAt: new Date('2026-03-02T06:00:00Z'), verifiedBy: boss.id })
				.where(eq(jobs.id, job.id));
			expect(await outcomeOf(describeJobFile(db, ana, describing(job.id, bytes)))).toBe(
				'job_verified'
			);
			// The same description again answers with its progress; its pieces are still taken.
			expect(await describeJobFile(db, ana, input)).toMatchObject({ receivedBytes: 0 });
			expect(await receiveJobFilePiece(db, ana, input.id, 0, bytes)).toMatchObject({
				outcome: 'stored'
			});
		});
	});
}
