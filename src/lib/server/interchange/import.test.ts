import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { queryRows } from '../db/rows';
import { testEngines } from '../testing/databases';
import { createStation, createUser } from '../testing/fixtures';
import { refreshStaleFacts } from '../kpi/fact-refresh';
import { computeScorecard } from '../kpi/scorecard';
import { exportStationFiles } from './export';
import { importStationFiles, type ImportFiles, type ImportResult } from './import';
import { MAX_LISTED_PROBLEMS, renderProblemReport } from './problems';
import { IMPORT_LIMITS } from './table';
import { toCsv } from './csv';
import { csv, dumpDatabase } from './testing';

/** A small, valid folder; the error cases below change one file at a time. */
const BASE: Record<string, string> = {
	'technicians.csv': csv('login,name,role', 'zhang,张伟,technician', 'li,李娜,'),
	'fault_categories.csv': csv('code,name,standard_minutes', 'COOL,制冷故障,90'),
	'parts.csv': csv('sku,name,unit_cost,unit', 'CAP,启动电容,25.50,个'),
	'jobs.csv': csv(
		'job_no,technician_login,reported_at,status,fault_category,arrived_at,started_at,completed_at,outcome,previous_job_no,device_serial',
		'J1,zhang,2026-03-02 09:00,completed,COOL,2026-03-02 10:00,2026-03-02 10:10,2026-03-02 11:00,fixed,,SN1',
		'J2,li,2026-03-03 09:00,open,,,,,,J1,'
	),
	'job_parts.csv': csv('job_no,sku,qty,unit_cost', 'J1,CAP,1,'),
	'follow_ups.csv': csv(
		'job_no,visited_at,channel,satisfaction,issue_resolved,comment',
		'J1,2026-03-04 10:00,phone,5,yes,好'
	)
};

/** The problems as the command line prints them in English. */
function expectProblems(result: ImportResult): string[] {
	if (result.ok) throw new Error('expected the import to be refused');
	return renderProblemReport(result, 'en');
}

function expectSummary(result: ImportResult) {
	if (!result.ok) {
		throw new Error(
			`expected the import to succeed:\n${renderProblemReport(result, 'en').join('\n')}`
		);
	}
	return result.summary;
}

interface RefusalCase {
	name: string;
	files: ImportFiles;
	problems: string[];
	station?: { stationName?: string; timeZone?: string; stationCode?: string };
}

const GBK_BYTES = new Uint8Array([0xd5, 0xc5, 0xce, 0xb0, 0x2c, 0x0a]); // "张伟," in GBK
/** "login,name\nshi,史同伟业\n" in GBK: bytes that are valid UTF-8 too ("shi,ʷͬΰҵ"). */
const GBK_VALID_UTF8 = new Uint8Array([
	...new TextEncoder().encode('login,name\n'),
	0x73,
	0x68,
	0x69,
	0x2c,
	0xca,
	0xb7,
	0xcd,
	0xac,
	0xce,
	0xb0,
	0xd2,
	0xb5,
	0x0a
]);

