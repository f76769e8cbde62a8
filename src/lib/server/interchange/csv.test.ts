import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from './csv';

const fieldsOf = (text: string) => parseCsv(text).records.map((record) => record.fields);

describe('parseCsv', () => {
	it('reads a header and rows, with or without a final line break', () => {
		expect(fieldsOf('a,b\n1,2\n')).toEqual([
			['a', 'b'],
			['1', '2']
		]);
		expect(fieldsOf('a,b\n1,2')).toEqual([
			['a', 'b'],
			['1', '2']
		]);
	});

	it('accepts CRLF, LF and lone CR line ends, and counts physical lines', () => {
		const parsed = parseCsv('a\r\nb\nc\rd\r\n');
		expect(parsed.records).toEqual([
			{ line: 1, fields: ['a'] },
			{ line: 2, fields: ['b'] },
			{ line: 3, fields: ['c'] },
			{ line: 4, fields: ['d'] }
		]);
		expect(parsed.problems).toEqual([]);
	});

	it('drops a leading BOM', () => {
		expect(fieldsOf('\uFEFFjob_no,status\r\nJ1,open\r\n')).toEqual([
			['job_no', 'status'],
			['J1', 'open']
		]);
	});

	it('reads quoted commas, doubled quotes and line breaks inside values', () => {
		const text =
			'name,comment\r\n' +
			'"王, 芳","她说""修好了"""\r\n' +
			'"多行","第一行\r\n第二行\n第三行"\r\n' +
			'next,row\r\n';
		const parsed = parseCsv(text);
		expect(parsed.problems).toEqual([]);
		expect(parsed.records).toEqual([
			{ line: 1, fields: ['name', 'comment'] },
			{ line: 2, fields: ['王, 芳', '她说"修好了"'] },
			// Line breaks inside a value read as LF whatever the file used.
			{ line: 3, fields: ['多行', '第一行\n第二行\n第三行'] },
			{ line: 6, fields: ['next', 'row'] }
		]);
	});

	it('keeps empty values, empty quoted values and blank lines apart', () => {
		expect(parseCsv('a,,""\n\n,\n').records).toEqual([
			{ line: 1, fields: ['a', '', ''] },
			{ line: 2, fields: [''] },
			{ line: 3, fields: ['', ''] }
		]);
		expect(parseCsv('').records).toEqual([]);
	});

	it('reports a stray quote, text after a closing quote and an unclosed quote', () => {
		expect(parseCsv('a,b\n1,2"3\n').problems).toEqual([{ line: 2, code: 'stray_quote' }]);
		expect(parseCsv('a,b\n"1"x,2\n').problems).toEqual([{ line: 2, code: 'text_after_quote' }]);
		const unclosed = parseCsv('a,b\n1,2\n"3,4\n5,6\n');
		expect(unclosed.problems).toEqual([{ line: 3, code: 'unclosed_quote' }]);
		expect(unclosed.records.at(-1)).toEqual({ line: 3, fields: ['3,4\n5,6\n'] });
	});
});

describe('toCsv', () => {
	it('quotes only what needs quoting and ends every record with CRLF', () => {
		expect(
			toCsv([['a', 'b,c', 'say "hi"', 'two\nlines', ' padded', null, undefined, 1.5, true, '张伟']])
		).toBe('a,"b,c","say ""hi""","two\nlines"," padded",,,1.5,true,张伟\r\n');
	});

	it('starts with a BOM when asked', () => {
		expect(toCsv([['x']], { bom: true })).toBe('\uFEFFx\r\n');
	});

	it('writes what parseCsv reads back unchanged', () => {
		const value = fc.string({ unit: fc.constantFrom('a', '张', ',', '"', '\n', ' ', 'x', '\r\n') });
		fc.assert(
			fc.property(
				fc.array(fc.array(value, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
				(records) => {
					const normalised = records.map((record) =>
						record.map((field) => field.replaceAll('\r\n', '\n'))
					);
					const parsed = parseCsv(toCsv(records));
					expect(parsed.problems).toEqual([]);
					expect(parsed.records.map((record) => record.fields)).toEqual(normalised);
				}
			)
		);
	});
});
