import { fail } from '@sveltejs/kit';
import { serverDatabase } from '$lib/server/db/server-db';
import { refreshAfterWrite } from '$lib/server/kpi/fact-refresh';
import {
	IMPORT_LIMITS,
	INTERCHANGE_FILE_NAMES,
	MAX_LISTED_PROBLEMS,
	importStationFiles,
	renderProblem
} from '$lib/server/interchange';
import type { ImportFiles } from '$lib/server/interchange';
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
	default: async ({ locals, request }) => {
		const user = requireStationDataManager(locals);
		const form = await request.formData();
		// A file input left empty still sends one nameless, empty file.
		const uploads = form
			.getAll('files')
			.filter((entry): entry is File => entry instanceof File && entry.name !== '');
		if (uploads.length === 0) return fail(400, { reason: 'no_files' as const });

		// In one pass: a hostile form can carry a hundred thousand empty files.
		const seen = new Set<string>();
		const repeated = new Set<string>();
		for (const { name } of uploads) (seen.has(name) ? repeated : seen).add(name);
		if (repeated.size > 0) {
			return fail(400, { reason: 'duplicate_files' as const, repeated: [...repeated] });
		}

		// No prototype: a file named "__proto__" is an unknown file, not the object's prototype.
		const files: ImportFiles = Object.create(null);
		for (const upload of uploads) files[upload.name] = new Uint8Array(await upload.arrayBuffer());
		const { db } = await serverDatabase();
		// Always the supervisor's own station: the form has no station field to tamper with.
		// The importer's role decides which roles technicians.csv may give (roles.md).
		const result = await importStationFiles(db, { stationCode: user.stationCode }, files, {
			actor: { kind: 'user', user }
		});
		// What the import marked: its first batches now, the rest by the background worker.
		if (result.ok) await refreshAfterWrite(db, user.stationId);
		if (!result.ok) {
			// In the language of the page that sent the files (the import's problems are codes).
			const locale = getLocale();
			return fail(400, {
				reason: 'problems' as const,
				problems: result.problems.map((problem) => renderProblem(problem, locale)),
				omitted: result.omitted
			});
		}
		return { summary: result.summary };
	}
};
