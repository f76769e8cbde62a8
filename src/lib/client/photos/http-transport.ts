/**
 * The browser's photo transport: `files.describe` and `files.progress` through the tRPC wire the
 * sync uses (sync/trpc-transport.ts onlineCall), each piece as `PUT /api/files/{id}?offset=N`
 * (shared/job-files.ts).
 */
import { z } from 'zod/mini';
import { jobFilePath } from '../../shared/job-files';
import { onlineCall } from '../sync/trpc-transport';
import { PhotoUploadFailure, type PhotoFailureKind, type PhotoTransport } from './transport';

const progressSchema = z.object({
	id: z.string(),
	receivedBytes: z.number(),
	byteSize: z.number(),
	stored: z.boolean()
});

/** What an error answer means for the queue, from its HTTP status and tRPC code. */
export function failureKind(status: number | undefined, code?: string): PhotoFailureKind {
	if (status === undefined || status === 502 || status === 503 || status === 504) return 'offline';
	if (status === 401 || code === 'UNAUTHORIZED') return 'unauthorized';
	if (status === 404 || code === 'NOT_FOUND') return 'jobUnknown';
	if (status === 408 || status === 429 || status >= 500) return 'server';
	return 'refused';
}

function failureOf(error: unknown): PhotoUploadFailure {
	const { status, code } = (error ?? {}) as { status?: number; code?: string };
	const message = error instanceof Error ? error.message : String(error);
	return new PhotoUploadFailure(failureKind(status, code), message, { cause: error });
}

async function call(type: 'query' | 'mutation', path: string, input: unknown): Promise<unknown> {
	try {
		return await onlineCall(type, path, input);
	} catch (error) {
		throw failureOf(error);
	}
}

export const httpPhotoTransport: PhotoTransport = {
	async describe(input) {
		const answer = progressSchema.safeParse(await call('mutation', 'files.describe', input));
		return answer.success ? answer.data : null;
	},

	async progress(ids) {
		const answer = z
			.array(progressSchema)
			.safeParse(await call('query', 'files.progress', { ids }));
		if (!answer.success) {
			throw new PhotoUploadFailure('server', `Unexpected progress answer: ${answer.error.message}`);
		}
		return answer.data;
	},

	async sendPiece(id, offset, piece) {
		let response: Response;
		try {
			response = await fetch(`${jobFilePath(id)}?offset=${offset}`, {
				method: 'PUT',
				body: piece,
				headers: { 'content-type': 'application/octet-stream' },
				cache: 'no-store'
			});
		} catch (error) {
			throw new PhotoUploadFailure('offline', String(error), { cause: error });
		}
		// 200: the progress; 409: `{ message, progress }`, the server expected another offset.
		if (response.ok || response.status === 409) {
			const answer = (await response.json().catch(() => null)) as { progress?: unknown } | null;
			const said = progressSchema.safeParse(response.ok ? answer : answer?.progress);
			if (said.success) return said.data;
			const [progress] = await this.progress([id]);
			if (!progress) throw new PhotoUploadFailure('jobUnknown', `The server has no file ${id}`);
			return progress;
		}
		const text = await response.text().catch(() => '');
		throw new PhotoUploadFailure(
			failureKind(response.status),
			`HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`
		);
	}
};
