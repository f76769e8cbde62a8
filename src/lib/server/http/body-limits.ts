/**
 * How large a request body each route accepts. Only the import upload needs megabytes, and
 * only a supervisor or an administrator may send them: the session is checked (by the auth
 * hook) before a byte of the body is read. Everything else is small.
 */
import { PUSH_BATCH_LIMIT } from '../../shared/sync';
import type { UserRole } from '../../shared/domain';
import { IMPORT_UPLOAD_PATH } from '../../shared/import-upload';
import { managesStationData } from '../../shared/roles';
import { JOB_FILE_CHUNK_BYTES, JOB_FILE_THUMBNAIL_MAX_BYTES } from '../../shared/evidence-domain';

/** Sign-in, settings forms, every tRPC call but the sync push. */
export const SMALL_BODY_LIMIT = 64 * 1024;

/**
 * The largest a sync mutation can honestly be: a new job's text fields hold at most ~4,700
 * characters (schemas.ts), which JSON encodes in well under 32 KiB even as escaped CJK.
 */
const MAX_MUTATION_BYTES = 32 * 1024;
export const SYNC_PUSH_BODY_LIMIT = PUSH_BATCH_LIMIT * MAX_MUTATION_BYTES;

/**
 * files.describe carries a thumbnail as base64 (a third larger) and a few short fields; a
 * batched call may describe several files.
 */
const DESCRIBE_BODY_LIMIT = Math.ceil(JOB_FILE_THUMBNAIL_MAX_BYTES / 3) * 4 + 4 * 1024;

/** A piece of a job file (PUT /api/files/{id}): at most one piece, nothing more. */
const FILE_PIECE_PATH = /^\/api\/files\/[^/]+$/;

const DEFAULT_IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

/** The import page's form action (without JavaScript) and its streamed upload. */
const IMPORT_PATHS: ReadonlySet<string> = new Set(['/supervisor/import', IMPORT_UPLOAD_PATH]);

/** `512K`, `20M`, `1G` or bytes, as adapter-node reads BODY_SIZE_LIMIT. */
export function parseByteSize(value: string | undefined, fallback: number): number {
	if (!value?.trim()) return fallback;
	const match = /^(\d+(?:\.\d+)?)\s*([KMG]?)B?$/i.exec(value.trim());
	if (!match) throw new Error(`BODY_SIZE_LIMIT must be bytes or a size like 20M, not "${value}".`);
	const scale = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2].toUpperCase() as '' | 'K'];
	return Math.floor(Number(match[1]) * scale);
}

/**
 * scripts/serve.mjs moves the operator's BODY_SIZE_LIMIT here (adapter-node's own limit is
 * switched off there); elsewhere (vite preview) BODY_SIZE_LIMIT is read as it is.
 */
export const importBodyLimit = parseByteSize(
	process.env.IMPORT_BODY_SIZE_LIMIT ?? process.env.BODY_SIZE_LIMIT,
	DEFAULT_IMPORT_BODY_LIMIT
);

export function bodyLimitFor(pathname: string, role: UserRole | null): number {
	if (IMPORT_PATHS.has(pathname) && role && managesStationData({ role })) return importBodyLimit;
	if (pathname.startsWith('/api/trpc/')) {
		// A batched call names its procedures comma-separated.
		const procedures = pathname.slice('/api/trpc/'.length).split(',');
		if (procedures.includes('sync.push')) return SYNC_PUSH_BODY_LIMIT;
		const describes = procedures.filter((procedure) => procedure === 'files.describe').length;
		if (describes > 0) return describes * DESCRIBE_BODY_LIMIT;
	}
	if (FILE_PIECE_PATH.test(pathname)) return JOB_FILE_CHUNK_BYTES;
	return SMALL_BODY_LIMIT;
}

/** "64 KB", "20 MB": the limit as a person reads it. */
export function formatByteSize(bytes: number): string {
	if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MB`;
	if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
	return `${bytes} B`;
}

/** Thrown into the reader of a body over its limit; answered 413 by the hooks, not logged. */
export class BodyTooLargeError extends Error {}

/**
 * How much of a refused body is still read (and thrown away) before the 413 answer: a browser
 * that is still uploading when the server answers and closes shows a network error instead of
 * the answer. Twice the limit, at least 1 MiB, lets a person who chose too big a file read why;
 * more than that is not worth the bandwidth, and the connection is closed on the sender.
 */
export function drainAllowance(limit: number): number {
	return Math.max(2 * limit, 1024 * 1024);
}

/** Reads and discards what is left of `body`, up to `allowance` bytes; then gives up on it. */
export async function discardBody(
	body: ReadableStream<Uint8Array>,
	allowance: number
): Promise<void> {
	const reader = body.getReader();
	let read = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			read += value.byteLength;
			if (read > allowance) {
				await reader.cancel();
				return;
			}
		}
	} catch {
		// The sender went away: nothing left to discard.
	}
}

/**
 * The body passed through unchanged until it exceeds `limit`, then errored: a body without
 * Content-Length (chunked) is cut off as soon as it is too large, not after it was all read.
 * The source is left paused, not cancelled: cancelling it would destroy the connection (the
 * Node adapter's stream does) before the 413 answer could be written.
 */
export function limitedStream(
	body: ReadableStream<Uint8Array>,
	limit: number,
	onExceeded: () => void
): ReadableStream<Uint8Array> {
	const reader = body.getReader();
	let received = 0;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { done, value } = await reader.read();
			if (done) {
				controller.close();
				return;
			}
			received += value.byteLength;
			if (received > limit) {
				onExceeded();
				reader.releaseLock();
				controller.error(new BodyTooLargeError(`request body over ${limit} bytes`));
				return;
			}
			controller.enqueue(value);
		},
		cancel(reason) {
			return reader.cancel(reason);
		}
	});
}
