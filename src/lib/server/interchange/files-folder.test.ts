/**
 * An export with its files (`--with-files`): the stored photos and each job's signature (an SVG
 * drawn from its strokes) under files/<job_no>/ with a manifest, the CSV files the same as
 * without, and an import of that folder reading only the CSV files. Runs on every engine.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { jobSignatures } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { describeJobFile, receiveJobFilePiece } from '../files/service';
import { describing, imageBytes } from '../files/testing';
import { createJob, createStation, createUser } from '../testing/fixtures';
import { testEngines } from '../testing/databases';
import { parseCsv } from './csv';
import { exportStationFiles } from './export';
import { FILES_FOLDER, FILES_MANIFEST, SIGNATURE_FILE, writeFilesFolder } from './files-folder';
import { signaturePath } from '../../shared/signature';
import { readImportFolder, writeExportFolder } from './folder';

for (const engine of testEngines()) {
	describe(`an export with its files on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let scratch: string;
		let ana: SessionUser;
		const photo = imageBytes('image/png', 3000);
		let photoId: string;
		let jobNo: string;
		let signedJob: { id: string; jobNo: string };
		const strokes = [
			[10, 20, 30, 40],
			[500, 200]
		];

		beforeAll(async () => {
			scratch = mkdtempSync(path.join(tmpdir(), 'rs-files-export-'));
			handle = await engine.open();
			const station = await createStation(handle.db, 'PHOTO', 'Asia/Shanghai');
			ana = await createUser(handle.db, station, 'ana');
			const job = await createJob(handle.db, ana, { jobNo: 'D260302-001' });
			jobNo = job.jobNo;
			const stored = describing(job.id, photo, { contentType: 'image/png', kind: 'after' });
			photoId = stored.id;
			await describeJobFile(handle.db, ana, stored);
			await receiveJobFilePiece(handle.db, ana, stored.id, 0, photo);
			// A job signed with no photo, reported after the first: its own folder, after the photos.
			signedJob = await createJob(handle.db, ana, {
				jobNo: 'D260303-002',
				reportedAt: new Date('2026-03-03T01:00:00Z')
			});
			await handle.db.insert(jobSignatures).values({
				stationId: station.id,
				jobId: signedJob.id,
				signerName: '王 <芳>',
				signedAt: new Date('2026-03-03T02:30:00Z'),
				strokes,
				recordedBy: ana.id
			});
			// Described, never sent: not whole, so not exported.
			await describeJobFile(handle.db, ana, describing(job.id, imageBytes('image/jpeg', 99)));
		});
		afterAll(async () => {
			await handle?.close();
			rmSync(scratch, { recursive: true, force: true });
		});

		it('writes the whole files beside the same CSV files, with a manifest', async () => {
			const exported = (await exportStationFiles(handle.db, 'PHOTO'))!;
			const plain = path.join(scratch, 'plain');
			const withFiles = path.join(scratch, 'with-files');
			writeExportFolder(plain, exported);
			writeExportFolder(withFiles, exported);
			expect(await writeFilesFolder(handle.db, withFiles, exported.station)).toBe(2);

			for (const name of readdirSync(plain)) {
				expect(readFileSync(path.join(withFiles, name))).toEqual(
					readFileSync(path.join(plain, name))
				);
			}
			const written = readFileSync(path.join(withFiles, FILES_FOLDER, jobNo, `${photoId}.png`));
			expect(new Uint8Array(written)).toEqual(photo);
			const svg = readFileSync(
				path.join(withFiles, FILES_FOLDER, signedJob.jobNo, SIGNATURE_FILE),
				'utf8'
			);
			expect(svg).toContain('viewBox="0 0 1000 400"');
			expect(svg).toContain(`d="${signaturePath(strokes)}"`);
			// The signer's name, escaped: the file stays well-formed whatever they typed.
			expect(svg).toContain('<title>王 &lt;芳&gt;</title>');
			const manifest = parseCsv(
				readFileSync(path.join(withFiles, FILES_FOLDER, FILES_MANIFEST), 'utf8')
			);
			expect(manifest.problems).toEqual([]);
			expect(manifest.records.map((record) => record.fields)).toEqual([
				[
					'job_no',
					'path',
					'kind',
					'content_type',
					'byte_size',
					'sha256',
					'width',
					'height',
					'taken_at',
					'file_id',
					'job_id'
				],
				[
					jobNo,
					`${jobNo}/${photoId}.png`,
					'after',
					'image/png',
					'3000',
					expect.stringMatching(/^[0-9a-f]{64}$/),
					'1600',
					'1200',
					'2026-03-02T10:00:00+08:00',
					photoId,
					expect.any(String)
				],
				[
					signedJob.jobNo,
					`${signedJob.jobNo}/${SIGNATURE_FILE}`,
					'signature',
					'image/svg+xml',
					String(Buffer.byteLength(svg)),
					createHash('sha256').update(svg).digest('hex'),
					'1000',
					'400',
					'2026-03-03T10:30:00+08:00',
					'',
					signedJob.id
				]
			]);
			// The import reads the CSV files only: the files folder is not part of it.
			expect(Object.keys(readImportFolder(withFiles)).sort()).toEqual(
				Object.keys(readImportFolder(plain)).sort()
			);
		});
	});
}
