/**
 * Workbooks made with exceljs (the library the import reads them with) converted to the CSV
 * files they stand for: cell types, line numbers, refusals and limits.
 */
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { renderProblemReport, type ProblemReport } from './problems';
import { workbookBytes } from './testing';
import { checkedParts, partText, rebuiltZip, storedPart, type ZipPart } from './workbook-zip';
import {
	atSheetRows,
	plainNumber,
	workbookFiles,
	WORKBOOK_LIMITS,
	type WorkbookResult
} from './xlsx';

type Cell = ExcelJS.CellValue;

function converted(result: WorkbookResult): Record<string, string> {
	if (!result.ok) throw new Error(renderProblemReport(result.problems, 'en').join('\n'));
	return Object.fromEntries(
		Object.entries(result.files).map(([name, bytes]) => [name, new TextDecoder().decode(bytes)])
	);
}

/** The workbook with its parts changed (every part's text, as `change` returns it). */
async function withParts(
	bytes: Uint8Array,
	change: (name: string, text: string) => [string, string]
): Promise<Uint8Array> {
	const parts = await checkedParts(bytes, () => true, Infinity);
	return rebuiltZip(parts.map((part: ZipPart) => storedPart(...change(part.name, partText(part)))));
}

function refused(result: WorkbookResult): string[] {
	if (result.ok) throw new Error('expected the workbook to be refused');
	return renderProblemReport(result.problems, 'en');
}

const utc = (...parts: [number, number, number, number, number, number?]) =>
	new Date(Date.UTC(...parts));

