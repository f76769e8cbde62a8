/**
 * The stored photos and signatures of an export (`npm run export -- … --with-files`), written
 * beside the CSV files and never in them: `files/<job_no>/<file id>.<ext>` (the job's id when
 * its number is not a safe folder name), each job's customer signature as
 * `files/<job_no>/signature.svg` (drawn from its stored strokes, the signer's name as its
 * title), and `files/manifest.csv`, one row per file. The import reads only the top folder's
 * .csv files (folder.ts), so it passes over `files/` entirely.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { storedFilesOfStation } from '../files/storage';
import type { JobFileType } from '../../shared/evidence-domain';
import { signatureSvg } from '../../shared/service-receipt';
import { SIGNATURE_HEIGHT, SIGNATURE_WIDTH, type SignatureStrokes } from '../../shared/signature';
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

export const SIGNATURE_FILE = 'signature.svg';
/** Signatures read per statement: a station's thousands never sit in memory at once. */
const SIGNATURE_BATCH = 500;

interface StoredSignature {
	jobId: string;
	jobNo: string;
	signerName: string;
	signedAtUtc: string;
	strokes: SignatureStrokes;
	/** The keyset of the next batch: the job's reported time as text, exact to the microsecond. */
	reportedAt: string;
}

/** The station's signatures in the order of its jobs, a batch at a time. */
async function* signaturesOfStation(
	db: Queryable,
	stationId: string
): AsyncGenerator<StoredSignature> {
	let after: { reportedAt: string; jobId: string } | null = null;
	for (;;) {
		const batch: StoredSignature[] = await queryRows<StoredSignature>(
			db,
			sql`SELECT j.id::text AS "jobId", j.job_no AS "jobNo", sg.signer_name AS "signerName",
					to_char(sg.signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "signedAtUtc",
					sg.strokes, j.reported_at::text AS "reportedAt"
				FROM job_signatures sg
				JOIN jobs j ON j.station_id = sg.station_id AND j.id = sg.job_id
				WHERE sg.station_id = ${stationId}::uuid
					AND ${after === null ? sql`true` : sql`(j.reported_at, j.id) > (${after.reportedAt}::timestamptz, ${after.jobId}::uuid)`}
				ORDER BY j.reported_at, j.id
				LIMIT ${SIGNATURE_BATCH}`
		);
		yield* batch;
		if (batch.length < SIGNATURE_BATCH) return;
		const last = batch[batch.length - 1];
		after = { reportedAt: last.reportedAt, jobId: last.jobId };
	}
}

/** A job number as a folder name when it is one on every system, else the job's id. */
function jobFolderName(jobNo: string, jobId: string): string {
	return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(jobNo) ? jobNo : jobId;
}

/** Writes the station's whole files and its signatures under `<folder>/files/`; returns how many. */
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
	for await (const signature of signaturesOfStation(db, found.id)) {
		const jobFolder = jobFolderName(signature.jobNo, signature.jobId);
		const svg = Buffer.from(signatureSvg(signature.strokes, signature.signerName), 'utf8');
		mkdirSync(path.join(root, jobFolder), { recursive: true });
		writeFileSync(path.join(root, jobFolder, SIGNATURE_FILE), svg);
		manifest.push([
			signature.jobNo,
			`${jobFolder}/${SIGNATURE_FILE}`,
			'signature',
			'image/svg+xml',
			String(svg.byteLength),
			createHash('sha256').update(svg).digest('hex'),
			String(SIGNATURE_WIDTH),
			String(SIGNATURE_HEIGHT),
			formatTimestampInZone(signature.signedAtUtc, station.timeZone),
			// A signature is strokes kept with the job, not a stored file: it has no file id.
			null,
			signature.jobId
		]);
	}
	writeFileSync(path.join(root, FILES_MANIFEST), toCsv(manifest, { bom: true }), 'utf8');
	return manifest.length - 1;
}
