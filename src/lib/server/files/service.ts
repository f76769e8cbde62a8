/**
 * The files of a job (issue 14): photos and signatures, uploaded as lib/shared/job-files.ts
 * says. Described first (the row and its thumbnail), then received in pieces from where the
 * server has got to, joined and checked (SHA-256 and magic bytes, in the database) when the
 * last piece arrives. Every step runs in a transaction holding the file's row FOR UPDATE, so
 * pieces sent at once for the same file are taken one after the other.
 *
 * Scope (roles.md): a file is evidence of a visit, so it is added by those who record visits
 * (jobs/access.ts jobEditableBy: a technician on their own unverified job, a supervisor on the
 * station's), and read by whoever may read the job (jobVisibleTo: the technician their own, the
 * desk, supervisors and station administrators the station's). Anything outside that is
 * NOT_FOUND, whether or not it exists.
 */
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { inTransaction } from '../db/change-context';
import { jobFiles, jobs, type JobFile } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import {
	jobEditableBy,
	jobVisibleTo,
	requireVisitRecorder,
	visibleJobCondition
} from '../jobs/access';
import { refusal } from '../refusal';
import {
	JOB_FILE_CHUNK_BYTES,
	JOB_FILES_PER_JOB,
	JOB_FILE_THUMBNAIL_MAX_BYTES,
	type JobFileType
} from '../../shared/evidence-domain';
import type { DescribeJobFile, JobFileProgress, JobFileSummary } from '../../shared/job-files';
import { worksInStation } from '../../shared/roles';
import { SNIFF_BYTES, sniffImageType } from './sniff';
import {
	dropPieces,
	piecesDigest,
	readContent,
	sameAsReceived,
	saveThumbnail,
	savePiece,
	storePiecesAsFull,
	type JobFileVariant
} from './storage';

/** A description as the service takes it: the shared schema's output (takenAt a Date). */
export type JobFileDescription = Omit<DescribeJobFile, 'takenAt'> & { takenAt: Date };

/**
 * What became of a piece: `stored` (appended; the file may now be whole), `duplicate` (those
 * bytes had arrived already: nothing stored twice), `elsewhere` (the server has got to another
 * offset: the phone resumes from progress.receivedBytes; HTTP 409).
 */
export interface PieceOutcome {
	outcome: 'stored' | 'duplicate' | 'elsewhere';
	progress: JobFileProgress;
}

const TYPE_NAMES: Record<JobFileType, string> = {
	'image/jpeg': 'JPEG',
	'image/png': 'PNG',
	'image/webp': 'WebP'
};

function progressOf(file: JobFile): JobFileProgress {
	return {
		id: file.id,
		receivedBytes: file.receivedBytes,
		byteSize: file.byteSize,
		stored: file.storedAt !== null
	};
}

function fileNotFound(fileId: string) {
	return refusal('NOT_FOUND', `File ${fileId} was not found.`, 'file_not_found');
}

/**
 * A system administrator and a region manager do no station work (trpc/core.ts authedProcedure,
 * shared/roles.ts worksInStation); the endpoints ask here.
 */
function requireStationWorker(user: SessionUser, fileId: string): void {
	if (!worksInStation(user)) throw fileNotFound(fileId);
}

/** The file, if it belongs to a job this user may read; locked FOR UPDATE when asked. */
async function visibleFile(
	db: Queryable,
	user: SessionUser,
	fileId: string,
	lock = false
): Promise<JobFile | null> {
	requireStationWorker(user, fileId);
	const query = db
		.select({ file: jobFiles })
		.from(jobFiles)
		.innerJoin(jobs, and(eq(jobs.stationId, jobFiles.stationId), eq(jobs.id, jobFiles.jobId)))
		.where(
			and(
				eq(jobFiles.stationId, user.stationId),
				eq(jobFiles.id, fileId),
				visibleJobCondition(user)
			)
		)
		.limit(1);
	const [found] = lock ? await query.for('update', { of: jobFiles }) : await query;
	return found?.file ?? null;
}

/** The same id described again: the same file (its progress) or a clash, refused. */
function sameDescription(file: JobFile, input: JobFileDescription): JobFileProgress {
	const same =
		file.jobId === input.jobId &&
		file.kind === input.kind &&
		file.contentType === input.contentType &&
		file.byteSize === input.byteSize &&
		file.sha256 === input.sha256;
	if (!same) {
		throw refusal(
			'CONFLICT',
			`File ${file.id} was described before with another job, kind, type, size or SHA-256; a different file needs its own id.`,
			'file_id_taken'
		);
	}
	return progressOf(file);
}

/** The thumbnail's bytes; base64's length bound (the shared schema) lets two bytes too many pass. */
function thumbnailBytes(text: string): Uint8Array {
	const bytes = new Uint8Array(Buffer.from(text, 'base64'));
	if (bytes.length > JOB_FILE_THUMBNAIL_MAX_BYTES) {
		throw refusal(
			'BAD_REQUEST',
			`The thumbnail holds ${bytes.length} bytes, more than ${JOB_FILE_THUMBNAIL_MAX_BYTES}.`,
			'file_thumbnail_too_large',
			{ max: JOB_FILE_THUMBNAIL_MAX_BYTES }
		);
	}
	return bytes;
}

