/**
 * The upload of a job's photos and signature (issue 14), as the phone and the server both read
 * it. A file is described first (tRPC `files.describe`, with its thumbnail), then its bytes go in
 * pieces (`PUT /api/files/{id}?offset=N`, application/octet-stream, at most
 * JOB_FILE_CHUNK_BYTES each) from where the server says it has got to, so an upload cut halfway
 * resumes instead of starting again, and a file sent twice is stored once (the phone's id is
 * the key; the same id with other bytes is refused). `GET /api/files/{id}` and
 * `GET /api/files/{id}/thumbnail` serve them to whoever may read the job.
 */
import { z } from 'zod/mini';
import {
	JOB_FILE_KINDS,
	JOB_FILE_MAX_BYTES,
	JOB_FILE_THUMBNAIL_MAX_BYTES,
	JOB_FILE_TYPES
} from './evidence-domain';
import { timeSchema } from './schemas';

/** Base64 of at most `bytes` bytes (standard alphabet, padded). */
const base64Of = /* @__NO_SIDE_EFFECTS__ */ (bytes: number) =>
	z
		.string()
		.check(
			z.maxLength(4 * Math.ceil(bytes / 3)),
			z.regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be base64')
		);

const dimension = /* @__PURE__ */ z.number().check(z.int(), z.positive(), z.lte(20_000));

export const describeJobFileSchema = z.strictObject({
	/** Made on the phone: re-sending the same description is a no-op. */
	id: z.uuid(),
	jobId: z.uuid(),
	kind: z.enum(JOB_FILE_KINDS),
	contentType: z.enum(JOB_FILE_TYPES),
	byteSize: /* @__PURE__ */ z.number().check(z.int(), z.positive(), z.lte(JOB_FILE_MAX_BYTES)),
	/** Lower-case hex SHA-256 of the whole file. */
	sha256: /* @__PURE__ */ z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex')),
	width: z.optional(dimension),
	height: z.optional(dimension),
	takenAt: timeSchema,
	/** A small JPEG (or the file's own type) the job pages show before the file is whole. */
	thumbnail: base64Of(JOB_FILE_THUMBNAIL_MAX_BYTES)
});
export type DescribeJobFile = z.input<typeof describeJobFileSchema>;

export const jobFileProgressQuerySchema = z.strictObject({
	ids: /* @__PURE__ */ z.array(z.uuid()).check(z.maxLength(100))
});

/** How far the server has got with a file: the next piece starts at receivedBytes. */
export interface JobFileProgress {
	id: string;
	receivedBytes: number;
	byteSize: number;
	/** The whole file arrived and matched its hash: the phone may free its copy. */
	stored: boolean;
}

/** A file as a job page lists it. */
export interface JobFileSummary {
	id: string;
	kind: (typeof JOB_FILE_KINDS)[number];
	contentType: (typeof JOB_FILE_TYPES)[number];
	byteSize: number;
	width: number | null;
	height: number | null;
	takenAt: string;
	stored: boolean;
}

export const jobFilePath = (id: string) => `/api/files/${id}`;
export const jobFileThumbnailPath = (id: string) => `/api/files/${id}/thumbnail`;
