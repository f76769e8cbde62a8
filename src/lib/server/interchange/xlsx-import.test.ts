/**
 * A workbook imported as its folder is: the hand-made spreadsheet folder (fixtures/spreadsheet)
 * rebuilt as a workbook, with the cell types a spreadsheet gives its values (dates, numbers,
 * booleans, a line break in a cell, Chinese text), imports into the same station data as the
 * folder itself, on each engine; a problem in a sheet is reported at the sheet's row; and
 * `npm run import` takes the workbook's path.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { testEngines } from '../testing/databases';
import { parseCsv } from './csv';
import { exportStationFiles } from './export';
import { readImportFolder } from './folder';
import { INTERCHANGE_FILES, isInterchangeFile } from './format';
import { importStationFiles } from './import';
import { renderProblemReport } from './problems';
import { workbookBytes } from './testing';
import { atSheetRows, workbookFiles } from './xlsx';

const here = path.dirname(fileURLToPath(import.meta.url));
const SPREADSHEET = path.join(here, 'fixtures/spreadsheet');
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A CSV value as the cell a spreadsheet would hold. */
function typedCell(file: string, column: string, text: string): ExcelJS.CellValue {
	const local = LOCAL_TIME.exec(text);
	if (local) {
		const [year, month, day, hour, minute, second] = local
			.slice(1)
			.map((part) => Number(part ?? 0));
		return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	}
	const numeric: readonly string[] = isInterchangeFile(file) ? INTERCHANGE_FILES[file].numeric : [];
	if ((numeric.includes(column) || column === 'qty') && /^-?\d+(\.\d+)?$/.test(text)) {
		return Number(text);
	}
	if (/^true$/i.test(text)) return true;
	return text === '' ? null : text;
}

/** The folder as a workbook: one sheet per file, named in a few of the accepted ways. */
async function folderAsWorkbook(folder: string): Promise<Uint8Array> {
	const sheets: Record<string, ExcelJS.CellValue[][]> = {};
	const names = ['Jobs', 'job_parts.csv', 'TECHNICIANS'];
	for (const file of readdirSync(folder)) {
		const [header, ...rows] = parseCsv(readFileSync(path.join(folder, file), 'utf8')).records;
		const columns = header.fields.map((name) => name.trim().toLowerCase());
		const stem = file.replace(/\.csv$/, '');
		const sheet = names.find((name) => name.toLowerCase().replace(/\.csv$/, '') === stem) ?? stem;
		sheets[sheet] = [
			header.fields,
			...rows.map((row) => row.fields.map((text, i) => typedCell(file, columns[i], text)))
		];
	}
	return workbookBytes(sheets);
}

