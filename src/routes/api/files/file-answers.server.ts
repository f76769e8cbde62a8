/**
 * What the file endpoints answer (lib/shared/job-files.ts): a stored image with the headers
 * that keep a browser from doing anything with it but show it, and refusals as JSON
 * `{ message }` in the reader's language.
 */
import { json, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages.js';
import { serverDatabase } from '$lib/server/db/server-db';
import { readJobFile } from '$lib/server/files/service';
import type { JobFileVariant } from '$lib/server/files/storage';
import type { Refusal } from '$lib/server/refusal';
import { refusalText } from '$lib/server/refusal-text';

/** A year: a file id never changes content (a different file needs its own id). */
const CACHE_SECONDS = 365 * 24 * 3600;

const STATUS_OF: Record<Refusal['kind'], number> = {
	bad_request: 400,
	forbidden: 403,
	not_found: 404,
	conflict: 409
};

export function refusedAnswer(status: number, message: string, extra: object = {}): Response {
	return json({ message, ...extra }, { status, headers: { 'cache-control': 'no-store' } });
}

export function refusalAnswer(refusal: Refusal): Response {
	const status = refusal.reason.key === 'file_piece_too_large' ? 413 : STATUS_OF[refusal.kind];
	return refusedAnswer(status, refusalText(refusal.reason));
}

export function notFoundAnswer(): Response {
	return refusedAnswer(404, m.files_reason_not_found());
}

const fileIdSchema = z.uuid();

/** The id in the path, or null for one that cannot be a file's. */
export function fileIdOf(event: RequestEvent): string | null {
	const parsed = fileIdSchema.safeParse(event.params.id);
	return parsed.success ? parsed.data : null;
}

/** GET of a file or its thumbnail: the bytes to a reader of the job, else 404 (or 401). */
export async function serveJobFile(
	event: RequestEvent,
	variant: JobFileVariant
): Promise<Response> {
	const user = event.locals.user;
	if (!user) return refusedAnswer(401, m.srv_sign_in_first());
	const fileId = fileIdOf(event);
	if (!fileId) return notFoundAnswer();
	const { db } = await serverDatabase();
	const file = await readJobFile(db, user, fileId, variant);
	if (!file) return notFoundAnswer();
	return new Response(file.data, {
		headers: {
			'content-type': file.contentType,
			'content-length': String(file.data.byteLength),
			// Personal data: the reader's browser keeps it, no shared cache does.
			'cache-control': `private, max-age=${CACHE_SECONDS}, immutable`,
			'x-content-type-options': 'nosniff',
			'content-disposition': 'inline',
			// Opened on its own the image is a document: one that may load and run nothing.
			'content-security-policy': "default-src 'none'; img-src 'self'; sandbox",
			'cross-origin-resource-policy': 'same-origin'
		}
	});
}