describe('workbookFiles', () => {
	it('writes each cell type as the CSV value the import reads', async () => {
		const bytes = await workbookBytes({
			Jobs: [
				['job_no', 'reported_at', 'notes', 'customer_phone'],
				['J1', utc(2026, 2, 2, 9, 30), 'plain', 13800001111],
				['J2', utc(2026, 11, 31, 23, 59, 59), '冰箱不制冷，客户说"完全不冷"', '021-5555'],
				[1001, { formula: 'B2+1', result: 46083.5 } as Cell, true, false]
			],
			'job_parts.CSV': [
				['job_no', 'sku', 'qty', 'unit_cost'],
				['J1', 'CAP', 0.1 + 0.2, { formula: 'C2*41.6666666666667', result: 12.499999999999998 }],
				['J1', 'BIG', 1e21, 1.5e-7],
				['J1', 'NEG', -2.5, { formula: 'C4*0', result: -0 }]
			]
		});
		const files = converted(await workbookFiles(bytes));
		expect(Object.keys(files).sort()).toEqual(['job_parts.csv', 'jobs.csv']);
		expect(files['jobs.csv']).toBe(
			'job_no,reported_at,notes,customer_phone\r\n' +
				'J1,2026-03-02 09:30:00,plain,13800001111\r\n' +
				'J2,2026-12-31 23:59:59,"冰箱不制冷，客户说""完全不冷""",021-5555\r\n' +
				// The formula's cell has no date format: a number it stays.
				'1001,46083.5,true,false\r\n'
		);
		expect(files['job_parts.csv']).toBe(
			'job_no,sku,qty,unit_cost\r\n' +
				'J1,CAP,0.3,12.5\r\n' +
				'J1,BIG,1000000000000000000000,0.00000015\r\n' +
				'J1,NEG,-2.5,0\r\n'
		);
	});

	it("writes a date-formatted formula's result as wall-clock time", async () => {
		const bytes = await workbookBytes({ jobs: [['reported_at'], [undefined]] }, (workbook) => {
			const cell = workbook.getWorksheet('jobs')!.getCell('A2');
			cell.value = { formula: 'DATE(2026,3,2)+TIME(9,30,0)', result: 46083.395833333336 } as Cell;
			cell.numFmt = 'yyyy-mm-dd hh:mm';
		});
		expect(converted(await workbookFiles(bytes))['jobs.csv']).toBe(
			'reported_at\r\n2026-03-02 09:30:00\r\n'
		);
	});

	it('refuses a date-formatted number past any date', async () => {
		const bytes = await workbookBytes({ jobs: [['reported_at'], [1e10]] }, (workbook) => {
			workbook.getWorksheet('jobs')!.getCell('A2').numFmt = 'yyyy-mm-dd';
		});
		expect(refused(await workbookFiles(bytes))).toEqual([
			'jobs.csv:2: reported_at: is not a timestamp; write YYYY-MM-DD HH:mm[:ss] (station time) or ISO 8601 with an offset, e.g. 2026-03-02T09:30:00+08:00'
		]);
	});

	it('keeps text as written and pads short rows to the header', async () => {
		const bytes = await workbookBytes({
			jobs: [
				['job_no', 'notes', 'status'],
				['J1', " '=SUM(A1) ", undefined],
				['J2', '张伟，李娜']
			]
		});
		expect(converted(await workbookFiles(bytes))['jobs.csv']).toBe(
			'job_no,notes,status\r\n' + `J1," '=SUM(A1) ",\r\n` + 'J2,张伟，李娜,\r\n'
		);
	});

	it('keeps line = row: empty rows are blank lines, trailing ones are dropped', async () => {
		const bytes = await workbookBytes(
			{ jobs: [['job_no'], ['J1'], undefined, undefined, ['J4']] },
			(workbook) => {
				// Formatted but empty rows at the end, as a spreadsheet leaves them.
				const sheet = workbook.getWorksheet('jobs')!;
				sheet.getCell('A9').numFmt = '0.00';
				sheet.getCell('A2000').value = '';
			}
		);
		const result = await workbookFiles(bytes);
		expect(converted(result)['jobs.csv']).toBe('job_no\r\nJ1\r\n\r\n\r\nJ4\r\n');
		expect(parseCsv(converted(result)['jobs.csv']).records.map((r) => r.line)).toEqual([
			1, 2, 3, 4, 5
		]);
	});

	it("puts problems of rows below a multi-line cell back on the sheet's rows", async () => {
		const bytes = await workbookBytes({
			jobs: [
				['job_no', 'notes'],
				['J1', 'first line\nsecond\r\nthird'],
				['J2', 'x'],
				undefined,
				undefined,
				undefined,
				['J7', 'a\nb'],
				['J8', 'y']
			]
		});
		const result = await workbookFiles(bytes);
		if (!result.ok) throw new Error('refused');
		const text = converted(result)['jobs.csv'];
		const starts = parseCsv(text).records.map((record) => [record.line, record.fields[0]]);
		// J2 starts two lines below its row; the empty rows after it take the shift back.
		expect(starts).toEqual([
			[1, 'job_no'],
			[2, 'J1'],
			[5, 'J2'],
			[6, ''],
			[7, 'J7'],
			[9, 'J8']
		]);
		const report: ProblemReport = {
			omitted: 0,
			problems: [5, 7, 9, 2].map((line) => ({
				file: 'jobs.csv',
				line,
				column: 'notes',
				code: 'required',
				params: {}
			}))
		};
		expect(renderProblemReport(atSheetRows(report, result.sheetRows), 'en')).toEqual([
			'jobs.csv:3: notes: is required',
			'jobs.csv:7: notes: is required',
			'jobs.csv:8: notes: is required',
			'jobs.csv:2: notes: is required'
		]);
	});

	it('refuses a formula without a calculated value and an error value, at their cells', async () => {
		const bytes = await workbookBytes({
			jobs: [
				['job_no', 'reported_at', undefined],
				['J1', { formula: 'NOW()' } as Cell],
				['J2', { error: '#N/A' } as Cell, { formula: '1/0', result: { error: '#DIV/0!' } } as Cell]
			]
		});
		expect(refused(await workbookFiles(bytes))).toEqual([
			'jobs.csv:2: reported_at: is a formula without a calculated value; open the workbook in Excel or WPS, let it calculate, and save it',
			'jobs.csv:3: reported_at: holds an error (such as #N/A or #DIV/0!), not a value',
			'jobs.csv:3: (column 3): holds an error (such as #N/A or #DIV/0!), not a value'
		]);
	});

	it('refuses unknown and repeated sheets, in Chinese too', async () => {
		const bytes = await workbookBytes({
			jobs: [['job_no']],
			说明: [['read me']],
			'JOBS.csv': [['job_no']]
		});
		const result = await workbookFiles(bytes);
		expect(refused(result)).toEqual([
			'workbook: unknown sheet "说明"; a workbook holds the sheets technicians, fault_categories, parts, jobs, job_parts, follow_ups (one per file, named like the file)',
			'workbook: the sheets "jobs" and "JOBS.csv" both stand for jobs.csv'
		]);
		if (result.ok) return;
		expect(renderProblemReport(result.problems, 'zh-CN')[0]).toBe(
			'工作簿: 未知的工作表“说明”；工作簿只能包含工作表 technicians, fault_categories, parts, jobs, job_parts, follow_ups（每个文件一个，按文件命名）'
		);
	});

	it('reads a workbook that names its sheets from the package root (openpyxl)', async () => {
		const exceljs = await workbookBytes({ parts: [['sku']], jobs: [['job_no'], ['J1']] });
		const bytes = await withParts(exceljs, (name, text) => [
			name,
			text.replaceAll('Target="worksheets/', 'Target="/xl/worksheets/')
		]);
		expect(converted(await workbookFiles(bytes))).toEqual({
			'parts.csv': 'sku\r\n',
			'jobs.csv': 'job_no\r\nJ1\r\n'
		});
	});

	it('refuses a sheet it cannot read rather than skip it', async () => {
		const exceljs = await workbookBytes({ jobs: [['job_no'], ['J1']], job_parts: [['job_no']] });
		const bytes = await withParts(exceljs, (name, text) => [
			name.replace('sheet2.xml', 'parts.xml'),
			text.replace('worksheets/sheet2.xml', 'worksheets/parts.xml')
		]);
		expect(refused(await workbookFiles(bytes))).toEqual([
			'workbook: sheet "job_parts" could not be read (is it a chart or dialog sheet?)'
		]);
	});

	it('refuses bytes that are not a workbook, never throwing', async () => {
		const valid = await workbookBytes({ jobs: [['job_no'], ['J1']] });
		const unreadable =
			'workbook: is not an .xlsx workbook, or it is damaged; save it again from Excel or WPS as an Excel workbook (.xlsx)';
		const damaged = valid.slice();
		damaged.fill(0x41, valid.length * 0.2, valid.length * 0.6);
		const cases = [
			new Uint8Array(0),
			new TextEncoder().encode('job_no,status\nJ1,open\n'),
			valid.subarray(0, valid.length - 30),
			damaged
		];
		for (const bytes of cases) {
			expect(refused(await workbookFiles(bytes))).toEqual([unreadable]);
		}
		const xls = new Uint8Array(512);
		xls.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
		expect(refused(await workbookFiles(xls))).toEqual([
			'workbook: is an old .xls file or a password-protected workbook; save it as an Excel workbook (.xlsx) without a password'
		]);
	});

	it('refuses a workbook that unpacks past the limit, before parsing it', async () => {
		const rows = Array.from({ length: 2000 }, (_, i) => [`J${i}`, 'x'.repeat(50)]);
		const bytes = await workbookBytes({ jobs: [['job_no', 'notes'], ...rows] });
		expect(
			refused(await workbookFiles(bytes, { ...WORKBOOK_LIMITS, unpackedBytes: 64 * 1024 }))
		).toEqual([
			'workbook: unpacks to more than 0.0625 MB; split it into several workbooks, or import CSV files'
		]);
	});

	it('refuses a part that unpacks to more than its entry states (a zip bomb)', async () => {
		const bytes = await workbookBytes({
			jobs: [['job_no'], ...Array.from({ length: 500 }, () => ['J'])]
		});
		const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		// Lower the stated size of the sheet in the central directory.
		const name = new TextEncoder().encode('xl/worksheets/sheet1.xml');
		for (let at = 0; at + 46 < bytes.length; at += 1) {
			if (view.getUint32(at, true) !== 0x02014b50) continue;
			const length = view.getUint16(at + 28, true);
			const entry = bytes.subarray(at + 46, at + 46 + length);
			if (entry.length === name.length && entry.every((byte, i) => byte === name[i])) {
				view.setUint32(at + 24, 100, true);
			}
		}
		expect(refused(await workbookFiles(bytes))[0]).toMatch(/^workbook: is not an \.xlsx workbook/);
	});

	it('refuses a sheet past the row limit, at the first row past it', async () => {
		const bytes = await workbookBytes({
			jobs: [['job_no'], ['J1'], ['J2'], ['J3'], ['J4']],
			parts: [['sku'], undefined, undefined, ['P1']]
		});
		// The sheet after the long one is still read.
		expect(refused(await workbookFiles(bytes, { ...WORKBOOK_LIMITS, rows: 3 }))).toEqual([
			'jobs.csv:4: (file): has more than 3 rows; the rest of the file was not read (split it into several imports)',
			'parts.csv:4: (file): has more than 3 rows; the rest of the file was not read (split it into several imports)'
		]);
	});
});

describe('plainNumber', () => {
	it.each([
		[0, '0'],
		[-0, '0'],
		[12.5, '12.5'],
		[12.499999999999998, '12.5'],
		[0.1 + 0.2, '0.3'],
		[1e21, '1000000000000000000000'],
		[-1.25e22, '-12500000000000000000000'],
		[1.5e-7, '0.00000015'],
		[123456789012345, '123456789012345'],
		[46083.395833333336, '46083.3958333333']
	])('%s → %s', (value, text) => {
		expect(plainNumber(value)).toBe(text);
	});
});