const REFUSALS: RefusalCase[] = [
	{
		name: 'technicians: login, name, role, admins, repeated logins',
		files: {
			'technicians.csv': csv(
				'login,name,role',
				'zhang,张伟,technician',
				'张三,张三,',
				'wu,,technician',
				'he,何,boss',
				'boss,老板,admin',
				'root,管理员,',
				'zhang,张伟二,'
			)
		},
		problems: [
			'technicians.csv:3: login: "张三" is not a login: at most 64 letters, digits, ".", "_" and "-"',
			'technicians.csv:4: name: is required',
			'technicians.csv:5: role: "boss" is not one of technician, supervisor',
			'technicians.csv:6: role: "admin" is not one of technician, supervisor',
			'technicians.csv:7: login: "root" is an admin account; imports do not change admins',
			'technicians.csv:8: login: "zhang" is already on line 2'
		]
	},
	{
		name: 'fault categories: standard minutes, repeated codes, missing names',
		files: {
			'fault_categories.csv': csv(
				'code,name,standard_minutes',
				'COOL,制冷故障,0',
				'NOISE,噪音,abc',
				'DOOR,门封,4.5',
				'COOL,制冷,90',
				'LEAK,,30'
			)
		},
		problems: [
			'fault_categories.csv:2: standard_minutes: 0 is not between 1 and 10000',
			'fault_categories.csv:3: standard_minutes: "abc" is not a whole number',
			'fault_categories.csv:4: standard_minutes: "4.5" is not a whole number',
			'fault_categories.csv:5: code: "COOL" is already on line 2',
			'fault_categories.csv:6: name: is required'
		]
	},
	{
		name: 'parts: unit costs and repeated SKUs',
		files: {
			'parts.csv': csv(
				'sku,name,unit_cost,unit',
				'CAP,启动电容,-1,个',
				'GAS,制冷剂,1.234,瓶',
				'FAN,风扇,,个',
				'CAP,电容,10,个'
			)
		},
		problems: [
			'parts.csv:2: unit_cost: "-1" must be a non-negative amount with at most 2 decimals',
			'parts.csv:3: unit_cost: "1.234" must be a non-negative amount with at most 2 decimals',
			'parts.csv:4: unit_cost: is required',
			'parts.csv:5: sku: "CAP" is already on line 2'
		]
	},
	{
		name: 'jobs: values, status rules, references, repeated job numbers',
		files: {
			'jobs.csv': csv(
				'job_no,technician_login,reported_at,status,fault_category,completed_at,outcome,previous_job_no,customer_name',
				'J1,zhang,2026-03-02 09:00,completed,COOL,2026-03-02 11:00,fixed,,',
				'J1,zhang,2026-03-02 09:00,open,,,,,',
				'J3,nobody,2026-03-02 09:00,open,,,,,',
				'J4,zhang,03/02/2026 09:00,done,,,,,',
				'J5,zhang,2026-03-02 09:00,completed,,,,,',
				'J6,zhang,2026-03-02 09:00,in_progress,,,fixed,,',
				'J7,zhang,2026-03-02 09:00,open,HEAT,,,J99,',
				'J8,zhang,2026-03-02 09:00,open,,,,J8,',
				`J9,zhang,2026-02-30 09:00,open,,,,,${'名'.repeat(101)}`,
				',,,,,,,,',
				',zhang,,open,,,,,'
			)
		},
		problems: [
			'jobs.csv:3: job_no: "J1" is already on line 2',
			'jobs.csv:4: technician_login: "nobody" is neither in technicians.csv nor a user of station ERR',
			'jobs.csv:5: reported_at: is not a timestamp; write YYYY-MM-DD HH:mm[:ss] (station time) or ISO 8601 with an offset, e.g. 2026-03-02T09:30:00+08:00',
			'jobs.csv:5: status: "done" is not one of open, in_progress, completed, cancelled',
			'jobs.csv:6: completed_at: is required for a completed job',
			'jobs.csv:6: outcome: is required for a completed job (fixed or not_fixed)',
			'jobs.csv:7: outcome: only a completed job has an outcome; this one is in_progress',
			'jobs.csv:8: fault_category: "HEAT" is neither in fault_categories.csv nor a category of station ERR',
			'jobs.csv:8: previous_job_no: "J99" is neither in jobs.csv nor a job of station ERR',
			'jobs.csv:9: previous_job_no: a job cannot be its own previous job',
			'jobs.csv:10: reported_at: is not a real calendar date',
			'jobs.csv:10: customer_name: is 101 characters long; at most 100 fit',
			'jobs.csv:12: job_no: is required',
			'jobs.csv:12: reported_at: is required'
		]
	},
	{
		name: 'part lines: jobs, parts, quantities, costs',
		files: {
			'job_parts.csv': csv(
				'job_no,sku,qty,unit_cost',
				'J1,CAP,0,',
				'J404,CAP,1,',
				'J1,NOPE,1,',
				'J1,CAP,1.5,2.005',
				'J1,CAP,-2,',
				'J1,CAP,,'
			)
		},
		problems: [
			'job_parts.csv:2: qty: "0" must be greater than 0',
			'job_parts.csv:3: job_no: "J404" is neither in jobs.csv nor a job of station ERR',
			'job_parts.csv:4: sku: "NOPE" is neither in parts.csv nor a part of station ERR',
			'job_parts.csv:5: unit_cost: "2.005" must be a non-negative amount with at most 2 decimals',
			'job_parts.csv:6: qty: "-2" must be a number with at most 3 decimals',
			'job_parts.csv:7: qty: is required'
		]
	},
	{
		name: 'follow-ups: satisfaction, issue_resolved, channel, visit time, job',
		files: {
			'follow_ups.csv': csv(
				'job_no,visited_at,channel,satisfaction,issue_resolved,comment',
				'J1,2026-03-04 10:00,phone,6,yes,',
				'J1,2026-03-04 10:00,phone,4.5,yes,',
				'J1,2026-03-04 10:00,phone,,maybe,',
				'J1,2026-03-04 10:00,email,,,',
				'J1,,phone,,,',
				'J404,2026-03-04 10:00,phone,,,'
			)
		},
		problems: [
			'follow_ups.csv:2: satisfaction: 6 is not between 1 and 5',
			'follow_ups.csv:3: satisfaction: "4.5" is not a whole number',
			'follow_ups.csv:4: issue_resolved: "maybe" is not true/false, yes/no, 1/0 or 是/否',
			'follow_ups.csv:5: channel: "email" is not one of phone, onsite, sms, other',
			'follow_ups.csv:6: visited_at: is required',
			'follow_ups.csv:7: job_no: "J404" is neither in jobs.csv nor a job of station ERR'
		]
	},
	{
		name: 'headers: unknown, missing, repeated and nameless columns',
		files: {
			'technicians.csv': csv('login,name,colour', 'zhang,张伟,red'),
			'parts.csv': csv('sku,name,name,unit_cost', 'CAP,a,b,1'),
			'job_parts.csv': csv('job_no,qty,', 'J1,1,x'),
			'follow_ups.csv': csv('job_no,visited_at,', 'J1,2026-03-04 10:00,')
		},
		problems: [
			'technicians.csv:1: colour: unknown column; technicians.csv has the columns login, name, role',
			'parts.csv:1: name: the column appears twice in the header',
			'job_parts.csv:1: (column 3): has values but no name in the header',
			'job_parts.csv:1: sku: required column is missing'
		]
	},
	{
		name: 'files: unknown name, missing jobs.csv, not UTF-8, empty, bad quoting, row widths',
		files: {
			'jobs.csv': undefined as unknown as string,
			'job-parts.csv': csv('job_no,sku,qty', 'J1,CAP,1'),
			'technicians.csv': GBK_BYTES,
			'parts.csv': '',
			'fault_categories.csv': csv('code,name', 'COOL,制冷', 'NOISE,噪音,60', 'DOOR'),
			'follow_ups.csv': csv('job_no,visited_at,comment', 'J1,2026-03-04 10:00,"好', 'J1,x,y')
		},
		problems: [
			'technicians.csv:1: (file): is GBK/GB18030 text (what Excel on Chinese Windows saves as plain "CSV"), not UTF-8: open it in Excel, choose Save As → "CSV UTF-8 (Comma delimited)" (CSV UTF-8 逗号分隔) and import that file',
			'fault_categories.csv:3: (row): has 3 values but the header names 2 columns',
			'fault_categories.csv:4: (row): has 1 value but the header names 2 columns',
			'parts.csv:1: (file): is empty; the first line must name the columns',
			'follow_ups.csv:2: (row): a quoted value is never closed',
			'job-parts.csv:1: (file): unknown file; an import folder holds technicians.csv, fault_categories.csv, parts.csv, jobs.csv, job_parts.csv, follow_ups.csv',
			'jobs.csv:1: (file): is missing; every import needs it'
		]
	},
	{
		name: 'files: GBK whose bytes are valid UTF-8 (accented Latin text is no GBK)',
		files: {
			'technicians.csv': GBK_VALID_UTF8,
			'parts.csv': new TextEncoder().encode('sku,name,unit_cost\nNAIL,Café Müller São Paulo,1\n')
		},
		problems: [
			'technicians.csv:1: (file): is GBK/GB18030 text (what Excel on Chinese Windows saves as plain "CSV"), not UTF-8: open it in Excel, choose Save As → "CSV UTF-8 (Comma delimited)" (CSV UTF-8 逗号分隔) and import that file'
		]
	},
	{
		name: 'jobs: years a spreadsheet got wrong (0026, 1926, 2126) are out of the plausible range',
		files: {
			'jobs.csv': csv(
				'job_no,technician_login,reported_at,status,completed_at,outcome',
				'J1,zhang,0026-03-02 09:00,open,,',
				'J2,zhang,1926-03-02T09:00:00+08:00,completed,2126-03-02 10:00,fixed',
				'J3,zhang,1999-12-31 23:59,open,,',
				'J4,zhang,2000-01-01 08:00,open,,'
			)
		},
		problems: [
			expect.stringMatching(
				/^jobs\.csv:2: reported_at: 0026-03-02 09:00 is outside the plausible range 2000-01-01 to \d{4}-\d\d-\d\d: check the year/
			),
			expect.stringMatching(/^jobs\.csv:3: reported_at: 1926-03-02T09:00:00\+08:00 is outside/),
			expect.stringMatching(/^jobs\.csv:3: completed_at: 2126-03-02 10:00 is outside/),
			expect.stringMatching(/^jobs\.csv:4: reported_at: 1999-12-31 23:59 is outside/)
		]
	},
	{
		name: 'station: an existing station keeps its name and time zone',
		files: {},
		station: { stationName: '别的名字', timeZone: 'Europe/Berlin' },
		problems: [
			'station name: station ERR exists and is named "ERR 服务站", not "别的名字"; an import does not rename a station',
			'time zone: station ERR exists with time zone Asia/Shanghai, not Europe/Berlin; an import does not change it'
		]
	},
	{
		name: 'station: code and time zone must be valid',
		files: {},
		station: { stationCode: 'A B', timeZone: 'Mars/Olympus' },
		problems: [
			'station code: station code may contain only letters, digits, "_" and "-"',
			'time zone: unknown time zone "Mars/Olympus" (expected e.g. Asia/Shanghai)'
		]
	}
];

