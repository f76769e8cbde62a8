/**
 * Where a job file's bytes live: PostgreSQL, in job_file_contents (a whole file and its
 * thumbnail) and job_file_pieces (an upload under way), tables that nothing that syncs or
 * scores reads. Every read and write of bytes is here and nowhere else, so moving them to
 * object storage (docs/files.md) changes this file, not the rules in service.ts. Each function
 * runs inside the caller's transaction; the caller has checked scope and locked the file's row.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { jobFileContents, jobFilePieces } from '../db/schema';
import type { JobFileType } from '../../shared/evidence-domain';
import { SNIFF_BYTES } from './sniff';

export type JobFileVariant = 'full' | 'thumbnail';

interface FileKey {
	stationId: string;
	fileId: string;
}

/** postgres.js answers bytea with a Buffer, PGlite with a Uint8Array: the same view for both. */
function bytesOf(value: Uint8Array): Uint8Array {
	return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/** A parameter both drivers send as bytea. */
const byteaParam = (bytes: Uint8Array) => sql`${Buffer.from(bytes)}::bytea`;

/** The pieces joined in offset order, as SQL: the one expression of "the bytes so far". */
const joinedPieces = ({ stationId, fileId }: FileKey) =>
	sql`(SELECT string_agg(data, ''::bytea ORDER BY byte_offset) FROM ${jobFilePieces}
		WHERE station_id = ${stationId}::uuid AND file_id = ${fileId}::uuid)`;

export async function saveThumbnail(
	db: Queryable,
	key: FileKey,
	contentType: JobFileType,
	data: Uint8Array
): Promise<void> {
	await db
		.insert(jobFileContents)
		.values({ ...key, variant: 'thumbnail', contentType, data: Buffer.from(data) });
}

export async function savePiece(
	db: Queryable,
	key: FileKey,
	byteOffset: number,
	data: Uint8Array
): Promise<void> {
	await db.insert(jobFilePieces).values({ ...key, byteOffset, data: Buffer.from(data) });
}

/**
 * Whether the bytes already received at [offset, offset + data.length) are `data`: from the
 * pieces while uploading, from the whole file once stored.
 */
export async function sameAsReceived(
	db: Queryable,
	key: FileKey,
	stored: boolean,
	offset: number,
	data: Uint8Array
): Promise<boolean> {
	const received = stored
		? sql`(SELECT data FROM ${jobFileContents} WHERE station_id = ${key.stationId}::uuid
				AND file_id = ${key.fileId}::uuid AND variant = 'full')`
		: joinedPieces(key);
	const [row] = await queryRows<{ same: boolean | null }>(
		db,
		sql`SELECT substring(${received} FROM ${offset + 1}::int FOR ${data.length}::int)
			= ${byteaParam(data)} AS same`
	);
	return row?.same === true;
}

/** The joined pieces' SHA-256 (hex), length and first bytes, computed in the database. */
export async function piecesDigest(
	db: Queryable,
	key: FileKey
): Promise<{ sha256: string; byteLength: number; head: Uint8Array }> {
	const [row] = await queryRows<{ sha256: string; byteLength: number; head: Uint8Array }>(
		db,
		sql`SELECT encode(sha256(whole.data), 'hex') AS sha256, length(whole.data)::int AS "byteLength",
				substring(whole.data FROM 1 FOR ${SNIFF_BYTES}::int) AS head
			FROM (SELECT ${joinedPieces(key)} AS data) whole`
	);
	return { ...row, head: bytesOf(row.head) };
}

/** Keeps the joined pieces as the whole file and removes the pieces. */
export async function storePiecesAsFull(
	db: Queryable,
	key: FileKey,
	contentType: JobFileType
): Promise<void> {
	await db.execute(
		sql`INSERT INTO ${jobFileContents} (station_id, file_id, variant, content_type, data)
			SELECT ${key.stationId}::uuid, ${key.fileId}::uuid, 'full', ${contentType}, ${joinedPieces(key)}`
	);
	await dropPieces(db, key);
}

export async function dropPieces(db: Queryable, key: FileKey): Promise<void> {
	await db
		.delete(jobFilePieces)
		.where(and(eq(jobFilePieces.stationId, key.stationId), eq(jobFilePieces.fileId, key.fileId)));
}

export async function readContent(
	db: Queryable,
	key: FileKey,
	variant: JobFileVariant
): Promise<{ contentType: JobFileType; data: Uint8Array } | null> {
	const [row] = await db
		.select({ contentType: jobFileContents.contentType, data: jobFileContents.data })
		.from(jobFileContents)
		.where(
			and(
				eq(jobFileContents.stationId, key.stationId),
				eq(jobFileContents.fileId, key.fileId),
				eq(jobFileContents.variant, variant)
			)
		);
	return row ? { contentType: row.contentType, data: bytesOf(row.data) } : null;
}

/** Each whole file of a station with its bytes, one at a time (an export writes them out). */
export async function* storedFilesOfStation(
	db: Queryable,
	stationId: string
): AsyncGenerator<StoredFile> {
	const files = await queryRows<Omit<StoredFile, 'data'>>(
		db,
		sql`SELECT f.id::text AS "fileId", j.id::text AS "jobId", j.job_no AS "jobNo", f.kind,
				f.content_type AS "contentType", f.byte_size::int AS "byteSize", f.sha256,
				f.width::int AS width, f.height::int AS height,
				to_char(f.taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "takenAtUtc"
			FROM job_files f
			JOIN jobs j ON j.station_id = f.station_id AND j.id = f.job_id
			WHERE f.station_id = ${stationId}::uuid AND f.stored_at IS NOT NULL
			ORDER BY j.reported_at, j.job_no COLLATE "C", f.taken_at, f.id`
	);
	for (const file of files) {
		const content = await readContent(db, { stationId, fileId: file.fileId }, 'full');
		// Removed since the list was read (its job deleted): nothing to write.
		if (content) yield { ...file, data: content.data };
	}
}

export interface StoredFile {
	fileId: string;
	jobId: string;
	jobNo: string;
	kind: string;
	contentType: JobFileType;
	byteSize: number;
	sha256: string;
	width: number | null;
	height: number | null;
	/** UTC, as `YYYY-MM-DDTHH:MI:SS.US`, for the export to write in the station's zone. */
	takenAtUtc: string;
	data: Uint8Array;
}
