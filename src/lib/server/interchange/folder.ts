/**
 * The interchange files on disk: a folder (or an .xlsx workbook standing for one) to import, a
 * folder an export writes.
 */
import {
	createReadStream,
	mkdirSync,
	readdirSync,
	readFileSync,
	statSync,
	writeFileSync
} from 'node:fs';
import path from 'node:path';
import type { ImportFiles } from './import';
import type { StationExport } from './export';
import type { ProblemReport } from './problems';
import { WORKBOOK_LIMITS, workbookFiles, workbookTooLarge, type SheetRows } from './xlsx';

export class FolderError extends Error {}

/**
 * The CSV files of a folder, by lower-cased name, as streams of their bytes (the import checks
 * they are UTF-8, and reads a file of any size without holding it). Other files (a README, a spreadsheet) are not read; an unknown .csv file is, so
 * that the import can refuse a misspelt name rather than silently skip its data.
 */
export function readImportFolder(folder: string): ImportFiles {
	let entries: string[];
	try {
		if (!statSync(folder).isDirectory()) throw new FolderError(`${folder} is not a folder`);
		entries = readdirSync(folder);
	} catch (error) {
		if (error instanceof FolderError) throw error;
		throw new FolderError(`cannot read the folder ${folder}: ${(error as Error).message}`);
	}
	const files: ImportFiles = {};
	for (const entry of entries) {
		if (!entry.toLowerCase().endsWith('.csv')) continue;
		const file = path.join(folder, entry);
		if (!statSync(file).isFile()) continue;
		files[entry.toLowerCase()] = { open: () => createReadStream(file, { highWaterMark: 1 << 20 }) };
	}
	return files;
}

export type ImportSource =
	/** sheetRows: where a workbook's rows went in its files (atSheetRows); {} for a folder. */
	{ ok: true; files: ImportFiles; sheetRows: SheetRows } | { ok: false; problems: ProblemReport };

/** The files of a folder, or of an .xlsx workbook (one sheet per file, xlsx.ts). */
export async function readImportSource(source: string): Promise<ImportSource> {
	let stats;
	try {
		stats = statSync(source);
	} catch (error) {
		throw new FolderError(
			`cannot read the folder or workbook ${source}: ${(error as Error).message}`
		);
	}
	if (!stats.isFile() || !source.toLowerCase().endsWith('.xlsx')) {
		return { ok: true, files: readImportFolder(source), sheetRows: {} };
	}
	// A zip is never much larger than what it unpacks to: a larger file is not even read.
	const workbook =
		stats.size > WORKBOOK_LIMITS.unpackedBytes
			? workbookTooLarge()
			: await workbookFiles(new Uint8Array(readFileSync(source)));
	if (!workbook.ok) return workbook;
	return { ok: true, files: workbook.files, sheetRows: workbook.sheetRows };
}

/** Writes every file of an export into the folder (created if needed); returns the paths. */
export function writeExportFolder(folder: string, exported: StationExport): string[] {
	mkdirSync(folder, { recursive: true });
	return Object.entries(exported.files).map(([name, text]) => {
		const file = path.join(folder, name);
		writeFileSync(file, text, 'utf8');
		return file;
	});
}