for (const engine of testEngines()) {
	describe(`CSV import on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const station = await createStation(db, 'ERR');
			await createUser(db, station, 'root', 'admin');
			expectSummary(await importStationFiles(db, { stationCode: 'ERR' }, BASE));
		});
		afterAll(async () => {
			await handle?.close();
		});

		async function jobRows(code: string) {
			return queryRows<Record<string, unknown>>(
				db,
				sql`SELECT j.job_no, u.login, j.status::text AS status, j.outcome::text AS outcome,
						to_char(j.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS reported_utc,
						fc.code AS category, pj.job_no AS previous, j.device_serial, j.notes
					FROM jobs j
					JOIN stations s ON s.id = j.station_id
					JOIN users u ON u.station_id = j.station_id AND u.id = j.technician_id
					LEFT JOIN fault_categories fc ON fc.station_id = j.station_id AND fc.id = j.fault_category_id
					LEFT JOIN jobs pj ON pj.station_id = j.station_id AND pj.id = j.previous_job_id
					WHERE s.code = ${code}
					ORDER BY j.job_no`
			);
		}

		for (const refusal of REFUSALS) {
			it(`refuses, lists every problem and changes nothing — ${refusal.name}`, async () => {
				const before = await dumpDatabase(db);
				const files: ImportFiles = { ...BASE, ...refusal.files };
				for (const [name, content] of Object.entries(files)) {
					if (content === undefined) delete files[name];
				}
				const result = await importStationFiles(
					db,
					{ stationCode: 'ERR', ...refusal.station },
					files
				);
				expect(expectProblems(result)).toEqual(refusal.problems);
				expect(await dumpDatabase(db)).toEqual(before);
			});
		}

		it('reads a station-local time that does not exist as a problem (America/New_York)', async () => {
			const files = {
				...BASE,
				'jobs.csv': csv(
					'job_no,technician_login,reported_at,status',
					'J1,zhang,2026-03-08 02:30,open'
				),
				'job_parts.csv': csv('job_no,sku,qty'),
				'follow_ups.csv': csv('job_no,visited_at')
			};
			const before = await dumpDatabase(db);
			const result = await importStationFiles(
				db,
				{ stationCode: 'NYGAP', timeZone: 'America/New_York' },
				files
			);
			expect(expectProblems(result)).toEqual([
				'jobs.csv:2: reported_at: does not exist in America/New_York: the clocks skipped it (daylight saving time began); write the time with its UTC offset if it is right'
			]);
			// Not even the new station was created.
			expect(await dumpDatabase(db)).toEqual(before);
		});

		it('keeps a job not dispatched yet (empty technician_login) through import and export', async () => {
			const files = {
				...BASE,
				'jobs.csv': csv(
					'job_no,technician_login,reported_at,status',
					'W1,,2026-03-05 08:00,open',
					'W2,,2026-03-05 08:30,cancelled',
					'W3,zhang,2026-03-05 09:00,open'
				),
				'job_parts.csv': csv('job_no,sku,qty'),
				'follow_ups.csv': csv('job_no,visited_at')
			};
			expectSummary(await importStationFiles(db, { stationCode: 'UNASSIGNED' }, files));
			const exported = await exportStationFiles(db, 'UNASSIGNED');
			const lines = exported!.files['jobs.csv'].trim().split(/\r?\n/).slice(1);
			expect(
				lines.map((line) =>
					line
						.split(',')
						.slice(0, 4)
						.join(',')
						.replace(/,20\S+?,/, ',…,')
				)
			).toEqual(['W1,,…,open', 'W2,,…,cancelled', 'W3,zhang,…,open']);
			const origins = await queryRows<{ origin: string; assigned: boolean }>(
				db,
				sql`SELECT DISTINCT j.origin::text AS origin, j.technician_id IS NOT NULL AS assigned
					FROM jobs j JOIN stations s ON s.id = j.station_id
					WHERE s.code = 'UNASSIGNED' ORDER BY 2`
			);
			expect(origins).toEqual([
				{ origin: 'import', assigned: false },
				{ origin: 'import', assigned: true }
			]);
		});

		it('keeps who recorded each follow-up (source) through import and export, and scores only others', async () => {
			const files = {
				...BASE,
				'follow_ups.csv': csv(
					'job_no,visited_at,channel,satisfaction,issue_resolved,comment,source',
					'J1,2026-03-04 10:00,phone,1,no,不满意,desk',
					'J1,2026-03-05 10:00,onsite,5,yes,自评,technician'
				)
			};
			expectSummary(await importStationFiles(db, { stationCode: 'SOURCES' }, files));
			const exported = await exportStationFiles(db, 'SOURCES');
			const lines = exported!.files['follow_ups.csv']
				.replace(/^\uFEFF/, '')
				.trim()
				.split(/\r?\n/);
			expect(lines[0]).toBe('job_no,visited_at,channel,satisfaction,issue_resolved,comment,source');
			expect(lines.slice(1).map((line) => line.split(',').at(-1))).toEqual(['desk', 'technician']);
			// The technician's own 5 does not override the customer's 1 said to the desk.
			const [station] = await queryRows<{ id: string }>(
				db,
				sql`SELECT id::text AS id FROM stations WHERE code = 'SOURCES'`
			);
			await refreshStaleFacts(db);
			const [row] = await computeScorecard(db, {
				stationId: station.id,
				from: '2026-03-01',
				to: '2026-04-01'
			});
			expect(row.avg_satisfaction).toBe(1);
			expect(row.repair_success_rate).toBe(0);

			const refused = expectProblems(
				await importStationFiles(
					db,
					{ stationCode: 'SOURCES' },
					{
						...files,
						'follow_ups.csv': csv(
							'job_no,visited_at,satisfaction,source',
							'J1,2026-03-04 10:00,5,customer'
						)
					}
				)
			);
			expect(refused).toContain(
				'follow_ups.csv:2: source: "customer" is not one of technician, desk, supervisor, survey, import'
			);
		});

		it('refuses an empty technician_login on a job that is in progress or completed', async () => {
			const files = {
				...BASE,
				'jobs.csv': csv(
					'job_no,technician_login,reported_at,status,completed_at,outcome',
					'X1,,2026-03-05 08:00,in_progress,,',
					'X2,,2026-03-05 08:00,completed,2026-03-05 10:00,fixed'
				),
				'job_parts.csv': csv('job_no,sku,qty'),
				'follow_ups.csv': csv('job_no,visited_at')
			};
			const before = await dumpDatabase(db);
			const result = await importStationFiles(db, { stationCode: 'ERR' }, files);
			expect(expectProblems(result)).toEqual([
				'jobs.csv:2: technician_login: is required unless the job is open or cancelled (not dispatched yet); this one is in_progress',
				'jobs.csv:3: technician_login: is required unless the job is open or cancelled (not dispatched yet); this one is completed'
			]);
			expect(await dumpDatabase(db)).toEqual(before);
		});

		it('rolls everything back when the database refuses a row, and says so', async () => {
			// A rule the import does not know about, to make the very last statement fail.
			await db.execute(
				sql`ALTER TABLE follow_ups ADD CONSTRAINT test_no_sms CHECK (channel <> 'sms')`
			);
			try {
				const before = await dumpDatabase(db);
				const files = {
					...BASE,
					'technicians.csv': csv('login,name', 'zhang,张伟', 'newcomer,新人'),
					'follow_ups.csv': csv('job_no,visited_at,channel', 'J1,2026-03-04 10:00,sms')
				};
				const problems = expectProblems(
					await importStationFiles(db, { stationCode: 'ERR' }, files)
				);
				expect(problems).toHaveLength(1);
				expect(problems[0]).toMatch(
					/^database: the database refused the import, so nothing was imported: .*test_no_sms$/
				);
				expect(await dumpDatabase(db)).toEqual(before);
			} finally {
				await db.execute(sql`ALTER TABLE follow_ups DROP CONSTRAINT test_no_sms`);
			}
		});

		it('creates the station with defaults, technicians without passwords', async () => {
			const summary = expectSummary(await importStationFiles(db, { stationCode: 'new1' }, BASE));
			expect(summary.station).toEqual({
				code: 'NEW1',
				name: 'NEW1',
				timeZone: 'Asia/Shanghai',
				created: true
			});
			expect(summary.technicians).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
			expect(summary.jobs).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
			expect(summary.partLines).toEqual({ removed: 0, written: 1, unchanged: 0 });
			expect(summary.followUps).toEqual({ removed: 0, written: 1, unchanged: 0 });

			const people = await queryRows<Record<string, unknown>>(
				db,
				sql`SELECT u.login, u.name, u.role::text AS role, u.password_hash IS NULL AS no_password, u.active
					FROM users u JOIN stations s ON s.id = u.station_id
					WHERE s.code = 'NEW1' ORDER BY u.login`
			);
			expect(people).toEqual([
				{ login: 'li', name: '李娜', role: 'technician', no_password: true, active: true },
				{ login: 'zhang', name: '张伟', role: 'technician', no_password: true, active: true }
			]);
			expect(await jobRows('NEW1')).toEqual([
				{
					job_no: 'J1',
					login: 'zhang',
					status: 'completed',
					outcome: 'fixed',
					reported_utc: '2026-03-02T01:00:00',
					category: 'COOL',
					previous: null,
					device_serial: 'SN1',
					notes: ''
				},
				{
					job_no: 'J2',
					login: 'li',
					status: 'open',
					outcome: null,
					reported_utc: '2026-03-03T01:00:00',
					category: null,
					previous: 'J1',
					device_serial: '',
					notes: ''
				}
			]);
			const [line] = await queryRows<{ qty: string; unit_cost: string }>(
				db,
				sql`SELECT jp.qty::text AS qty, jp.unit_cost::text AS unit_cost
					FROM job_parts jp JOIN stations s ON s.id = jp.station_id WHERE s.code = 'NEW1'`
			);
			// No unit_cost in the line: the part's catalog cost of the folder.
			expect(line).toEqual({ qty: '1.000', unit_cost: '25.50' });
		});

		it('uses the name and time zone given for a new station', async () => {
			const summary = expectSummary(
				await importStationFiles(
					db,
					{ stationCode: 'NEW2', stationName: '二号站', timeZone: 'Europe/Berlin' },
					BASE
				)
			);
			expect(summary.station).toMatchObject({ name: '二号站', timeZone: 'Europe/Berlin' });
			// 09:00 in Berlin in March (CET, +01:00).
			expect((await jobRows('NEW2'))[0].reported_utc).toBe('2026-03-02T08:00:00');
		});

		it('is idempotent: the same folder twice leaves the same data and writes nothing new', async () => {
			expectSummary(await importStationFiles(db, { stationCode: 'IDEM' }, BASE));
			const firstExport = await exportStationFiles(db, 'IDEM');
			const first = await dumpDatabase(db);

			const again = expectSummary(await importStationFiles(db, { stationCode: 'IDEM' }, BASE));
			expect(again.station.created).toBe(false);
			expect(again.technicians).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
			expect(again.faultCategories).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
			expect(again.parts).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
			expect(again.jobs).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
			expect(again.partLines).toEqual({ removed: 0, written: 0, unchanged: 1 });
			expect(again.followUps).toEqual({ removed: 0, written: 0, unchanged: 1 });

			// Nothing was written: same ids and updated_at, no tombstones, history, step entries
			// or stale KPI facts for devices and the scorecard to catch up on.
			expect(await dumpDatabase(db)).toEqual(first);
			expect(await exportStationFiles(db, 'IDEM')).toEqual(firstExport);
		});

		it('re-imports a changed folder writing only the difference: other rows keep their ids', async () => {
			const files = {
				...BASE,
				'job_parts.csv': csv('job_no,sku,qty', 'J1,CAP,1', 'J1,CAP,1', 'J1,CAP,2', 'J2,CAP,3'),
				'follow_ups.csv': csv(
					'job_no,visited_at,satisfaction',
					'J1,2026-03-04 10:00,5',
					'J2,2026-03-05 10:00,4'
				)
			};
			expectSummary(await importStationFiles(db, { stationCode: 'CHURN' }, files));
			const idsOf = async (table: 'job_parts' | 'follow_ups') =>
				(
					await queryRows<{ id: string }>(
						db,
						sql`SELECT t.id::text AS id FROM ${sql.identifier(table)} t
							JOIN stations s ON s.id = t.station_id WHERE s.code = 'CHURN' ORDER BY 1`
					)
				).map((row) => row.id);
			const lineIds = await idsOf('job_parts');
			const followUpIds = await idsOf('follow_ups');
			const tombstones = async () =>
				(
					await queryRows<{ count: number }>(
						db,
						sql`SELECT count(*)::int AS count FROM sync_tombstones t
							JOIN stations s ON s.id = t.station_id WHERE s.code = 'CHURN'`
					)
				)[0].count;
			const tombstonesBefore = await tombstones();

			// One of J1's two equal lines goes, J2's quantity changes; J1's follow-up is the same.
			const changed = {
				...files,
				'job_parts.csv': csv('job_no,sku,qty', 'J1,CAP,2', 'J1,CAP,1', 'J2,CAP,4'),
				'follow_ups.csv': csv(
					'job_no,visited_at,satisfaction',
					'J1,2026-03-04 10:00,5',
					'J2,2026-03-05 10:00,2'
				)
			};
			const preview = expectSummary(
				await importStationFiles(db, { stationCode: 'CHURN' }, changed, { dryRun: true })
			);
			expect(preview.dryRun).toBe(true);
			expect(preview.partLines).toEqual({ removed: 2, written: 1, unchanged: 2 });
			expect(await idsOf('job_parts')).toEqual(lineIds);

			const summary = expectSummary(
				await importStationFiles(db, { stationCode: 'CHURN' }, changed)
			);
			expect(summary.dryRun).toBe(false);
			expect(summary.partLines).toEqual({ removed: 2, written: 1, unchanged: 2 });
			expect(summary.followUps).toEqual({ removed: 1, written: 1, unchanged: 1 });
			const keptLines = (await idsOf('job_parts')).filter((id) => lineIds.includes(id));
			expect(keptLines).toHaveLength(2);
			expect((await idsOf('follow_ups')).filter((id) => followUpIds.includes(id))).toHaveLength(1);
			// Tombstones for devices: the two lines and one follow-up removed, nothing else.
			expect((await tombstones()) - tombstonesBefore).toBe(3);
		});

		it('previews a dry run: counts what would change, writes nothing, reports progress', async () => {
			const before = await dumpDatabase(db);
			const seen: string[] = [];
			const summary = expectSummary(
				await importStationFiles(db, { stationCode: 'DRY' }, BASE, {
					dryRun: true,
					onProgress: ({ phase, file }) => seen.push(`${phase} ${file}`)
				})
			);
			expect(summary).toMatchObject({
				dryRun: true,
				station: { code: 'DRY', created: true },
				jobs: { inserted: 2, updated: 0, unchanged: 0 },
				partLines: { removed: 0, written: 1, unchanged: 0 }
			});
			expect(await dumpDatabase(db)).toEqual(before);
			expect(seen).toContain('reading jobs.csv');
			expect(seen).toContain('checking follow_ups.csv');
			expect(seen.at(-1)).toBe('writing follow_ups.csv');
		});

		it('updates rows by key, keeps columns the files leave out, replaces lines per job', async () => {
			const files = {
				...BASE,
				'jobs.csv': csv(
					'job_no,technician_login,reported_at,status,notes,device_serial',
					'J1,zhang,2026-03-02 09:00,open,第一次,SN1',
					'J2,li,2026-03-03 09:00,open,,SN2',
					'J3,li,2026-03-04 09:00,open,,'
				),
				'job_parts.csv': csv('job_no,sku,qty', 'J1,CAP,1', 'J2,CAP,2', 'J3,CAP,3'),
				'follow_ups.csv': csv('job_no,visited_at', 'J1,2026-03-04 10:00', 'J2,2026-03-05 10:00')
			};
			expectSummary(await importStationFiles(db, { stationCode: 'UPD' }, files));

			const changed = {
				'technicians.csv': csv('login,name', 'zhang,张伟（组长）'),
				'parts.csv': csv('sku,name,unit_cost', 'CAP,启动电容,30'),
				// No notes or serial column: those stay as they are. J2 is not in the folder.
				'jobs.csv': csv(
					'job_no,technician_login,reported_at,status',
					'J1,li,2026-03-02 09:00,cancelled',
					'J3,li,2026-03-04 09:00,open'
				),
				// Replaces J1's and J3's lines (J3 gets none), and those of J2, which it names.
				'job_parts.csv': csv('job_no,sku,qty', 'J1,CAP,5', 'J2,CAP,7')
				// No follow_ups.csv: follow-ups stay.
			};
			const summary = expectSummary(await importStationFiles(db, { stationCode: 'UPD' }, changed));
			expect(summary.technicians).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
			expect(summary.parts).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
			expect(summary.jobs).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
			expect(summary.partLines).toEqual({ removed: 3, written: 2, unchanged: 0 });
			expect(summary.followUps).toBeNull();

			const exported = await exportStationFiles(db, 'UPD');
			expect(exported?.files['technicians.csv']).toBe(
				'\uFEFFlogin,name,role\r\nli,李娜,technician\r\nzhang,张伟（组长）,technician\r\n'
			);
			const jobs = await jobRows('UPD');
			expect(
				jobs.map((job) => [job.job_no, job.login, job.status, job.notes, job.device_serial])
			).toEqual([
				['J1', 'li', 'cancelled', '第一次', 'SN1'],
				['J2', 'li', 'open', '', 'SN2'],
				['J3', 'li', 'open', '', '']
			]);
			const lines = await queryRows<{ job_no: string; qty: string; unit_cost: string }>(
				db,
				sql`SELECT j.job_no, jp.qty::text AS qty, jp.unit_cost::text AS unit_cost
					FROM job_parts jp
					JOIN jobs j ON j.station_id = jp.station_id AND j.id = jp.job_id
					JOIN stations s ON s.id = jp.station_id
					WHERE s.code = 'UPD' ORDER BY j.job_no`
			);
			// New lines take the catalog cost of the folder (30); history is not repriced.
			expect(lines).toEqual([
				{ job_no: 'J1', qty: '5.000', unit_cost: '30.00' },
				{ job_no: 'J2', qty: '7.000', unit_cost: '30.00' }
			]);
			const [followUps] = await queryRows<{ count: number }>(
				db,
				sql`SELECT count(*)::int AS count FROM follow_ups f
					JOIN stations s ON s.id = f.station_id WHERE s.code = 'UPD'`
			);
			expect(followUps.count).toBe(2);
		});

		it('resolves references to rows that exist only in the station', async () => {
			const result = await importStationFiles(
				db,
				{ stationCode: 'ERR' },
				{
					'jobs.csv': csv(
						'job_no,technician_login,reported_at,status,fault_category,previous_job_no',
						'J10,li,2026-03-10 09:00,open,COOL,J1'
					),
					'job_parts.csv': csv('job_no,sku,qty', 'J10,CAP,2', 'J2,CAP,1'),
					'follow_ups.csv': csv('job_no,visited_at,satisfaction', 'J1,2026-03-11 10:00,4')
				}
			);
			const summary = expectSummary(result);
			expect(summary.jobs).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
			// J10 (in the folder) and J2 (named by a line) get their lines replaced; J1's stay.
			expect(summary.partLines).toEqual({ removed: 0, written: 2, unchanged: 0 });
			// J1's follow-ups are replaced by the one of the folder.
			expect(summary.followUps).toEqual({ removed: 1, written: 1, unchanged: 0 });
			const j10 = (await jobRows('ERR')).find((job) => job.job_no === 'J10');
			expect(j10).toMatchObject({ login: 'li', category: 'COOL', previous: 'J1' });
		});

		it('trims headers, keys and references, keeps free text as written', async () => {
			expectSummary(
				await importStationFiles(
					db,
					{ stationCode: 'TRIM' },
					{
						'technicians.csv': csv(' Login , NAME ', ' amy , Amy Wu '),
						'jobs.csv': csv(
							'job_no,technician_login,reported_at,status,device_serial,notes',
							' T1 , amy , 2026-03-02 09:00 , OPEN ,"  sn 1 ", 两个空格  '
						),
						'job_parts.csv': csv('job_no,sku,qty'),
						'follow_ups.csv': csv('job_no,visited_at,comment', 'T1 ,2026-03-03 10:00,"  好 "')
					}
				)
			);
			const [job] = await jobRows('TRIM');
			expect(job).toMatchObject({
				job_no: 'T1',
				login: 'amy',
				status: 'open',
				device_serial: '  sn 1 ',
				notes: ' 两个空格  '
			});
			const [person] = await queryRows<{ name: string }>(
				db,
				sql`SELECT u.name FROM users u JOIN stations s ON s.id = u.station_id WHERE s.code = 'TRIM'`
			);
			expect(person.name).toBe('Amy Wu');
			const [followUp] = await queryRows<{ comment: string }>(
				db,
				sql`SELECT f.comment FROM follow_ups f JOIN stations s ON s.id = f.station_id WHERE s.code = 'TRIM'`
			);
			expect(followUp.comment).toBe('  好 ');
		});

		it('reads timestamps in every form, local ones across DST changes', async () => {
			const summary = expectSummary(
				await importStationFiles(
					db,
					{ stationCode: 'NYC', timeZone: 'America/New_York' },
					{
						'technicians.csv': csv('login,name', 'amy,Amy'),
						'jobs.csv': csv(
							'job_no,technician_login,reported_at,status',
							'T1,amy,2026-03-07 12:00,open',
							'T2,amy,2026-03-08 01:59:59,open',
							'T3,amy,2026-03-08 03:00,open',
							'T4,amy,2026-07-01 09:00:30,open',
							'T5,amy,2026-11-01 01:30,open',
							'T6,amy,2026-11-01T01:30:00-05:00,open',
							'T7,amy,2026-11-01T06:00:00Z,open',
							'T8,amy,2026-03-02T09:30:00+08:00,open',
							'T9,amy,2026-12-24T18:00:00.250,open'
						)
					}
				)
			);
			expect(summary.jobs.inserted).toBe(9);
			const stored = await queryRows<{ job_no: string; utc: string }>(
				db,
				sql`SELECT j.job_no, to_char(j.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS utc
					FROM jobs j JOIN stations s ON s.id = j.station_id
					WHERE s.code = 'NYC' ORDER BY j.job_no`
			);
			expect(stored).toEqual([
				{ job_no: 'T1', utc: '2026-03-07 17:00:00.000' },
				{ job_no: 'T2', utc: '2026-03-08 06:59:59.000' },
				{ job_no: 'T3', utc: '2026-03-08 07:00:00.000' },
				{ job_no: 'T4', utc: '2026-07-01 13:00:30.000' },
				{ job_no: 'T5', utc: '2026-11-01 05:30:00.000' },
				{ job_no: 'T6', utc: '2026-11-01 06:30:00.000' },
				{ job_no: 'T7', utc: '2026-11-01 06:00:00.000' },
				{ job_no: 'T8', utc: '2026-03-02 01:30:00.000' },
				{ job_no: 'T9', utc: '2026-12-24 23:00:00.250' }
			]);
			const exported = await exportStationFiles(db, 'NYC');
			expect(exported?.files['jobs.csv'].split('\r\n').map((line) => line.split(',')[2])).toEqual([
				'reported_at',
				'2026-03-01T20:30:00-05:00',
				'2026-03-07T12:00:00-05:00',
				'2026-03-08T01:59:59-05:00',
				'2026-03-08T03:00:00-04:00',
				'2026-07-01T09:00:30-04:00',
				'2026-11-01T01:30:00-04:00',
				'2026-11-01T01:00:00-05:00',
				'2026-11-01T01:30:00-05:00',
				'2026-12-24T18:00:00.25-05:00',
				undefined
			]);
		});

		it('reads issue_resolved in every spelling, channels and satisfaction', async () => {
			const spellings = [
				'true',
				'True',
				'YES',
				'yes',
				'1',
				'是',
				'false',
				'FALSE',
				'No',
				'no',
				'0',
				'否',
				''
			];
			const summary = expectSummary(
				await importStationFiles(
					db,
					{ stationCode: 'BOOL' },
					{
						'technicians.csv': csv('login,name', 'amy,Amy'),
						'jobs.csv': csv(
							'job_no,technician_login,reported_at,status',
							'B1,amy,2026-03-02 09:00,open'
						),
						'follow_ups.csv': csv(
							'job_no,visited_at,issue_resolved,satisfaction,channel',
							...spellings.map(
								(word, i) =>
									`B1,2026-03-03 ${String(i).padStart(2, '0')}:00,${word},${(i % 5) + 1},${['', 'SMS', 'onsite', 'other', 'phone'][i % 5]}`
							)
						)
					}
				)
			);
			expect(summary.followUps?.written).toBe(spellings.length);
			const stored = await queryRows<{
				resolved: boolean | null;
				satisfaction: number;
				channel: string;
			}>(
				db,
				sql`SELECT f.issue_resolved AS resolved, f.satisfaction::int AS satisfaction, f.channel::text AS channel
					FROM follow_ups f JOIN stations s ON s.id = f.station_id
					WHERE s.code = 'BOOL' ORDER BY f.visited_at`
			);
			expect(stored.map((row) => row.resolved)).toEqual([
				true,
				true,
				true,
				true,
				true,
				true,
				false,
				false,
				false,
				false,
				false,
				false,
				null
			]);
			expect(stored.map((row) => row.satisfaction)).toEqual(spellings.map((_, i) => (i % 5) + 1));
			expect(stored.slice(0, 5).map((row) => row.channel)).toEqual([
				'phone',
				'sms',
				'onsite',
				'other',
				'phone'
			]);
		});
		it('bounds the work and the problems of a hostile upload, and keeps the server responsive', async () => {
			const before = await dumpDatabase(db);
			// Binary garbage: bytes that are never UTF-8 (0xFF), between others.
			const garbage = new Uint8Array(1_000_000).map((_, i) => (i % 7 === 0 ? 0xff : i % 256));
			const structural: ImportFiles = {
				'jobs.csv': csv(
					'job_no,technician_login,reported_at,status',
					'J1\0,zhang,2026-03-02 09:00,open'
				),
				'fault_categories.csv': `${'code,'.repeat(100_000)}\n`,
				'parts.csv': `\uFEFFsku,name,unit_cost\n${'x'.repeat(5_000_000)}`,
				'technicians.csv': `login,name\n"${'""'.repeat(1_000_000)}"\n`,
				'follow_ups.csv': garbage,
				'job_parts.csv': `job_no,sku,qty\n${'J1\n'.repeat(250_000)}`
			};
			// Valid structure, three bad values in each of 100,000 rows.
			const values: ImportFiles = {
				'jobs.csv': csv(
					'job_no,technician_login,reported_at,status',
					...Array.from({ length: 100_000 }, (_, i) => `H${i},nobody,someday,done`)
				)
			};

			const lag = monitorEventLoopDelay({ resolution: 10 });
			lag.enable();
			let importDone = 0;
			const imports = (async () => {
				const results = [
					await importStationFiles(db, { stationCode: 'ERR' }, structural),
					await importStationFiles(db, { stationCode: 'ERR' }, values)
				];
				importDone = performance.now();
				return results;
			})();
			// A small request of someone else, asked while the imports run.
			let smallDone = 0;
			const small = (async () => {
				for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
				await queryRows(db, sql`SELECT 1 AS one`);
				smallDone = performance.now();
			})();
			const [[structuralResult, valuesResult]] = await Promise.all([imports, small]);
			lag.disable();

			expect(smallDone).toBeLessThan(importDone);
			// Work is done in slices of ~10 ms; the bound leaves room for GC and a loaded machine.
			// Done in one piece, these imports hold the event loop for seconds.
			expect(lag.max / 1e6).toBeLessThan(1_000);

			const structuralProblems = expectProblems(structuralResult);
			expect(structuralProblems.slice(0, 6)).toEqual([
				'jobs.csv:2: job_no: contains a NUL character (code 0), which cannot be stored',
				'fault_categories.csv:1: (row): has more than 100 values; the rest of the file was not read',
				'parts.csv:2: (row): holds a value longer than 10000 characters; the rest of the file was not read',
				'technicians.csv:2: (row): holds a value longer than 10000 characters; the rest of the file was not read',
				'follow_ups.csv:1: (file): is not UTF-8 text; save it as "CSV UTF-8" (CSV UTF-8 逗号分隔)',
				'job_parts.csv:2: (row): has 1 value but the header names 3 columns'
			]);
			if (structuralResult.ok) throw new Error('unreachable');
			expect(structuralResult.problems).toHaveLength(MAX_LISTED_PROBLEMS);
			// Every short row up to the row limit, then the limit itself.
			expect(structuralResult.problems.length + structuralResult.omitted).toBe(
				5 + IMPORT_LIMITS.rows - 1 + 1
			);
			expect(structuralProblems.at(-1)).toBe(
				`… and ${structuralResult.omitted} more problems not listed here`
			);

			if (valuesResult.ok) throw new Error('expected the import to be refused');
			expect(valuesResult.problems).toHaveLength(MAX_LISTED_PROBLEMS);
			expect(valuesResult.problems.length + valuesResult.omitted).toBe(300_000);
			expect(renderProblemReport(valuesResult, 'zh-CN').slice(0, 3)).toEqual([
				'jobs.csv:2: reported_at: 不是时间；请写 YYYY-MM-DD HH:mm[:ss]（服务站时间）或带时差的 ISO 8601，例如 2026-03-02T09:30:00+08:00',
				'jobs.csv:2: status: “done”不是以下之一：open, in_progress, completed, cancelled',
				'jobs.csv:2: technician_login: “nobody”既不在 technicians.csv 中，也不是服务站 ERR 的用户'
			]);
			expect(await dumpDatabase(db)).toEqual(before);
		}, 120_000);

		it('reads back text that the export made safe from spreadsheet formulas', async () => {
			const texts = [
				'=HYPERLINK("http://x","点我")',
				'+86 138',
				'-5',
				'@SUM(A1)',
				"'=already",
				"'plain"
			];
			const files = {
				...BASE,
				'jobs.csv': toCsv([
					[
						'job_no',
						'technician_login',
						'reported_at',
						'status',
						'customer_name',
						'customer_phone',
						'notes'
					],
					...texts.map((text, i) => [
						`F${i}`,
						'zhang',
						'2026-03-02 09:00',
						'open',
						text,
						text,
						text
					])
				]),
				'job_parts.csv': csv('job_no,sku,qty,unit_cost'),
				'follow_ups.csv': csv('job_no,visited_at')
			};
			// What the export writes: each formula start behind an apostrophe.
			expect(files['jobs.csv']).toContain(`F2,zhang,2026-03-02 09:00,open,'-5,'-5,'-5\r\n`);
			expectSummary(await importStationFiles(db, { stationCode: 'FORMULA' }, files));
			const stored = await queryRows<{
				customer_name: string;
				customer_phone: string;
				notes: string;
			}>(
				db,
				sql`SELECT j.customer_name, j.customer_phone, j.notes FROM jobs j
					JOIN stations s ON s.id = j.station_id
					WHERE s.code = 'FORMULA' ORDER BY j.job_no`
			);
			expect(stored).toEqual(
				texts.map((text) => ({ customer_name: text, customer_phone: text, notes: text }))
			);
			const exported = await exportStationFiles(db, 'FORMULA');
			expect(exported?.files['jobs.csv']).toContain(`'@SUM(A1)`);
			expect(exported?.files['jobs.csv']).not.toMatch(/,[=+\-@]/);
		});
	});
}
