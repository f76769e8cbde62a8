import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScorecardRow } from '../../shared/kpi';
import { scorecardToCsv } from './scorecard-output';
import { neutraliseFormula, parseCsv, readCsv, restoreFormula, toCsv } from './csv';

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

	it('writes what parseCsv reads back unchanged, formula starts restored', () => {
		const value = fc.string({
			unit: fc.oneof(
				fc.constantFrom('a', '张', ',', '"', '\n', ' ', 'x', '\r\n', '\r', "'"),
				fc.constantFrom(...FORMULA_STARTS),
				fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })
			)
		});
		fc.assert(
			fc.property(
				fc.array(fc.array(value, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
				(records) => {
					// A line break inside a value reads as LF, whatever the file used.
					const normalised = records.map((record) =>
						record.map((field) => field.replace(/\r\n?/g, '\n'))
					);
					const parsed = parseCsv(toCsv(records));
					expect(parsed.problems).toEqual([]);
					expect(
						parsed.records.map((record) => record.fields.map((field) => restoreFormula(field)))
					).toEqual(normalised);
				}
			),
			{ numRuns: 500 }
		);
	});
});

/** The leading characters OWASP lists as making a spreadsheet run a cell (CSV injection). */
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];

describe('spreadsheet formulas', () => {
	it('puts an apostrophe before every text that starts like a formula', () => {
		for (const start of FORMULA_STARTS) {
			const cell = toCsv([[`${start}1+2`]]).split(',')[0];
			// A value holding CR is quoted; the apostrophe is inside the quotes.
			expect(cell.replace(/^"/, '')).toMatch(/^'/);
		}
		expect(toCsv([['=HYPERLINK("http://x","y")', '@SUM(A1)', '-2+3', '+1']])).toBe(
			`"'=HYPERLINK(""http://x"",""y"")",'@SUM(A1),'-2+3,'+1\r\n`
		);
	});

	it('leaves numbers, plain texts and apostrophes before anything else alone', () => {
		expect(toCsv([[-5, 2.5, true, 'abc', "'abc", "it's", '张伟', '']])).toBe(
			"-5,2.5,true,abc,'abc,it's,张伟,\r\n"
		);
	});

	it('makes the scorecard CSV (download and kpi --format csv) safe too, numbers untouched', () => {
		const row: ScorecardRow = {
			login: '-x',
			name: '=cmd|"/c calc"!A0',
			jobs_completed: 3,
			repair_success_rate: 0.5,
			avg_repair_minutes: null,
			median_repair_minutes: null,
			duration_index: null,
			avg_response_hours: null,
			parts_cost_total: 0,
			parts_cost_per_job: null,
			csat: null,
			avg_satisfaction: null,
			follow_up_rate: null,
			record_accuracy: null,
			score: 12.5,
			grade: 'fail',
			rank: null
		};
		const [, line] = scorecardToCsv([row], { bom: true }).split('\r\n');
		expect(line).toBe(`'-x,"'=cmd|""/c calc""!A0",3,0.5,,,,,0,,,,,,12.5,fail,`);
	});

	it('writes literal columns (numbers kept as decimal text) as they are', () => {
		expect(toCsv([['-5', '-5', '=1']], { literalColumns: new Set([0, 2]) })).toBe("-5,'-5,=1\r\n");
	});

	it('adds one more apostrophe to a text that already starts with apostrophes and a formula', () => {
		expect(neutraliseFormula("'=x")).toBe("''=x");
		expect(neutraliseFormula("''-1")).toBe("'''-1");
		expect(restoreFormula("''=x")).toBe("'=x");
		expect(restoreFormula("'abc")).toBe("'abc");
		expect(restoreFormula('=x')).toBe('=x');
	});

	it('reads back every text exactly', () => {
		const text = fc.string({
			unit: fc.oneof(
				fc.constantFrom("'", ...FORMULA_STARTS),
				fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })
			)
		});
		fc.assert(
			fc.property(text, (value) => {
				expect(restoreFormula(neutraliseFormula(value))).toBe(value);
			}),
			{ numRuns: 2000 }
		);
	});
});

describe('limits', () => {
	const LIMITS = { columns: 5, recordChars: 100, fieldChars: 20 };

	it('stops at a record with more values than allowed', () => {
		const parsed = parseCsv(`a,b\n${'x,'.repeat(100_000)}\nc,d\n`, LIMITS);
		expect(parsed.records).toEqual([{ line: 1, fields: ['a', 'b'] }]);
		expect(parsed.problems).toEqual([{ line: 2, code: 'too_many_columns', max: 5 }]);
	});

	it('stops at a value or a record longer than allowed, quoted or not', () => {
		for (const value of ['y'.repeat(21), `"${'y'.repeat(21)}"`, `"${'""'.repeat(21)}"`]) {
			expect(parseCsv(`a\n${value}\nb\n`, LIMITS).problems).toEqual([
				{ line: 2, code: 'field_too_long', max: 20 }
			]);
		}
		const wide = `a\n${'yyyyyyyyy,'.repeat(4)}\n`;
		expect(parseCsv(wide, { ...LIMITS, recordChars: 30 }).problems).toEqual([
			{ line: 2, code: 'record_too_long', max: 30 }
		]);
		// A quote never closed before megabytes of text: refused at the limit, not at the end.
		const unclosed = `a\n"${'line\n'.repeat(1_000_000)}`;
		expect(parseCsv(unclosed, LIMITS).problems).toEqual([
			{ line: 2, code: 'field_too_long', max: 20 }
		]);
	});

	it('reads record by record, so that a caller can pause between them', () => {
		const items = readCsv('a\nb\n"c\n');
		expect(items.next().value).toEqual({ kind: 'record', record: { line: 1, fields: ['a'] } });
		expect(items.next().value).toEqual({ kind: 'record', record: { line: 2, fields: ['b'] } });
		expect([...items].map((item) => item.kind)).toEqual(['problem', 'record']);
	});
});
