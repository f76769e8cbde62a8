import { fail } from '@sveltejs/kit';
import { serverDatabase } from '$lib/server/db/server-db';
import { INTERCHANGE_FILE_NAMES, importStationFiles } from '$lib/server/interchange';
import type { ImportFiles } from '$lib/server/interchange';
import { requireSupervisor } from '../../access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const user = requireSupervisor(locals);
	return { stationName: user.stationName, fileNames: INTERCHANGE_FILE_NAMES };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const user = requireSupervisor(locals);
		const form = await request.formData();
		// A file input left empty still sends one nameless, empty file.
		const uploads = form
			.getAll('files')
			.filter((entry): entry is File => entry instanceof File && entry.name !== '');
		if (uploads.length === 0) return fail(400, { reason: 'no_files' as const });

		const names = uploads.map((upload) => upload.name);
		const repeated = [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
		if (repeated.length > 0) return fail(400, { reason: 'duplicate_files' as const, repeated });

		const files: ImportFiles = {};
		for (const upload of uploads) files[upload.name] = new Uint8Array(await upload.arrayBuffer());
		const { db } = await serverDatabase();
		// Always the supervisor's own station: the form has no station field to tamper with.
		// The importer's role decides which roles technicians.csv may give (roles.md).
		const result = await importStationFiles(db, { stationCode: user.stationCode }, files, {
			actor: { kind: 'user', user }
		});
		if (!result.ok) return fail(400, { reason: 'problems' as const, problems: result.problems });
		return { summary: result.summary };
	}
};
