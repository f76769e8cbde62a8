import { fail } from '@sveltejs/kit';
import { serverDatabase } from '$lib/server/db/server-db';
import {
	IMPORT_LIMITS,
	INTERCHANGE_FILE_NAMES,
	MAX_LISTED_PROBLEMS
} from '$lib/server/interchange';
import { importUploadedFiles, uploadedImportFiles } from '$lib/server/interchange/upload';
import { getLocale } from '$lib/paraglide/runtime';
import { formatByteSize, importBodyLimit } from '$lib/server/http/body-limits';
import { requireStationDataManager } from '../../access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const user = requireStationDataManager(locals);
	return {
		stationName: user.stationName,
		fileNames: INTERCHANGE_FILE_NAMES,
		limits: { ...IMPORT_LIMITS, problems: MAX_LISTED_PROBLEMS },
		uploadLimit: formatByteSize(importBodyLimit)
	};
};

export const actions: Actions = {
	/**
	 * The page without JavaScript: the files are imported at once, with no preview (a preview's
	 * files could not be sent again without a script). With JavaScript the page previews and
	 * imports through ./upload, showing progress.
	 */
	default: async ({ locals, request }) => {
		const user = requireStationDataManager(locals);
		// In the language of the page that sent the files (the import's problems are codes).
		const locale = getLocale();
		const upload = await uploadedImportFiles(await request.formData(), locale);
		if (!upload.ok) return fail(400, { outcome: upload.outcome });
		const { db } = await serverDatabase();
		const outcome = await importUploadedFiles(db, user, upload.files, {
			mode: 'import',
			locale,
			sheetRows: upload.sheetRows
		});
		return outcome.kind === 'done' ? { outcome } : fail(400, { outcome });
	}
};
