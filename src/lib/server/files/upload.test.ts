/**
 * The upload procedure (lib/shared/job-files.ts) on every engine: limits, content type by the
 * bytes, idempotence (a description, a piece, a whole file sent twice: one stored copy), resume
 * after a cut, a hash that does not match, and pieces of one file sent at once.
 */
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobFileContents, jobFilePieces, jobFiles, type Job } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { refusalIn } from '../refusal';
import { createJob, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { createCallerFactory } from '../trpc/core';
import { appRouter } from '../trpc/router';
import { refusalAnswer } from '../trpc/testing';
import { m } from '../../paraglide/messages.js';
import {
	JOB_FILE_CHUNK_BYTES,
	JOB_FILE_MAX_BYTES,
	JOB_FILES_PER_JOB,
	JOB_FILE_THUMBNAIL_MAX_BYTES
} from '../../shared/evidence-domain';
import { describeJobFile, jobFileProgress, readJobFile, receiveJobFilePiece } from './service';
import { base64Of, describing, imageBytes, piecesOf, sha256Of } from './testing';

const createCaller = createCallerFactory(appRouter);

/** The refusal's reason key, or 'ok'. */
async function reasonOf(call: Promise<unknown>): Promise<string> {
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
	describe(`uploading a job's files on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let ana: SessionUser;
		let job: Job;

		beforeAll(async () => {
			handle = await engine.open();
			const station = await createStation(handle.db, 'FILES');
			ana = await createUser(handle.db, station, 'ana');
			job = await createJob(handle.db, ana);
		});
		afterAll(() => handle?.close());

		/** Sends every piece in order; the last answer. */
		async function sendAll(fileId: string, bytes: Uint8Array, size = JOB_FILE_CHUNK_BYTES) {
			let last;
			for (const { offset, data } of piecesOf(bytes, size)) {
				last = await receiveJobFilePiece(handle.db, ana, fileId, offset, data);
			}
			return last!;
		}

		async function rowsOf(fileId: string) {
			const where = <T extends typeof jobFilePieces | typeof jobFileContents>(table: T) =>
				and(eq(table.stationId, ana.stationId), eq(table.fileId, fileId));
			const [{ pieces }] = await handle.db
				.select({ pieces: count() })
				.from(jobFilePieces)
				.where(where(jobFilePieces));
			const contents = await handle.db
				.select({ variant: jobFileContents.variant })
				.from(jobFileContents)
				.where(where(jobFileContents));
			return { pieces, variants: contents.map((c) => c.variant).sort() };
		}

		it('stores a file sent in pieces once it is whole, with its thumbnail, and serves both', async () => {
			const bytes = imageBytes('image/jpeg', 3 * JOB_FILE_CHUNK_BYTES + 1000);
			const input = describing(job.id, bytes);
			const described = await createCaller({ db: handle.db, user: ana }).files.describe(input);
			expect(described).toEqual({
				id: input.id,
				receivedBytes: 0,
				byteSize: bytes.length,
				stored: false
			});
			expect(await readJobFile(handle.db, ana, input.id, 'full')).toBeNull();
			expect((await readJobFile(handle.db, ana, input.id, 'thumbnail'))?.data).toEqual(
				new Uint8Array(Buffer.from(input.thumbnail, 'base64'))
			);
			const last = await sendAll(input.id, bytes);
			expect(last).toEqual({
				outcome: 'stored',
				progress: {
					id: input.id,
					receivedBytes: bytes.length,
					byteSize: bytes.length,
					stored: true
				}
			});
			const full = await readJobFile(handle.db, ana, input.id, 'full');
			expect(full?.contentType).toBe('image/jpeg');
			expect(full?.data).toEqual(bytes);
			expect(await rowsOf(input.id)).toEqual({ pieces: 0, variants: ['full', 'thumbnail'] });
			const [row] = await handle.db.select().from(jobFiles).where(eq(jobFiles.id, input.id));
			expect(row.storedAt).not.toBeNull();
			expect(row.uploadedBy).toBe(ana.id);
		});

		describe('limits', () => {
			it('refuses a description over the size limit, of another type, or with a bad hash', async () => {
				const caller = createCaller({ db: handle.db, user: ana });
				const bytes = imageBytes('image/jpeg', 100);
				for (const wrong of [
					{ byteSize: JOB_FILE_MAX_BYTES + 1 },
					{ contentType: 'image/svg+xml' },
					{ contentType: 'text/html' },
					{ sha256: 'not-a-hash' },
					{ thumbnail: base64Of(imageBytes('image/jpeg', 64 * 1024 + 3)) }
				]) {
					const answer = await refusalAnswer(
						caller.files.describe({ ...describing(job.id, bytes), ...wrong } as never)
					);
					expect(answer).toMatch(/^BAD_REQUEST: /);
				}
			});

			it('refuses a thumbnail over its limit by the bytes it decodes to', async () => {
				const thumbnail = base64Of(imageBytes('image/jpeg', JOB_FILE_THUMBNAIL_MAX_BYTES + 1));
				const input = describing(job.id, imageBytes('image/jpeg', 100), { thumbnail });
				expect(await reasonOf(describeJobFile(handle.db, ana, input))).toBe(
					'file_thumbnail_too_large'
				);
			});

			it('refuses a thumbnail that is not an image: HTML, SVG', async () => {
				const bytes = imageBytes('image/jpeg', 100);
				for (const thumbnail of [
					'<!doctype html><script>alert(1)</script>',
					'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
				]) {
					const input = describing(job.id, bytes, { thumbnail: base64Of(Buffer.from(thumbnail)) });
					expect(await reasonOf(describeJobFile(handle.db, ana, input))).toBe(
						'file_thumbnail_not_image'
					);
					expect(await jobFileProgress(handle.db, ana, [input.id])).toEqual([]);
				}
			});

			it('refuses a piece over the piece size, past the end, or empty', async () => {
				const bytes = imageBytes('image/jpeg', JOB_FILE_CHUNK_BYTES + 10);
				const input = describing(job.id, bytes);
				await describeJobFile(handle.db, ana, input);
				expect(await reasonOf(receiveJobFilePiece(handle.db, ana, input.id, 0, bytes))).toBe(
					'file_piece_too_large'
				);
				await receiveJobFilePiece(
					handle.db,
					ana,
					input.id,
					0,
					bytes.subarray(0, JOB_FILE_CHUNK_BYTES)
				);
				const tooFar = new Uint8Array(11);
				expect(
					await reasonOf(
						receiveJobFilePiece(handle.db, ana, input.id, JOB_FILE_CHUNK_BYTES, tooFar)
					)
				).toBe('file_piece_past_end');
				expect(
					await reasonOf(
						receiveJobFilePiece(handle.db, ana, input.id, JOB_FILE_CHUNK_BYTES, new Uint8Array(0))
					)
				).toBe('file_piece_empty');
				const [progress] = await jobFileProgress(handle.db, ana, [input.id]);
				expect(progress.receivedBytes).toBe(JOB_FILE_CHUNK_BYTES);
			});

			it('refuses bytes that are not the declared type: a PNG as JPEG, HTML, SVG', async () => {
				const cases: [string, Uint8Array][] = [
					['png', imageBytes('image/png', 5000)],
					[
						'html',
						new Uint8Array(Buffer.from('<!doctype html><html><script>alert(1)</script></html>'))
					],
					[
						'svg',
						new Uint8Array(
							Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
						)
					]
				];
				for (const [, bytes] of cases) {
					const input = describing(job.id, bytes, { contentType: 'image/jpeg' });
					await describeJobFile(handle.db, ana, input);
					expect(await reasonOf(receiveJobFilePiece(handle.db, ana, input.id, 0, bytes))).toBe(
						'file_not_declared_type'
					);
					expect(await rowsOf(input.id)).toEqual({ pieces: 0, variants: ['thumbnail'] });
				}
			});

			it('checks the whole file when its first piece was too short to tell, and starts it again', async () => {
				const bytes = imageBytes('image/png', 3000);
				const input = describing(job.id, bytes, { contentType: 'image/webp' });
				await describeJobFile(handle.db, ana, input);
				await receiveJobFilePiece(handle.db, ana, input.id, 0, bytes.subarray(0, 4));
				expect(
					await reasonOf(receiveJobFilePiece(handle.db, ana, input.id, 4, bytes.subarray(4)))
				).toBe('file_not_declared_type');
				const [progress] = await jobFileProgress(handle.db, ana, [input.id]);
				expect(progress).toMatchObject({ receivedBytes: 0, stored: false });
				expect(await rowsOf(input.id)).toEqual({ pieces: 0, variants: ['thumbnail'] });
			});

			it(`keeps at most ${JOB_FILES_PER_JOB} files on a job`, async () => {
				const full = await createJob(handle.db, ana);
				const bytes = imageBytes('image/webp', 64);
				for (let i = 0; i < JOB_FILES_PER_JOB; i++) {
					await describeJobFile(handle.db, ana, describing(full.id, bytes));
				}
				const answer = await refusalAnswer(
					createCaller({ db: handle.db, user: ana }).files.describe(describing(full.id, bytes))
				);
				expect(answer).toBe(`BAD_REQUEST: ${m.files_reason_job_full({ max: JOB_FILES_PER_JOB })}`);
			});
		});

		describe('idempotence', () => {
			it('answers a description sent twice with its progress, and refuses the id for other bytes', async () => {
				const bytes = imageBytes('image/png', 2000);
				const input = describing(job.id, bytes, { contentType: 'image/png' });
				const first = await describeJobFile(handle.db, ana, input);
				await receiveJobFilePiece(handle.db, ana, input.id, 0, bytes.subarray(0, 500));
				expect(await describeJobFile(handle.db, ana, input)).toEqual({
					...first,
					receivedBytes: 500
				});
				const other = await createJob(handle.db, ana);
				for (const clash of [
					{ sha256: sha256Of(imageBytes('image/png', 2000)) },
					{ byteSize: 2001 },
					{ jobId: other.id }
				]) {
					expect(await reasonOf(describeJobFile(handle.db, ana, { ...input, ...clash }))).toBe(
						'file_id_taken'
					);
				}
				const [{ files }] = await handle.db
					.select({ files: count() })
					.from(jobFiles)
					.where(eq(jobFiles.id, input.id));
				expect(files).toBe(1);
			});

			it('stores a piece sent twice once, and refuses other bytes at a received offset', async () => {
				const bytes = imageBytes('image/jpeg', 3000);
				const input = describing(job.id, bytes);
				await describeJobFile(handle.db, ana, input);
				const piece = bytes.subarray(0, 1000);
				expect((await receiveJobFilePiece(handle.db, ana, input.id, 0, piece)).outcome).toBe(
					'stored'
				);
				const again = await receiveJobFilePiece(handle.db, ana, input.id, 0, piece);
				expect(again).toEqual({
					outcome: 'duplicate',
					progress: { id: input.id, receivedBytes: 1000, byteSize: 3000, stored: false }
				});
				expect(await rowsOf(input.id)).toEqual({ pieces: 1, variants: ['thumbnail'] });
				const altered = new Uint8Array(piece);
				altered[500] ^= 0xff;
				expect(await reasonOf(receiveJobFilePiece(handle.db, ana, input.id, 0, altered))).toBe(
					'file_bytes_differ'
				);
			});

			it('keeps one copy of a whole file sent twice', async () => {
				const bytes = imageBytes('image/jpeg', 2 * JOB_FILE_CHUNK_BYTES);
				const input = describing(job.id, bytes);
				await describeJobFile(handle.db, ana, input);
				await sendAll(input.id, bytes);
				await describeJobFile(handle.db, ana, input);
				const second = await sendAll(input.id, bytes);
				expect(second).toMatchObject({ outcome: 'duplicate', progress: { stored: true } });
				expect(await rowsOf(input.id)).toEqual({ pieces: 0, variants: ['full', 'thumbnail'] });
				expect((await readJobFile(handle.db, ana, input.id, 'full'))?.data).toEqual(bytes);
			});
		});

		it('resumes after a cut: 2 of 4 pieces, progress says where, the rest goes on from there', async () => {
			const bytes = imageBytes('image/webp', 4 * 1000);
			const input = describing(job.id, bytes, { contentType: 'image/webp' });
			await describeJobFile(handle.db, ana, input);
			const pieces = piecesOf(bytes, 1000);
			for (const { offset, data } of pieces.slice(0, 2)) {
				await receiveJobFilePiece(handle.db, ana, input.id, offset, data);
			}
			const caller = createCaller({ db: handle.db, user: ana });
			expect(await caller.files.progress({ ids: [input.id] })).toEqual([
				{ id: input.id, receivedBytes: 2000, byteSize: 4000, stored: false }
			]);
			// A piece past where the server got to is not kept: the answer says where to go on.
			const skipped = await receiveJobFilePiece(handle.db, ana, input.id, 3000, pieces[3].data);
			expect(skipped).toEqual({
				outcome: 'elsewhere',
				progress: { id: input.id, receivedBytes: 2000, byteSize: 4000, stored: false }
			});
			for (const { offset, data } of pieces.slice(2)) {
				await receiveJobFilePiece(handle.db, ana, input.id, offset, data);
			}
			expect((await readJobFile(handle.db, ana, input.id, 'full'))?.data).toEqual(bytes);
		});

		it('drops the pieces of a file whose hash does not match and starts it again from 0', async () => {
			const bytes = imageBytes('image/jpeg', 3000);
			const input = describing(job.id, bytes, { sha256: sha256Of(imageBytes('image/jpeg', 3000)) });
			await describeJobFile(handle.db, ana, input);
			await receiveJobFilePiece(handle.db, ana, input.id, 0, bytes.subarray(0, 2000));
			expect(
				await reasonOf(receiveJobFilePiece(handle.db, ana, input.id, 2000, bytes.subarray(2000)))
			).toBe('file_hash_mismatch');
			expect(await jobFileProgress(handle.db, ana, [input.id])).toEqual([
				{ id: input.id, receivedBytes: 0, byteSize: 3000, stored: false }
			]);
			expect(await rowsOf(input.id)).toEqual({ pieces: 0, variants: ['thumbnail'] });
			expect(await readJobFile(handle.db, ana, input.id, 'full')).toBeNull();
		});

		it('takes pieces of one file sent at once one after the other: one whole, uncorrupted copy', async () => {
			const bytes = imageBytes('image/png', 6 * 5000 + 7);
			const input = describing(job.id, bytes, { contentType: 'image/png' });
			await describeJobFile(handle.db, ana, input);
			const pieces = piecesOf(bytes, 5000);
			// Every piece three times at once, in a scrambled order; then the phone goes on from
			// whatever progress says until the file is whole.
			const burst = [...pieces, ...pieces.slice().reverse(), ...pieces];
			await Promise.allSettled(
				burst.map(({ offset, data }) => receiveJobFilePiece(handle.db, ana, input.id, offset, data))
			);
			for (let round = 0; round < pieces.length; round++) {
				const [progress] = await jobFileProgress(handle.db, ana, [input.id]);
				if (progress.stored) break;
				const next = pieces.find((piece) => piece.offset === progress.receivedBytes)!;
				await receiveJobFilePiece(handle.db, ana, input.id, next.offset, next.data);
			}
			expect((await readJobFile(handle.db, ana, input.id, 'full'))?.data).toEqual(bytes);
			expect(await rowsOf(input.id)).toEqual({ pieces: 0, variants: ['full', 'thumbnail'] });
		});
	});
}
