/**
 * PUT /api/files/{id}?offset=N: a piece of a described file (lib/shared/job-files.ts), as
 * application/octet-stream. The body limit (one piece) is the hooks' (http/body-limits.ts): a
 * declared larger body is answered 413 before it is read, a chunked one as soon as it passes.
 * 200 with the progress when taken (or already had), 409 with the progress when the server
 * has got elsewhere (the phone resumes from there). GET: the whole file, to a reader of its job.
 */
import { m } from '$lib/paraglide/messages.js';
import { serverDatabase } from '$lib/server/db/server-db';
import { receiveJobFilePiece } from '$lib/server/files/service';
import { refusalIn } from '$lib/server/refusal';
import { JOB_FILE_MAX_BYTES } from '$lib/shared/evidence-domain';
import type { RequestHandler } from './$types';
import {
	fileIdOf,
	notFoundAnswer,
	refusalAnswer,
	refusedAnswer,
	serveJobFile
} from '../file-answers.server';

const OFFSET = /^\d{1,8}$/;

export const GET: RequestHandler = (event) => serveJobFile(event, 'full');

export const PUT: RequestHandler = async (event) => {
	const { locals, request, url } = event;
	const user = locals.user;
	if (!user) return refusedAnswer(401, m.srv_sign_in_first());
	const fileId = fileIdOf(event);
	if (!fileId) return notFoundAnswer();
	const type = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
	if (type !== 'application/octet-stream') {
		return refusedAnswer(415, m.files_upload_not_octet_stream());
	}
	const offsetText = url.searchParams.get('offset') ?? '';
	const offset = OFFSET.test(offsetText) ? Number(offsetText) : NaN;
	if (!(offset < JOB_FILE_MAX_BYTES)) return refusedAnswer(400, m.files_upload_offset_invalid());
	const piece = new Uint8Array(await request.arrayBuffer());
	const { db } = await serverDatabase();
	try {
		const { outcome, progress } = await receiveJobFilePiece(db, user, fileId, offset, piece);
		if (outcome === 'elsewhere') {
			const message = m.files_upload_elsewhere({ received: progress.receivedBytes });
			return refusedAnswer(409, message, { progress });
		}
		return Response.json(progress, { headers: { 'cache-control': 'no-store' } });
	} catch (error) {
		const refusal = refusalIn(error);
		if (refusal) return refusalAnswer(refusal);
		throw error;
	}
};