function notDeclaredType(declared: JobFileType) {
	return refusal(
		'BAD_REQUEST',
		`The file is not a ${TYPE_NAMES[declared]} image as described; only JPEG, PNG and WebP images are kept.`,
		'file_not_declared_type',
		{ type: TYPE_NAMES[declared] }
	);
}

/** The thumbnail's own type: any accepted image (a small JPEG of a PNG signature is fine). */
function thumbnailType(bytes: Uint8Array): JobFileType {
	const found = sniffImageType(bytes);
	if (found === null) {
		throw refusal(
			'BAD_REQUEST',
			'The thumbnail is not a JPEG, PNG or WebP image.',
			'file_thumbnail_not_image'
		);
	}
	return found;
}

/**
 * Describes a file and stores its thumbnail; returns how far its upload has got. Describing
 * the same id again with the same job, kind, type, size and hash is the same answer (a phone
 * that lost the first answer asks again); anything else under that id is refused.
 */
export async function describeJobFile(
	db: Queryable,
	user: SessionUser,
	input: JobFileDescription
): Promise<JobFileProgress> {
	requireStationWorker(user, input.id);
	const thumbnail = thumbnailBytes(input.thumbnail);
	const thumbnailContentType = thumbnailType(thumbnail);
	return inTransaction(db, user, async (tx) => {
		const known = await visibleFile(tx, user, input.id);
		if (known) return sameDescription(known, input);
		// Locking the job orders describes of the same job, so the count below holds.
		await jobEditableBy(tx, user, input.jobId, { lock: true });
		const [{ files }] = await tx
			.select({ files: count() })
			.from(jobFiles)
			.where(and(eq(jobFiles.stationId, user.stationId), eq(jobFiles.jobId, input.jobId)));
		if (files >= JOB_FILES_PER_JOB) {
			throw refusal(
				'BAD_REQUEST',
				`A job holds at most ${JOB_FILES_PER_JOB} files.`,
				'job_files_full',
				{ max: JOB_FILES_PER_JOB }
			);
		}
		const [inserted] = await tx
			.insert(jobFiles)
			.values({
				stationId: user.stationId,
				id: input.id,
				jobId: input.jobId,
				kind: input.kind,
				contentType: input.contentType,
				byteSize: input.byteSize,
				sha256: input.sha256,
				width: input.width ?? null,
				height: input.height ?? null,
				takenAt: input.takenAt,
				uploadedBy: user.id
			})
			.onConflictDoNothing()
			.returning();
		if (!inserted) {
			// Described at the same moment on another job: the id is that file's.
			const other = await visibleFile(tx, user, input.id);
			if (other) return sameDescription(other, input);
			throw refusal('CONFLICT', `File id ${input.id} is taken.`, 'file_id_taken');
		}
		await saveThumbnail(
			tx,
			{ stationId: user.stationId, fileId: input.id },
			thumbnailContentType,
			thumbnail
		);
		return progressOf(inserted);
	});
}

/**
 * Receives the piece of file `fileId` that starts at `offset`. Pieces go on where the server
 * has got to; a piece already received (same bytes) is answered with the progress and not
 * stored again, other bytes under a received offset are refused. The last piece makes the file
 * whole: joined, its hash and type checked, kept as the `full` variant. A hash that does not
 * match drops the pieces and starts the file again from 0 (the refusal says so).
 *
 * A file described before its job was verified may still be completed afterwards: its
 * description was accepted while the job was open, and evidence must not be lost to the order
 * in which a phone's queues drain.
 */
