/**
 * The import page's uploads (routes/supervisor/import): the files of one request, checked and
 * imported (or previewed: a dry run, nothing kept) into the uploader's own station. The
 * streamed upload answers NDJSON (shared/import-upload.ts): progress lines while the import
 * runs, then one line with the outcome; the form action (pages without JavaScript) answers the
 * same outcome at once. Nothing is kept between requests: a preview's files are sent again to
 * be imported, so any instance can answer either.
 */
import type { SessionUser } from '../auth/session-user';
import type { Database } from '../db';
import { isRetryableDatabaseError } from '../db/outage';
import { logServerError } from '../http/server-errors';
import { refreshAfterWrite } from '../kpi/fact-refresh';
import { m } from '../../paraglide/messages.js';
import type { Locale } from '../../paraglide/runtime.js';
import {
	IMPORT_UPLOAD_FIELDS,
	IMPORT_UPLOAD_MEDIA_TYPE,
	WORKBOOK_EXTENSION,
	type ImportSummaryView,
	type ImportUploadLine,
	type ImportUploadMode
} from '../../shared/import-upload';
import { managesStationData } from '../../shared/roles';
import { importStationFiles, type ImportFiles } from './import';
import { renderProblem, type ProblemReport } from './problems';
import { atSheetRows, workbookFiles, type SheetRows } from './xlsx';

/** The outcome of an upload: its last line. */
export type ImportOutcome = Exclude<ImportUploadLine, { kind: 'progress' }>;

function renderedProblems(report: ProblemReport, locale: Locale): ImportOutcome {
	return {
		kind: 'problems',
		problems: report.problems.map((problem) => renderProblem(problem, locale)),
		omitted: report.omitted
	};
}

/**
 * The files of an upload by name, a workbook's sheets among them, or why they cannot be
 * imported. No prototype: a file named "__proto__" is an unknown file, not the object's
 * prototype.
 */
export async function uploadedImportFiles(
	form: FormData,
	locale: Locale
): Promise<
	{ ok: true; files: ImportFiles; sheetRows: SheetRows } | { ok: false; outcome: ImportOutcome }
> {
	// A file input left empty still sends one nameless, empty file.
	const uploads = form
		.getAll(IMPORT_UPLOAD_FIELDS.files)
		.filter((entry): entry is File => entry instanceof File && entry.name !== '');
	if (uploads.length === 0) return { ok: false, outcome: { kind: 'refused', reason: 'no_files' } };

	// Names first, in one pass: a hostile form can carry a hundred thousand empty files.
	const seen = new Set<string>();
	const repeated = new Set<string>();
	for (const { name } of uploads) (seen.has(name) ? repeated : seen).add(name);
	const refuseRepeated = () => ({
		ok: false as const,
		outcome: {
			kind: 'refused' as const,
			reason: 'duplicate_files' as const,
			repeated: [...repeated]
		}
	});
	if (repeated.size > 0) return refuseRepeated();

	const files: ImportFiles = Object.create(null);
	const sheetRows: SheetRows = Object.create(null);
	for (const upload of uploads) {
		const bytes = new Uint8Array(await upload.arrayBuffer());
		if (!upload.name.toLowerCase().endsWith(WORKBOOK_EXTENSION)) {
			files[upload.name] = bytes;
			continue;
		}
		const workbook = await workbookFiles(bytes);
		if (!workbook.ok) return { ok: false, outcome: renderedProblems(workbook.problems, locale) };
		// A sheet named like a file also uploaded (jobs.csv beside a workbook's jobs sheet).
		for (const [name, content] of Object.entries(workbook.files)) {
			if (Object.hasOwn(files, name) || seen.has(name)) repeated.add(name);
			else files[name] = content;
		}
		Object.assign(sheetRows, workbook.sheetRows);
	}
	if (repeated.size > 0) return refuseRepeated();
	return { ok: true, files, sheetRows };
}

function summaryView(summary: ImportSummaryView): ImportSummaryView {
	const { dryRun, technicians, faultCategories, parts, jobs, partLines, followUps } = summary;
	return { dryRun, technicians, faultCategories, parts, jobs, partLines, followUps };
}

/**
 * Imports (or previews) the files into the user's own station: the request has no station to
 * tamper with. The importer's role decides which roles technicians.csv may give (roles.md).
 */
export async function importUploadedFiles(
	db: Database,
	user: SessionUser,
	files: ImportFiles,
	options: {
		mode: ImportUploadMode;
		locale: Locale;
		onProgress?: (line: Extract<ImportUploadLine, { kind: 'progress' }>) => void;
		/** Where a workbook's rows went in its files: problems are told at the sheets' rows. */
		sheetRows?: SheetRows;
	}
): Promise<ImportOutcome> {
	const result = await importStationFiles(db, { stationCode: user.stationCode }, files, {
		actor: { kind: 'user', user },
		dryRun: options.mode === 'preview',
		onProgress: (progress) => options.onProgress?.({ kind: 'progress', ...progress })
	});
	if (!result.ok) {
		return renderedProblems(atSheetRows(result, options.sheetRows ?? {}), options.locale);
	}
	// What the import marked: its first batches now, the rest by the background worker.
	if (!result.summary.dryRun) await refreshAfterWrite(db, user.stationId);
	return { kind: 'done', summary: summaryView(result.summary) };
}

const NDJSON_HEADERS = {
	'content-type': `${IMPORT_UPLOAD_MEDIA_TYPE}; charset=utf-8`,
	// no-transform: the compression middleware (scripts/serve.mjs) would hold the progress
	// lines back until its buffer fills; X-Accel-Buffering asks a proxy not to buffer either.
	'cache-control': 'no-store, no-transform',
	'x-accel-buffering': 'no'
};

const ndjson = (line: ImportUploadLine) => `${JSON.stringify(line)}\n`;

/**
 * The streamed upload's answer: refused at once (403 for a role that brings no station data
 * in, 400 for files that cannot be imported), else 200 with a progress line per report and
 * the outcome last. A fault after the answer began is told as its last line, with the id
 * under which the log keeps it.
 */
export async function importUploadResponse(
	db: Database,
	user: SessionUser,
	form: FormData,
	options: { mode: ImportUploadMode; locale: Locale }
): Promise<Response> {
	const { locale } = options;
	if (!managesStationData(user)) {
		return Response.json(
			{ message: m.acc2_station_data_page_only({}, { locale }) },
			{ status: 403, headers: { 'cache-control': 'no-store' } }
		);
	}
	const upload = await uploadedImportFiles(form, locale);
	if (!upload.ok) {
		return new Response(ndjson(upload.outcome), { status: 400, headers: NDJSON_HEADERS });
	}
	const encoder = new TextEncoder();
	let reading = true;
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			const send = (line: ImportUploadLine) => {
				if (!reading) return;
				controller.enqueue(encoder.encode(ndjson(line)));
			};
			const run = async () => {
				try {
					send(
						await importUploadedFiles(db, user, upload.files, {
							...options,
							sheetRows: upload.sheetRows,
							onProgress: send
						})
					);
				} catch (error) {
					const errorId = logServerError(`import upload (${options.mode})`, error);
					send({
						kind: 'failed',
						message: isRetryableDatabaseError(error)
							? m.http_database_unavailable({}, { locale })
							: m.http_server_error({ errorId }, { locale })
					});
				}
				if (reading) controller.close();
			};
			// Not awaited: the lines go out as they are written, while the import runs.
			void run();
		},
		cancel() {
			// The browser went away: the import still finishes (or rolls back) on its own.
			reading = false;
		}
	});
	return new Response(body, { status: 200, headers: NDJSON_HEADERS });
}
