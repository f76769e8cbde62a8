import { describe, expect, it } from 'vitest';
import { WorkSlicer } from './pause';
import { ProblemList, renderProblemReport } from './problems';
import { openTable, type FileContent, type StreamedFile, type TableRow } from './table';
import type { InterchangeFile } from './format';

/** The bytes as a file on disk gives them: in pieces of `size`, cut anywhere (mid-character). */
function streamed(bytes: Uint8Array, size: number): StreamedFile {
	return {
		async *open() {
			for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
		}
	};
}

async function read<F extends InterchangeFile>(file: F, content: FileContent, key?: string) {
	const problems = new ProblemList();
	const table = await openTable(
		file,
		content,
		problems,
		new WorkSlicer(),
		undefined,
		undefined,
		key as never
	);
	const rows: TableRow<F>[] = [];
	for await (const row of table.rows()) rows.push(row);
	return {
		columns: [...table.columns],
		keys: [...table.keys].map(([value, keyed]) => [value, keyed.line]),
		rows,
		problems: renderProblemReport(problems.report(), 'en')
	};
}

const encode = (text: string) => new TextEncoder().encode(text);

describe('a file read as a stream', () => {
	// Over 2 MB, so that it is read in several pieces; quoted line breaks (LF and CRLF), quotes,
	// Chinese text and problems fall on both sides of every piece's end.
	const lines = ['\uFEFFjob_no,technician_login,reported_at,status,notes'];
	for (let i = 0; i < 20_000; i++) {
		const note =
			i % 3 === 0
				? `"第${i}行\r\n换行，""引号""\n再换行"`
				: i % 3 === 1
					? `备注${'很长的文字'.repeat(40)}`
					: '';
		lines.push(`J${i % 18_000},zhang,2026-03-02 09:00,open,${note}`);
		if (i % 2_500 === 7) lines.push('short,row');
	}
	const text = lines.join('\r\n') + '\r\n';
	const bytes = encode(text);

	it('gives the same rows, keys, lines and problems as the whole file at once', async () => {
		expect(text.length).toBeGreaterThan(2 * (1 << 20));
		const whole = await read('jobs.csv', bytes, 'job_no');
		expect(whole.rows).toHaveLength(20_000);
		expect(whole.problems.length).toBeGreaterThan(0);
		// A quoted value keeps its line breaks as LF; each row starts on its physical line.
		expect(whole.rows[0].cells.notes).toBe('第0行\n换行，"引号"\n再换行');
		expect(whole.rows[1].line).toBe(5);
		// 4,093 bytes cut characters of Chinese text (3 bytes each) in two, as any size may.
		for (const size of [4_093, 65_536, 1 << 20]) {
			expect(await read('jobs.csv', streamed(bytes, size), 'job_no')).toEqual(whole);
		}
	}, 120_000);

	it('reads a file without any line break inside quotes, LF and lone CR endings alike', async () => {
		for (const lineBreak of ['\n', '\r']) {
			const plain = ['job_no,technician_login,reported_at,status'];
			for (let i = 0; i < 40_000; i++) plain.push(`J${i},li,2026-03-02 09:00,open`);
			const content = encode(plain.join(lineBreak));
			const whole = await read('jobs.csv', content);
			expect(whole.rows).toHaveLength(40_000);
			expect(whole.rows.at(-1)?.line).toBe(40_001);
			expect(await read('jobs.csv', streamed(content, 9_999))).toEqual(whole);
		}
	}, 120_000);

	it('refuses GBK bytes and bytes that are not UTF-8, found anywhere in the stream', async () => {
		const gbk = new Uint8Array([0xd5, 0xc5, 0xce, 0xb0, 0x2c, 0x0a]); // "张伟," in GBK
		const header = encode('login,name\n');
		const late = new Uint8Array([...encode('login,name\n' + 'a,b\n'.repeat(300_000)), 0xff]);
		expect(
			(await read('technicians.csv', streamed(new Uint8Array([...header, ...gbk]), 3))).problems
		).toEqual([expect.stringMatching(/^technicians\.csv:1: \(file\): .*GBK/)]);
		const notUtf8 = await read('technicians.csv', streamed(late, 65_536));
		expect(notUtf8.problems).toEqual([
			expect.stringMatching(/^technicians\.csv:1: \(file\): is not UTF-8/)
		]);
		expect(notUtf8.rows).toEqual([]);
	});

	it('stops at a record past the limit, however the stream is cut', async () => {
		const content = encode(`sku,name,unit_cost\nA,"${'x'.repeat(3 << 20)}",1\nB,b,2\n`);
		const whole = await read('parts.csv', content);
		expect(whole.problems).toEqual([
			'parts.csv:2: (row): holds a value longer than 10000 characters; the rest of the file was not read'
		]);
		expect(await read('parts.csv', streamed(content, 100_000))).toEqual(whole);
	});
});