for (const engine of testEngines()) {
	describe(`workbook import on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('imports the same station data as the folder it stands for', async () => {
			const folder = await importStationFiles(
				db,
				{ stationCode: 'CSVSET' },
				readImportFolder(SPREADSHEET)
			);
			expect(folder.ok).toBe(true);
			const workbook = await workbookFiles(await folderAsWorkbook(SPREADSHEET));
			if (!workbook.ok) throw new Error(renderProblemReport(workbook.problems, 'en').join('\n'));
			const imported = await importStationFiles(db, { stationCode: 'XLSXSET' }, workbook.files);
			if (!imported.ok) throw new Error(renderProblemReport(imported, 'en').join('\n'));
			expect(imported.summary.jobs.inserted).toBe(9);

			const fromFolder = await exportStationFiles(db, 'CSVSET');
			const fromWorkbook = await exportStationFiles(db, 'XLSXSET');
			expect(fromWorkbook?.files).toEqual(fromFolder?.files);
			expect(fromWorkbook?.counts).toEqual({
				'technicians.csv': 3,
				'fault_categories.csv': 2,
				'parts.csv': 2,
				'jobs.csv': 9,
				'job_parts.csv': 5,
				'follow_ups.csv': 6
			});
		});

		it("reports a sheet's problems at the sheet's rows", async () => {
			const workbook = await workbookFiles(
				await workbookBytes({
					technicians: [
						['login', 'name'],
						['zhao', '赵六']
					],
					jobs: [
						['job_no', 'technician_login', 'reported_at', 'status', 'notes'],
						['R-1', 'zhao', new Date(Date.UTC(2026, 2, 2, 9)), 'open', '第一行\n第二行\n第三行'],
						['R-2', 'zhao', new Date(Date.UTC(2026, 2, 3, 9)), 'done'],
						['R-3', 'nobody', new Date(Date.UTC(2026, 2, 4, 9)), 'open']
					]
				})
			);
			if (!workbook.ok) throw new Error('the workbook was refused');
			const result = await importStationFiles(db, { stationCode: 'XLSXBAD' }, workbook.files);
			if (result.ok) throw new Error('the import went through');
			// In the CSV file, R-2 starts on line 5: the line breaks of R-1's notes come first.
			expect(result.problems.map((problem) => problem.line)).toEqual([5, 6]);
			expect(renderProblemReport(atSheetRows(result, workbook.sheetRows), 'en')).toEqual([
				'jobs.csv:3: status: "done" is not one of open, in_progress, completed, cancelled',
				'jobs.csv:4: technician_login: "nobody" is neither in technicians.csv nor a user of station XLSXBAD'
			]);
			expect(await exportStationFiles(db, 'XLSXBAD')).toBeNull();
		});
	});
}

describe('npm run import with a workbook', () => {
	let scratch: string;
	beforeAll(() => {
		scratch = mkdtempSync(path.join(tmpdir(), 'rs-xlsx-cli-'));
	});
	afterAll(() => rmSync(scratch, { recursive: true, force: true }));

	const run = promisify(execFile);
	async function importCommand(...args: string[]) {
		const env: NodeJS.ProcessEnv = {
			...process.env,
			LC_ALL: '',
			LC_MESSAGES: '',
			LANG: 'C.UTF-8',
			PGLITE_DIR: path.join(scratch, 'db')
		};
		delete env.DATABASE_URL;
		const repoRoot = path.resolve(here, '../../../..');
		try {
			const { stdout, stderr } = await run(process.execPath, ['scripts/run-import.mjs', ...args], {
				cwd: repoRoot,
				env
			});
			return { code: 0, stdout, stderr };
		} catch (error) {
			return error as { code: number; stdout: string; stderr: string };
		}
	}

	it('imports a workbook, and lists its problems at sheet rows', { timeout: 180_000 }, async () => {
		const good = path.join(scratch, 'station.xlsx');
		writeFileSync(good, await folderAsWorkbook(SPREADSHEET));
		const imported = await importCommand(good, '--station', 'SH09');
		expect(imported.stderr).not.toMatch(/Error/);
		expect(imported.code).toBe(0);
		expect(imported.stdout).toContain(`Imported ${good} into the new station SH09`);
		expect(imported.stdout).toMatch(/jobs: +9 created/);

		const bad = path.join(scratch, 'bad.XLSX');
		writeFileSync(
			bad,
			await workbookBytes({
				jobs: [
					['job_no', 'technician_login', 'reported_at', 'status', 'notes'],
					['B-1', 'zhangwei', '2026-03-02 09:00', 'open', 'a\nb'],
					['B-2', 'zhangwei', '2026-03-02 09:00', 'open'],
					['B-3', 'zhangwei', 'yesterday', 'open']
				]
			})
		);
		const refused = await importCommand(bad, '--station', 'SH09');
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/^jobs\.csv:4: reported_at: /m);
		expect(refused.stderr).toContain(`Nothing was imported: 1 problem in ${bad}.`);

		const broken = path.join(scratch, 'broken.xlsx');
		writeFileSync(broken, 'job_no\nJ1\n');
		const unreadable = await importCommand(broken, '--station', 'SH09');
		expect(unreadable.code).toBe(1);
		expect(unreadable.stderr).toMatch(/^workbook: is not an \.xlsx workbook, or it is damaged/m);
		expect(unreadable.stderr).not.toMatch(/at .*\.(ts|js):\d+/);
	});
});