export async function receiveJobFilePiece(
	db: Queryable,
	user: SessionUser,
	fileId: string,
	offset: number,
	data: Uint8Array
): Promise<PieceOutcome> {
	requireStationWorker(user, fileId);
	requireVisitRecorder(user);
	if (data.length === 0) {
		throw refusal('BAD_REQUEST', 'A piece holds at least one byte.', 'file_piece_empty');
	}
	if (data.length > JOB_FILE_CHUNK_BYTES) {
		throw refusal(
			'BAD_REQUEST',
			`A piece holds at most ${JOB_FILE_CHUNK_BYTES} bytes.`,
			'file_piece_too_large',
			{ max: JOB_FILE_CHUNK_BYTES }
		);
	}
	const outcome = await inTransaction(db, user, async (tx) => {
		const file = await visibleFile(tx, user, fileId, true);
		if (!file) throw fileNotFound(fileId);
		const key = { stationId: user.stationId, fileId };
		const end = offset + data.length;
		if (end > file.byteSize) {
			throw refusal(
				'BAD_REQUEST',
				`The piece ends at byte ${end}, past the file's ${file.byteSize} bytes.`,
				'file_piece_past_end',
				{ size: file.byteSize }
			);
		}
		if (offset < file.receivedBytes && end <= file.receivedBytes) {
			if (!(await sameAsReceived(tx, key, file.storedAt !== null, offset, data))) {
				throw refusal(
					'CONFLICT',
					`The bytes at offset ${offset} differ from those already received for file ${fileId}.`,
					'file_bytes_differ'
				);
			}
			return { outcome: 'duplicate' as const, progress: progressOf(file) };
		}
		if (offset !== file.receivedBytes) {
			return { outcome: 'elsewhere' as const, progress: progressOf(file) };
		}
		// Refused at the first piece already when it holds the signature: no 5 MB of HTML to wait for.
		if (offset === 0 && data.length >= SNIFF_BYTES && sniffImageType(data) !== file.contentType) {
			throw notDeclaredType(file.contentType);
		}
		await savePiece(tx, key, offset, data);
		if (end < file.byteSize) {
			const [updated] = await tx
				.update(jobFiles)
				.set({ receivedBytes: end })
				.where(and(eq(jobFiles.stationId, user.stationId), eq(jobFiles.id, fileId)))
				.returning();
			return { outcome: 'stored' as const, progress: progressOf(updated) };
		}
		return completeFile(tx, file, key);
	});
	if ('restarted' in outcome) throw outcome.restarted;
	return outcome;
}

/**
 * The last piece arrived: the whole file checked in the database (hash) and by its first bytes
 * (type), then kept, or its pieces dropped so that the phone sends it again from 0: the
 * transaction commits the restart and the caller throws the refusal after it.
 */
async function completeFile(
	tx: Queryable,
	file: JobFile,
	key: { stationId: string; fileId: string }
): Promise<PieceOutcome | { restarted: Error }> {
	const digest = await piecesDigest(tx, key);
	const where = and(eq(jobFiles.stationId, key.stationId), eq(jobFiles.id, key.fileId));
	const hashMatches = digest.sha256 === file.sha256 && digest.byteLength === file.byteSize;
	if (!hashMatches || sniffImageType(digest.head) !== file.contentType) {
		await dropPieces(tx, key);
		await tx.update(jobFiles).set({ receivedBytes: 0 }).where(where);
		return {
			restarted: hashMatches
				? notDeclaredType(file.contentType)
				: refusal(
						'CONFLICT',
						`File ${key.fileId} arrived with SHA-256 ${digest.sha256}, not the ${file.sha256} it was described with; its pieces were dropped, send it again from the start.`,
						'file_hash_mismatch'
					)
		};
	}
	await storePiecesAsFull(tx, key, file.contentType);
	const [stored] = await tx
		.update(jobFiles)
		.set({ receivedBytes: file.byteSize, storedAt: sql`now()` })
		.where(where)
		.returning();
	return { outcome: 'stored', progress: progressOf(stored) };
}

/** How far each of these files has got; ids this user may not read are left out. */
export async function jobFileProgress(
	db: Queryable,
	user: SessionUser,
	ids: readonly string[]
): Promise<JobFileProgress[]> {
	if (ids.length === 0) return [];
	const rows = await db
		.select({ file: jobFiles })
		.from(jobFiles)
		.innerJoin(jobs, and(eq(jobs.stationId, jobFiles.stationId), eq(jobs.id, jobFiles.jobId)))
		.where(
			and(
				eq(jobFiles.stationId, user.stationId),
				inArray(jobFiles.id, [...ids]),
				visibleJobCondition(user)
			)
		);
	return rows.map(({ file }) => progressOf(file));
}

/** The files of a job this user may read, in the order they were taken. */
export async function filesOfJob(
	db: Queryable,
	user: SessionUser,
	jobId: string
): Promise<JobFileSummary[]> {
	await jobVisibleTo(db, user, jobId);
	const rows = await db
		.select()
		.from(jobFiles)
		.where(and(eq(jobFiles.stationId, user.stationId), eq(jobFiles.jobId, jobId)))
		.orderBy(jobFiles.takenAt, jobFiles.id);
	return rows.map((file) => ({
		id: file.id,
		kind: file.kind,
		contentType: file.contentType,
		byteSize: file.byteSize,
		width: file.width,
		height: file.height,
		takenAt: file.takenAt.toISOString(),
		stored: file.storedAt !== null
	}));
}

/**
 * A file's bytes for a reader of its job: the whole file once stored, the thumbnail from its
 * description on. Null for a file out of scope, unknown, or not yet whole.
 */
export async function readJobFile(
	db: Queryable,
	user: SessionUser,
	fileId: string,
	variant: JobFileVariant
): Promise<{ contentType: JobFileType; data: Uint8Array<ArrayBuffer> } | null> {
	if (!worksInStation(user)) return null;
	const file = await visibleFile(db, user, fileId);
	if (!file || (variant === 'full' && file.storedAt === null)) return null;
	return readContent(db, { stationId: user.stationId, fileId }, variant);
}
