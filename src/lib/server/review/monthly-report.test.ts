/**
 * The monthly report on a hand-built station, on every test engine: its rows are the
 * scorecard's, each KPI carries the sample counted by hand below, the jobs behind failures and
 * flags are listed per technician, and only a supervisor of the station reads it. Its .xlsx and
 * PDF renderings are read back with their libraries (exceljs, unpdf).
 */
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { followUps, jobFlagAcceptances, jobKpiExclusions, type NewJob } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { testEngines } from '../testing/databases';
import { createJob, createStation, createUser } from '../testing/fixtures';
import { computeScorecard, computeScorecardWithGround } from '../kpi/scorecard';
import { createCallerFactory } from '../trpc/core';
import { reviewRouter } from '../trpc/routers/review';
import { SCORED_KPIS, type ScoredKpi } from '../../shared/domain';
import type { MonthlyReport } from '../../shared/monthly-report';
import { monthlyReport } from './monthly-report';
import { monthlyReportPdf } from './monthly-report-pdf';
import { monthlyReportXlsx } from './monthly-report-xlsx';
import { refreshStaleFacts } from '../kpi/fact-refresh';

const createCaller = createCallerFactory(reviewRouter);
const MINUTE = 60 * 1000;
/** Noon in Shanghai on a day of March 2026. */
const marchNoon = (day: number) => new Date(Date.UTC(2026, 2, day, 4));
const before = (date: Date, minutes: number) => new Date(date.getTime() - minutes * MINUTE);
const PRINTED = new Date('2026-04-02T01:30:00Z');
/** exceljs declares load() for an ArrayBuffer; Node's Buffer is a view that may share one. */
const arrayBuffer = (bytes: Uint8Array) => new Uint8Array(bytes).buffer;

