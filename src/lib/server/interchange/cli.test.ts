/**
 * `npm run import | export | kpi` end to end: each CLI runs as a child process against a
 * scratch PGlite folder, on the hand-made spreadsheet folder in fixtures/spreadsheet (BOM,
 * CRLF and LF files, quoted commas, quotes and line breaks, columns in their own order, local
 * and ISO timestamps). Its KPIs for March 2026 were computed by hand (see the comments).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCORECARD_COLUMNS, type ScorecardRow } from '../../shared/kpi';
import { parseCsv } from './csv';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
const SPREADSHEET = path.join(here, 'fixtures/spreadsheet');
const run = promisify(execFile);
const SLOW = 180_000;

interface Outcome {
	code: number;
	stdout: string;
	stderr: string;
}

describe('interchange command lines', () => {
	let scratch: string;

	async function spawn(
		command: string,
		args: string[],
		locale: NodeJS.ProcessEnv = {}
	): Promise<Outcome> {
		// An English terminal unless a test says otherwise (problems follow LANG).
		const env: NodeJS.ProcessEnv = {
			...process.env,
			LC_ALL: '',
			LC_MESSAGES: '',
			LANG: 'C.UTF-8',
			...locale,
			PGLITE_DIR: path.join(scratch, 'db')
		};
		delete env.DATABASE_URL;
		try {
			const { stdout, stderr } = await run(command, args, { cwd: repoRoot, env });
			return { code: 0, stdout, stderr };
		} catch (error) {
			const failed = error as Outcome;
			return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
		}
	}
	// What `npm run <script>` runs (package.json), without npm's start-up second: the import
	// through its launcher, which bounds the heap.
	const command = (script: 'import' | 'export' | 'kpi') =>
		script === 'import' ? ['scripts/run-import.mjs'] : ['--import', 'tsx', `scripts/${script}.ts`];
	const cli = (script: 'import' | 'export' | 'kpi', ...args: string[]) =>
		spawn(process.execPath, [...command(script), ...args]);
	const chineseCli = (script: 'import', ...args: string[]) =>
		spawn(process.execPath, [...command(script), ...args], { LANG: 'zh_CN.UTF-8' });
	const march = ['--station', 'fix', '--from', '2026-03-01', '--to', '2026-04-01'];

	beforeAll(() => {
		scratch = mkdtempSync(path.join(tmpdir(), 'rs-interchange-cli-'));
	});
	afterAll(() => {
		rmSync(scratch, { recursive: true, force: true });
	});

	it(
		'imports the spreadsheet folder into a new station and prints a summary',
		async () => {
			const imported = await cli(
				'import',
				SPREADSHEET,
				'--station',
				'fix',
				'--station-name',
				'测试站'
			);
			expect(imported.stderr).not.toMatch(/problem/);
			expect(imported.code).toBe(0);
			expect(imported.stdout).toContain(
				`Imported ${SPREADSHEET} into the new station FIX (测试站, Asia/Shanghai).`
			);
			expect(imported.stdout).toMatch(/technicians: +3 created, 0 updated, 0 unchanged/);
			expect(imported.stdout).toMatch(/fault categories: +2 created/);
			expect(imported.stdout).toMatch(/parts: +2 created/);
			expect(imported.stdout).toMatch(/jobs: +9 created/);
			expect(imported.stdout).toMatch(/part lines: +5 written/);
			expect(imported.stdout).toMatch(/follow-ups: +6 written/);
		},
		SLOW
	);

	it(
		'prints the hand-computed KPIs as JSON, and nothing else, with npm run --silent',
		async () => {
			const printed = await spawn('npm', ['run', '--silent', 'kpi', '--', ...march]);
			expect(printed.code).toBe(0);
			const rows = JSON.parse(printed.stdout) as ScorecardRow[];
			for (const row of rows) expect(Object.keys(row)).toEqual([...SCORECARD_COLUMNS]);
			// Below 5 jobs nobody is ranked: rows by login.
			expect(rows.map((row) => row.login)).toEqual(['lina', 'zhangwei']);
			const [lina, zhangwei] = rows;

			// 张伟: Z-001 (90 min, std 90, 2 h to arrive, parts 25.50 + 0.5 × 78, follow-up 5, but
			// reworked: L-002 came back for serial " sn-aaa " 13 days later), Z-002 (60 min, std
			// 60, 4 h, follow-ups 3 then 4 — the latest counts), Z-003 (120 min, std 90, 0.5 h,
			// not fixed, parts 2 × 20). Z-004 is cancelled; Z-005 ends on April 1st, 00:30 local.
			expect(zhangwei).toMatchObject({
				name: '张伟',
				jobs_completed: 3,
				avg_repair_minutes: 90,
				median_repair_minutes: 90,
				parts_cost_total: 104.5,
				csat: 1,
				avg_satisfaction: 4.5,
				record_accuracy: 1,
				// 3 jobs and 2 ratings: every KPI below the default minimum sample of 5, so
				// nothing is scored (docs/kpi-rules.md "Minimum samples").
				score: null,
				grade: null,
				rank: null
			});
			expect(zhangwei.repair_success_rate).toBeCloseTo(1 / 3, 12);
			expect(zhangwei.duration_index).toBeCloseTo(270 / 240, 12);
			expect(zhangwei.avg_response_hours).toBeCloseTo(6.5 / 3, 12);
			expect(zhangwei.parts_cost_per_job).toBeCloseTo(104.5 / 3, 12);
			expect(zhangwei.follow_up_rate).toBeCloseTo(2 / 3, 12);

			// 李娜: L-001 (no arrival: flagged; 60 min, no category = 60 std; follow-up 2 and
			// "not resolved"), L-002 (45 min, std 60, 1 h, line 1 × 80 at catalog cost,
			// follow-up 5), L-003 (60 min, std 90, 1 h, an SMS follow-up without satisfaction).
			expect(lina).toMatchObject({
				name: '李娜',
				jobs_completed: 3,
				avg_repair_minutes: 55,
				median_repair_minutes: 60,
				avg_response_hours: 1,
				parts_cost_total: 80,
				csat: 0.5,
				avg_satisfaction: 3.5,
				follow_up_rate: 1,
				score: null,
				grade: null,
				rank: null
			});
			expect(lina.repair_success_rate).toBeCloseTo(2 / 3, 12);
			expect(lina.duration_index).toBeCloseTo(165 / 210, 12);
			expect(lina.parts_cost_per_job).toBeCloseTo(80 / 3, 12);
			expect(lina.record_accuracy).toBeCloseTo(2 / 3, 12);
		},
		SLOW
	);

	it(
		'prints CSV with the contract header and empty cells for null; periods are local dates',
		async () => {
			const printed = await cli(
				'kpi',
				'--station',
				'FIX',
				'--from',
				'2026-04-01',
				'--to',
				'2026-05-01',
				'--format',
				'csv'
			);
			expect(printed.code).toBe(0);
			// The same bytes as the supervisor's download: a BOM, so Excel reads UTF-8.
			expect(printed.stdout.startsWith('\uFEFFlogin,name,')).toBe(true);
			const { records, problems } = parseCsv(printed.stdout);
			expect(problems).toEqual([]);
			expect(records.map((record) => record.fields)).toEqual([
				[...SCORECARD_COLUMNS],
				// Z-005 alone, completed 2026-04-01 00:30 in Shanghai (still March in UTC): fixed,
				// 90 min against a standard of 60, 1 h to arrive, no parts, no follow-up (csat
				// and average satisfaction null). One job is below every default minimum sample
				// of 5: no score, grade or rank (empty cells).
				[
					'zhangwei',
					'张伟',
					'1',
					'1',
					'90',
					'90',
					'1.5',
					'1',
					'0',
					'0',
					'',
					'',
					'0',
					'1',
					'',
					'',
					''
				]
			]);
		},
		SLOW
	);

	it(
		'exports the station as the same files, with a BOM and station-offset timestamps',
		async () => {
			const folder = path.join(scratch, 'export');
			const exported = await cli('export', folder, '--station', 'fix');
			expect(exported.code).toBe(0);
			expect(exported.stdout).toContain('jobs.csv              9 rows');
			expect(exported.stdout).toContain(
				`\n  npm run import -- ${folder} --station FIX --station-name '测试站' --timezone Asia/Shanghai\n`
			);
			const jobs = readFileSync(path.join(folder, 'jobs.csv'), 'utf8');
			expect(jobs.startsWith('\uFEFFjob_no,technician_login,reported_at,status,')).toBe(true);
			expect(jobs).toContain(
				'Z-001,zhangwei,2026-03-02T09:00:00+08:00,completed,陈磊,,"上海市静安区南京西路1266号, 3楼",,SN-AAA,COOL,"冰箱不制冷，\n客户说""完全不冷""",2026-03-02T11:00:00+08:00,2026-03-02T11:10:00+08:00,2026-03-02T12:40:00+08:00,fixed,,\r\n'
			);
			// The serial keeps the spaces it was typed with, so it is quoted.
			expect(jobs).toContain(
				'L-002,lina,2026-03-15T09:00:00+08:00,completed,陈磊,,"上海市静安区南京西路1266号, 3楼",," sn-aaa ",NOISE,'
			);
			const followUps = readFileSync(path.join(folder, 'follow_ups.csv'), 'utf8');
			expect(followUps).toContain(
				'L-002,2026-03-16T10:00:00+08:00,phone,5,true,"客户说：""这次好了""\n谢谢"\r\n'
			);
		},
		SLOW
	);

	it(
		'refuses a folder with problems: lists them, exits 1, creates nothing',
		async () => {
			const folder = path.join(scratch, 'broken');
			cpSync(SPREADSHEET, folder, { recursive: true });
			writeFileSync(
				path.join(folder, 'follow_ups.csv'),
				'job_no,visited_at,satisfaction\r\nZ-001,2026-03-03 10:00,9\r\nZ-404,2026-03-03,\r\n'
			);
			const refused = await cli('import', folder, '--station', 'other');
			expect(refused.code).toBe(1);
			expect(refused.stdout).toBe('');
			expect(refused.stderr).toContain(
				'follow_ups.csv:2: satisfaction: 9 is not between 1 and 5\n' +
					'follow_ups.csv:3: visited_at: is not a timestamp; write YYYY-MM-DD HH:mm[:ss] (station time) or ISO 8601 with an offset, e.g. 2026-03-02T09:30:00+08:00\n' +
					'follow_ups.csv:3: job_no: "Z-404" is neither in jobs.csv nor a job of station OTHER\n' +
					`Nothing was imported: 3 problems in ${folder}.`
			);
			// A Chinese terminal reads the same problems in Chinese, in the same form.
			const chinese = await chineseCli('import', folder, '--station', 'other');
			expect(chinese.code).toBe(1);
			expect(chinese.stderr).toContain(
				'follow_ups.csv:2: satisfaction: 9 不在 1 到 5 之间\n' +
					'follow_ups.csv:3: visited_at: 不是时间；请写 YYYY-MM-DD HH:mm[:ss]（服务站时间）或带时差的 ISO 8601，例如 2026-03-02T09:30:00+08:00\n' +
					'follow_ups.csv:3: job_no: “Z-404”既不在 jobs.csv 中，也不是服务站 OTHER 的工单\n' +
					`没有导入任何内容：${folder} 中有 3 个问题。`
			);
			const nothing = await cli(
				'kpi',
				'--station',
				'other',
				'--from',
				'2026-03-01',
				'--to',
				'2026-04-01'
			);
			expect(nothing.code).toBe(1);
			expect(nothing.stderr).toContain('There is no station with code OTHER.');
		},
		SLOW
	);

	it(
		'rejects bad arguments with exit code 2 and the usage',
		async () => {
			const noStation = await cli('import', SPREADSHEET);
			expect(noStation.code).toBe(2);
			expect(noStation.stderr).toContain(
				'Error: --station is required\nUsage: npm run import -- <folder>'
			);

			const noFolder = await cli('import', path.join(scratch, 'nowhere'), '--station', 'X');
			expect(noFolder.code).toBe(2);
			expect(noFolder.stderr).toContain('cannot read the folder');

			const badFormat = await cli('kpi', ...march, '--format', 'xml');
			expect(badFormat.code).toBe(2);
			expect(badFormat.stderr).toMatch(/--format .*"json"\|"csv"/);

			const backwards = await cli(
				'kpi',
				'--station',
				'fix',
				'--from',
				'2026-04-01',
				'--to',
				'2026-03-01'
			);
			expect(backwards.code).toBe(2);
			expect(backwards.stderr).toContain('--to must be after "from"');

			const badDate = await cli(
				'kpi',
				'--station',
				'fix',
				'--from',
				'2026-02-30',
				'--to',
				'2026-03-01'
			);
			expect(badDate.code).toBe(2);
			expect(badDate.stderr).toContain('--from must be a real calendar date');

			const noExportFolder = await cli('export', '--station', 'fix');
			expect(noExportFolder.code).toBe(2);
			expect(noExportFolder.stderr).toContain('<folder> is required');
		},
		SLOW
	);
});
