/**
 * A job's photos as the phone keeps them (local/db.ts version 3). The description and the
 * thumbnail stay for good; the full-size file lives in a table of its own so that it can be freed
 * once the server has stored it (the server then serves it: shared/job-files.ts jobFilePath).
 * Photos never enter the outbox: they have their own upload queue (uploader.ts), which waits
 * for the job to reach the server and never holds back the job's changes.
 */
import type { JobFileKind } from '../../shared/evidence-domain';

/** The kinds a technician picks for a photo (the signature is not a photo). */
export const PHOTO_KINDS = ['before', 'after', 'part', 'other'] as const satisfies JobFileKind[];
export type PhotoKind = (typeof PHOTO_KINDS)[number];

/**
 * - waiting: not (completely) sent yet, including a photo whose upload was cut halfway;
 * - uploading: being sent now (a row left so by a closed tab is picked up as waiting);
 * - stored: the server has the whole file and its hash matched;
 * - refused: the server refused it for good (`refusal` says why); it is never sent again.
 */
export type PhotoUploadState = 'waiting' | 'uploading' | 'stored' | 'refused';

export interface PhotoRecord {
	/** Made on the phone: the server's key, so sending it again stores it once. */
	id: string;
	jobId: string;
	kind: PhotoKind;
	contentType: 'image/jpeg';
	byteSize: number;
	/** Lower-case hex SHA-256 of the full-size file. */
	sha256: string;
	width: number;
	height: number;
	takenAt: Date;
	thumbnail: Blob;
	state: PhotoUploadState;
	/** How many bytes the server said it had, for "uploading x %". */
	sentBytes: number;
	/** Consecutive failed attempts of this photo alone (its job not on the server yet). */
	failures: number;
	/** Not tried again before this time; null: whenever the queue runs. */
	notBefore: Date | null;
	/** The server's reason when refused. */
	refusal: string | null;
}

/** The full-size file of a photo, until the server has stored it. */
export interface PhotoFile {
	id: string;
	blob: Blob;
}
