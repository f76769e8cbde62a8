/**
 * The import page's streamed upload (routes/supervisor/import/upload): the files go up as a
 * form with a mode, and the answer comes back as NDJSON, one line per progress report and a
 * last line with the outcome. Each request carries its files, so any instance can answer it.
 */

export const IMPORT_UPLOAD_PATH = '/supervisor/import/upload';
export const IMPORT_UPLOAD_MEDIA_TYPE = 'application/x-ndjson';

/** `preview`: a dry run, checked and written, then rolled back; `import`: kept. */
export const IMPORT_UPLOAD_MODES = ['preview', 'import'] as const;
export type ImportUploadMode = (typeof IMPORT_UPLOAD_MODES)[number];

/** The form's fields. */
export const IMPORT_UPLOAD_FIELDS = { files: 'files', mode: 'mode' } as const;

/** A workbook is read sheet by sheet into the interchange files. */
export const WORKBOOK_EXTENSION = '.xlsx';

export interface UpsertCountsView {
	inserted: number;
	updated: number;
	unchanged: number;
}

export interface ReplacedCountsView {
	removed: number;
	written: number;
	unchanged: number;
}

/** What an import did or, in a preview, would do (the server's ImportSummary). */
export interface ImportSummaryView {
	dryRun: boolean;
	technicians: UpsertCountsView;
	faultCategories: UpsertCountsView;
	parts: UpsertCountsView;
	jobs: UpsertCountsView;
	partLines: ReplacedCountsView | null;
	followUps: ReplacedCountsView | null;
}

export type ImportUploadLine =
	| { kind: 'progress'; phase: 'reading' | 'checking' | 'writing'; file: string; rows: number }
	| { kind: 'done'; summary: ImportSummaryView }
	/** Rendered `file:line: column: reason` in the page's language; `omitted` not listed. */
	| { kind: 'problems'; problems: string[]; omitted: number }
	| { kind: 'refused'; reason: 'no_files' }
	| { kind: 'refused'; reason: 'duplicate_files'; repeated: string[] }
	/** The server failed part-way (already answering 200): its words, with the error's id. */
	| { kind: 'failed'; message: string };

/**
 * Reads NDJSON as it arrives: give it the text so far, it returns the complete lines not read
 * yet (a line is complete once its line break has arrived).
 */
export class NdjsonLines {
	private offset = 0;

	take(text: string): ImportUploadLine[] {
		const end = text.lastIndexOf('\n') + 1;
		if (end <= this.offset) return [];
		const complete = text.slice(this.offset, end);
		this.offset = end;
		return complete
			.split('\n')
			.filter((line) => line.trim() !== '')
			.map((line) => JSON.parse(line) as ImportUploadLine);
	}
}
