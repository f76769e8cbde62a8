/**
 * The stored photos and signatures of an export (`npm run export -- … --with-files`), written
 * beside the CSV files and never in them: `files/<job_no>/<file id>.<ext>` (the job's id when
 * its number is not a safe folder name) and `files/manifest.csv`, one row per file. The import
 * reads only the top folder's .csv files (folder.ts), so it passes over `files/` entirely.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { storedFilesOfStation } from '../files/storage';
import type { JobFileType } from '../../shared/evidence-domain';
import { toCsv, type CsvValue } from './csv';
import { formatTimestampInZone } from './time';

export const FILES_FOLDER = 'files';
export const FILES_MANIFEST = 'manifest.csv';

const MANIFEST_COLUMNS = [
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
] as const;

const EXTENSIONS: Record<JobFileType, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp'
};

/** A job number as a folder name when it is one on every system, else the job's id. */
function jobFolderName(jobNo: string, jobId: string): string {
	return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(jobNo) ? jobNo : jobId;
}

/** Writes the station's whole files under `<folder>/files/`; returns how many. */
export async function writeFilesFolder(
	db: Queryable,
	folder: string,
	station: { code: string; timeZone: string }
): Promise<number> {
	const [found] = await queryRows<{ id: string }>(
		db,
		sql`SELECT id::text AS id FROM stations WHERE code = ${station.code}`
	);
	if (!found) throw new Error(`There is no station with code ${station.code}.`);
	const root = path.join(folder, FILES_FOLDER);
	mkdirSync(root, { recursive: true });
	const manifest: CsvValue[][] = [[...MANIFEST_COLUMNS]];
	for await (const file of storedFilesOfStation(db, found.id)) {
		const jobFolder = jobFolderName(file.jobNo, file.jobId);
		const name = `${file.fileId}.${EXTENSIONS[file.contentType]}`;
		mkdirSync(path.join(root, jobFolder), { recursive: true });
		writeFileSync(path.join(root, jobFolder, name), file.data);
		manifest.push([
			file.jobNo,
			`${jobFolder}/${name}`,
			file.kind,
			file.contentType,
			String(file.byteSize),
			file.sha256,
			file.width === null ? null : String(file.width),
			file.height === null ? null : String(file.height),
			formatTimestampInZone(file.takenAtUtc, station.timeZone),
			file.fileId,
			file.jobId
		]);
	}
	writeFileSync(path.join(root, FILES_MANIFEST), toCsv(manifest, { bom: true }), 'utf8');
	return manifest.length - 1;
}
