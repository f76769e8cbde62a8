/**
 * The import page's streamed upload (shared/import-upload.ts): a preview (dry run) or the
 * import of the files sent, answered as NDJSON progress lines and then the outcome. The
 * session, the Host, the origin of a form post (SvelteKit's CSRF check) and the body's size
 * (hooks, http/body-limits.ts) are checked before this runs.
 */
import { error } from '@sveltejs/kit';
import { serverDatabase } from '$lib/server/db/server-db';
import { importUploadResponse } from '$lib/server/interchange/upload';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages.js';
import { IMPORT_UPLOAD_FIELDS, IMPORT_UPLOAD_MODES } from '$lib/shared/import-upload';
import { requireStationDataManager } from '../../../access';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, request }) => {
	const user = requireStationDataManager(locals);
	const form = await request.formData();
	const mode = IMPORT_UPLOAD_MODES.find((known) => known === form.get(IMPORT_UPLOAD_FIELDS.mode));
	if (!mode) error(400, m.upl_mode_invalid({ modes: IMPORT_UPLOAD_MODES.join(', ') }));
	const { db } = await serverDatabase();
	return importUploadResponse(db, user, form, { mode, locale: getLocale() });
};
