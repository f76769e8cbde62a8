/**
 * How the photo queue reaches the server (shared/job-files.ts, the contract the server builds
 * to). The browser's transport is http-transport.ts; the tests plug in a fake server.
 */
import type { DescribeJobFile, JobFileProgress } from '../../shared/job-files';

/**
 * Why a request failed, as the queue needs to know it:
 * - offline: no answer (no network, server down, connection cut): the whole queue waits;
 * - unauthorized: the session expired: the queue waits for the next sign-in;
 * - jobUnknown: the server does not know the photo's job (yet: its creation has not arrived):
 *   this photo is tried again later, the others go on;
 * - refused: the server refuses the photo for good (too large, not an image, the same id with
 *   other bytes, too many files): it is never sent again;
 * - server: any other error answer: the queue retries with backoff.
 */
export type PhotoFailureKind = 'offline' | 'unauthorized' | 'jobUnknown' | 'refused' | 'server';

export class PhotoUploadFailure extends Error {
	constructor(
		readonly kind: PhotoFailureKind,
		message: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
		this.name = 'PhotoUploadFailure';
	}
}

export interface PhotoTransport {
	/** Describes the file (a no-op when described already); its progress when the answer says it. */
	describe(input: DescribeJobFile): Promise<JobFileProgress | null>;
	progress(ids: string[]): Promise<JobFileProgress[]>;
	/**
	 * Sends the piece starting at `offset`. The answer is where the server has got to: after this
	 * piece, or, when it expected another offset (409), where it really is.
	 */
	sendPiece(id: string, offset: number, piece: Blob): Promise<JobFileProgress>;
}