for (const engine of testEngines()) {
	describe(`monthly report (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let boss: SessionUser;
		let alice: SessionUser;
		let bob: SessionUser;
		let desk: SessionUser;
		let report: MonthlyReport;
		const as = (user: SessionUser | null) => createCaller({ db, user });

		/** Completed at noon on `day`; clean (reported 3 h, arrived 2 h, started 1 h before) unless changed. */
		function completed(
			tech: SessionUser,
			jobNo: string,
			day: number,
			values: Partial<NewJob> = {}
		) {
			const completedAt = marchNoon(day);
			return createJob(db, tech, {
				jobNo,
				status: 'completed',
				outcome: 'fixed',
				reportedAt: before(completedAt, 180),
				arrivedAt: before(completedAt, 120),
				startedAt: before(completedAt, 60),
				completedAt,
				...values
			});
		}

		function followUp(
			job: { id: string; stationId: string },
			source: 'desk' | 'technician',
			satisfaction: number
		) {
			return db.insert(followUps).values({
				stationId: job.stationId,
				id: crypto.randomUUID(),
				jobId: job.id,
				visitedAt: new Date('2026-03-20T04:00:00Z'),
				satisfaction,
				issueResolved: true,
				source
			});
		}

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const north = await createStation(db, 'NORTH');
			boss = await createUser(db, north, 'boss', 'supervisor');
			desk = await createUser(db, north, 'desk', 'dispatcher');
			alice = await createUser(db, north, 'alice');
			bob = await createUser(db, north, 'bob');
			// Carl completed nothing in March: no row, no page.
			await createUser(db, north, 'carl');

			const a1 = await completed(alice, 'A1-RATED', 1);
			await followUp(a1, 'desk', 5);
			await completed(alice, 'A2-NOT-FIXED', 2, { outcome: 'not_fixed' });
			await completed(alice, 'A3-NO-ARRIVAL', 3, { arrivedAt: null });
			const a4 = await completed(alice, 'A4-ACCEPTED', 4, { arrivedAt: null });
			await db.insert(jobFlagAcceptances).values({
				stationId: a4.stationId,
				jobId: a4.id,
				flag: 'missing_arrival',
				reason: 'Customer met the technician at the gate',
				acceptedBy: boss.id
			});
			// The technician rated their own job: kept as a note, never a rating (kpi-rules.md).
			const a5 = await completed(alice, 'A5-SELF-RATED', 5);
			await followUp(a5, 'technician', 5);
			const a6 = await completed(alice, 'A6-EXCLUDED', 6, { startedAt: null });
			await db.insert(jobKpiExclusions).values({
				stationId: a6.stationId,
				jobId: a6.id,
				kpi: 'record_accuracy',
				reason: 'Appeal accepted',
				decidedBy: boss.id
			});

			const b1 = await completed(bob, 'B1-REWORKED', 7);
			const b2 = await completed(bob, 'B2-REWORK', 9, { previousJobId: b1.id });
			await followUp(b2, 'desk', 2);

			// Another station's flagged job never shows.
			const south = await createStation(db, 'SOUTH');
			await completed(await createUser(db, south, 'alice'), 'S1-NO-ARRIVAL', 3, {
				arrivedAt: null
			});

			await refreshStaleFacts(db);
			report = await monthlyReport(db, boss, '2026-03', PRINTED);
		});
		afterAll(() => handle.close());

		it('shows the scorecard of the month as computeScorecard has it', async () => {
			const scorecard = await computeScorecard(db, {
				stationId: boss.stationId,
				from: '2026-03-01',
				to: '2026-04-01'
			});
			expect(report.technicians.map((technician) => technician.row)).toEqual(scorecard);
			expect(report.technicians.map((technician) => technician.row.login)).toEqual(
				expect.arrayContaining(['alice', 'bob'])
			);
			expect(report.technicians).toHaveLength(2);
			expect(report).toMatchObject({
				station: { code: 'NORTH', name: 'NORTH 服务站', timeZone: 'Asia/Shanghai' },
				month: '2026-03',
				period: { from: '2026-03-01', to: '2026-04-01' },
				printedAt: PRINTED.toISOString(),
				scoring: { minJobsForRanking: expect.any(Number) }
			});
		});

		it('gives every scored KPI the sample it rests on', () => {
			const samples = (login: string) =>
				Object.fromEntries(
					report.technicians
						.find((technician) => technician.row.login === login)!
						.kpis.map((kpi) => [kpi.kpi, kpi.sample])
				) as Record<ScoredKpi, number>;
			// Alice: 6 jobs; 4 with an arrival (A3, A4 have none), 5 with a start (A6 has none), one
			// scored rating (A5's own rating is a note), 5 in record accuracy (A6 excluded).
			expect(samples('alice')).toEqual({
				repair_success_rate: 6,
				avg_response_hours: 4,
				duration_index: 5,
				csat: 1,
				follow_up_rate: 6,
				record_accuracy: 5,
				parts_cost_per_job: 6
			});
			expect(samples('bob')).toEqual({
				repair_success_rate: 2,
				avg_response_hours: 2,
				duration_index: 2,
				csat: 1,
				follow_up_rate: 2,
				record_accuracy: 2,
				parts_cost_per_job: 2
			});
			for (const technician of report.technicians) {
				for (const kpi of technician.kpis) expect(kpi.value).toBe(technician.row[kpi.kpi]);
			}
			const alice = report.technicians.find((technician) => technician.row.login === 'alice')!;
			// A1, A2, A4 (flag accepted) and A5 are clean; A3 is not: 4 of 5.
			expect(alice.row.record_accuracy).toBeCloseTo(0.8, 12);
		});

		it('breaks each score down as the scorecard does: points, weight and contribution', async () => {
			const { ground } = await computeScorecardWithGround(db, {
				stationId: boss.stationId,
				from: '2026-03-01',
				to: '2026-04-01'
			});
			for (const technician of report.technicians) {
				expect(technician.kpis, technician.row.login).toEqual(
					ground.find((row) => row.login === technician.row.login)!.kpis
				);
			}
			const alice = report.technicians.find((technician) => technician.row.login === 'alice')!;
			const kpi = (key: ScoredKpi) => alice.kpis.find((candidate) => candidate.kpi === key)!;
			// Alice's 4 timed arrivals and her one rating are below the default minimum of 5: too few,
			// so no points and no contribution, whatever their value.
			for (const key of ['avg_response_hours', 'csat'] as const) {
				expect(kpi(key), key).toMatchObject({
					minimum: 5,
					tooFew: true,
					points: null,
					contribution: null
				});
				expect(kpi(key).value, key).not.toBeNull();
			}
			// The parts cost has no thresholds and no weight by default: not scored, not too few.
			expect(kpi('parts_cost_per_job')).toMatchObject({ tooFew: false, points: null, weight: 0 });
			// 5 of 6 jobs succeeded: 60 + 40 × (5/6 − 0.90) / (0.95 − 0.90) = 20/3 points.
			expect(kpi('repair_success_rate').points).toBeCloseTo(20 / 3, 9);
			expect(kpi('repair_success_rate').weight).toBe(0.3);
			// The weights of the scored KPIs share the score: each adds points × weight / their sum.
			const scored = alice.kpis.filter((candidate) => candidate.points !== null);
			expect(scored.map((candidate) => candidate.kpi)).toEqual([
				'repair_success_rate',
				'duration_index',
				'follow_up_rate',
				'record_accuracy'
			]);
			const scoredWeight = scored.reduce((sum, candidate) => sum + candidate.weight, 0);
			for (const candidate of scored) {
				expect(candidate.contribution, candidate.kpi).toBeCloseTo(
					(candidate.points! * candidate.weight) / scoredWeight,
					9
				);
			}
			const contributions = scored.reduce((sum, candidate) => sum + candidate.contribution!, 0);
			expect(alice.row.score).toBeCloseTo(contributions, 6);

			// Bob's 2 jobs are too few for every KPI: no points, no score.
			const bob = report.technicians.find((technician) => technician.row.login === 'bob')!;
			expect(bob.kpis.map((candidate) => candidate.kpi)).toEqual([...SCORED_KPIS]);
			for (const candidate of bob.kpis) {
				expect(candidate, candidate.kpi).toMatchObject({ tooFew: true, points: null });
			}
			expect(bob.row.score).toBeNull();
		});

		it('lists the jobs behind failures and flags, per technician, in completion order', () => {
			const jobs = (login: string) =>
				report.technicians.find((technician) => technician.row.login === login)!.jobs;
			expect(jobs('alice')).toEqual([
				expect.objectContaining({
					job_no: 'A2-NOT-FIXED',
					success: false,
					failure_reasons: ['not_fixed'],
					flags: []
				}),
				expect.objectContaining({ job_no: 'A3-NO-ARRIVAL', flags: ['missing_arrival'] }),
				expect.objectContaining({
					job_no: 'A4-ACCEPTED',
					flags: [],
					accepted_flags: ['missing_arrival']
				}),
				expect.objectContaining({
					job_no: 'A6-EXCLUDED',
					flags: ['missing_start'],
					excluded_kpis: ['record_accuracy']
				})
			]);
			expect(jobs('bob')).toEqual([
				expect.objectContaining({
					job_no: 'B1-REWORKED',
					failure_reasons: ['reworked'],
					reworked_by: ['B2-REWORK']
				})
			]);
		});

		it('is for supervisors only, of their own station', async () => {
			await expect(monthlyReport(db, alice, '2026-03')).rejects.toMatchObject({
				kind: 'forbidden'
			});
			await expect(monthlyReport(db, desk, '2026-03')).rejects.toMatchObject({
				kind: 'forbidden'
			});
			await expect(as(alice).monthlyReport({ month: '2026-03' })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
			await expect(as(null).monthlyReport({ month: '2026-03' })).rejects.toMatchObject({
				code: 'UNAUTHORIZED'
			});
			for (const month of ['2026-13', '2026-3', '1999-12', '2026-03-01', "2026-03' OR 1=1"]) {
				await expect(as(boss).monthlyReport({ month }), month).rejects.toMatchObject({
					code: 'BAD_REQUEST'
				});
			}
			const viaApi = await as(boss).monthlyReport({ month: '2026-03' });
			expect(viaApi.technicians.map((technician) => technician.row)).toEqual(
				report.technicians.map((technician) => technician.row)
			);
		});

		it('is empty for a month without completed jobs', async () => {
			const empty = await monthlyReport(db, boss, '2026-05', PRINTED);
			expect(empty.technicians).toEqual([]);
			expect(empty.period).toEqual({ from: '2026-05-01', to: '2026-06-01' });
		});

		it('writes an .xlsx with Chinese headers, numbers as numbers and rates as percents', async () => {
			const workbook = new ExcelJS.Workbook();
			await workbook.xlsx.load(arrayBuffer(await monthlyReportXlsx(report, 'zh-CN')));
			expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
				'全站',
				'alice 名字 alice',
				'bob 名字 bob',
				'工单明细'
			]);

			const station = workbook.getWorksheet('全站')!;
			const headers = (station.getRow(1).values as unknown[]).slice(1);
			expect(headers.slice(0, 5)).toEqual(['排名', '技师', '账号', '完成单数', '维修成功率']);
			expect(headers).toContain('客户满意率样本');
			const column = (header: string) => headers.indexOf(header) + 1;
			for (const [index, { row, kpis }] of report.technicians.entries()) {
				const line = station.getRow(index + 2);
				expect(line.getCell(column('账号')).value).toBe(row.login);
				expect(line.getCell(column('完成单数')).value).toBe(row.jobs_completed);
				expect(line.getCell(column('维修成功率')).value).toBe(row.repair_success_rate);
				expect(line.getCell(column('维修成功率')).numFmt).toBe('0.0%');
				expect(line.getCell(column('服务记录准确性')).value).toBe(row.record_accuracy);
				expect(line.getCell(column('得分')).value).toBe(row.score);
				expect(line.getCell(column('客户满意率样本')).value).toBe(
					kpis.find((kpi) => kpi.kpi === 'csat')!.sample
				);
			}

			const aliceSheet = workbook.getWorksheet('alice 名字 alice')!;
			expect((aliceSheet.getRow(1).values as unknown[]).slice(1)).toEqual([
				'指标',
				'本期',
				'样本',
				'最少样本',
				'合格线',
				'优秀线',
				'评定',
				'指标得分',
				'权重',
				'贡献',
				'备注'
			]);
			const aliceRow = report.technicians.find((technician) => technician.row.login === 'alice')!;
			const aliceKpi = (key: ScoredKpi) => aliceRow.kpis.find((kpi) => kpi.kpi === key)!;
			const kpiLine = (key: ScoredKpi) => aliceSheet.getRow(SCORED_KPIS.indexOf(key) + 2);
			const success = kpiLine('repair_success_rate');
			expect(success.getCell(1).value).toBe('维修成功率');
			expect(success.getCell(2).value).toBe(aliceRow.row.repair_success_rate);
			expect(success.getCell(2).numFmt).toBe('0.0%');
			expect(success.getCell(3).value).toBe(6);
			expect(success.getCell(4).value).toBe(5);
			expect(success.getCell(8).value).toBe(aliceKpi('repair_success_rate').points);
			expect(success.getCell(9).value).toBe(0.3);
			expect(success.getCell(9).numFmt).toBe('0.0%');
			expect(success.getCell(10).value).toBe(aliceKpi('repair_success_rate').contribution);
			expect(success.getCell(10).numFmt).toBe('0.0');
			expect(success.getCell(11).value).toBeNull();
			// Too few ratings: no points, no contribution, and the note says why.
			const csat = kpiLine('csat');
			expect(csat.getCell(3).value).toBe(1);
			expect(csat.getCell(8).value).toBeNull();
			expect(csat.getCell(10).value).toBeNull();
			expect(csat.getCell(11).value).toBe('样本不足：1，至少需 5 条评分');
			expect(kpiLine('parts_cost_per_job').getCell(11).value).toBe('不计分');
			// Below the KPIs, the score their contributions add up to.
			const total = aliceSheet.getRow(SCORED_KPIS.length + 2);
			expect(total.getCell(1).value).toBe('得分');
			expect(total.getCell(10).value).toBe(aliceRow.row.score);

			const jobs = workbook.getWorksheet('工单明细')!;
			expect(jobs.getRow(1).getCell(3).value).toBe('工单号');
			const listed = [];
			for (let line = 2; line <= jobs.rowCount; line++) {
				listed.push(jobs.getRow(line).getCell(3).value);
			}
			expect(listed).toEqual([
				'A2-NOT-FIXED',
				'A3-NO-ARRIVAL',
				'A4-ACCEPTED',
				'A6-EXCLUDED',
				'B1-REWORKED'
			]);
			// Completed at noon, station time.
			expect(jobs.getRow(2).getCell(4).value).toEqual(new Date('2026-03-02T12:00:00Z'));
		});

		it('writes a PDF with the station on page 1 and one page per technician, in Chinese', async () => {
			const pdf = await monthlyReportPdf(report, 'zh-CN');
			expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
			const document = await getDocumentProxy(new Uint8Array(pdf));
			const { totalPages, text } = await extractText(document, { mergePages: false });
			expect(totalPages).toBe(3);
			expect(text[0]).toContain('NORTH 服务站 技师月度考核报告');
			expect(text[0]).toContain('维修成功率');
			expect(text[0]).toContain('主管签字');
			expect(text[0]).toContain('指标定义');
			expect(text[0]).toContain('n=6');
			expect(text[1]).toContain('alice 名字（alice）');
			expect(text[1]).toContain('A3-NO-ARRIVAL');
			expect(text[1]).not.toContain('bob');
			// Alice's breakdown: points, weight and contribution of each KPI, the too-few ones marked.
			for (const header of ['指标得分', '权重', '贡献', '最少样本']) {
				expect(text[1]).toContain(header);
			}
			expect(text[1]).toContain('1 条评分（样本不足）');
			expect(text[1]).toContain('不计分');
			const success = report.technicians[0].kpis.find((kpi) => kpi.kpi === 'repair_success_rate')!;
			expect(report.technicians[0].row.login).toBe('alice');
			expect(text[1]).toContain(
				`${success.points!.toFixed(1)} 30.0% ${success.contribution!.toFixed(1)}`
			);
			expect(text[2]).toContain('2 单（样本不足）');
			expect(text[2]).toContain('bob 名字（bob）');
			expect(text[2]).toContain('B1-REWORKED');
		});
	});
}
