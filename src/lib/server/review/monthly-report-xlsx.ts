/**
 * The monthly report as an Excel workbook (exceljs): the station's scorecard with the sample of
 * each KPI, one sheet per technician with their breakdown (each KPI's value, sample, points,
 * weight and contribution, and the score they add up to), and the jobs behind the failures and
 * flags. Headers in the reader's language (zh-CN by default), numbers stored as numbers, rates
 * as percent formats, so the sheet computes and sorts as the report reads.
 */
import ExcelJS from 'exceljs';
import { m } from '../../paraglide/messages.js';
import { SCORED_KPIS, type ScoredKpi } from '../../shared/domain';
import { thresholdRating } from '../../shared/kpi';
import { SCORE_STYLE, type NumberStyle } from '../../shared/kpi-words';
import { REPORT_COLUMNS, type MonthlyReport } from '../../shared/monthly-report';
import {
	EXCEL_FORMATS,
	columnLabel,
	gradeLabel,
	jobTexts,
	notScoredNote,
	reportPeriodText,
	stationDateTime
} from '../../shared/monthly-report-text';

interface Column {
	header: string;
	width: number;
	style?: NumberStyle;
}

/** A sheet whose first row holds the headers, frozen, with each column's number format. */
function addTable(
	workbook: ExcelJS.Workbook,
	name: string,
	columns: Column[],
	rows: (string | number | Date | null)[][]
): ExcelJS.Worksheet {
	const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = columns.map((column) => ({
		header: column.header,
		width: column.width,
		style: column.style ? { numFmt: EXCEL_FORMATS[column.style] } : {}
	}));
	sheet.getRow(1).font = { bold: true };
	sheet.getRow(1).alignment = { wrapText: true, vertical: 'top' };
	for (const row of rows) sheet.addRow(row);
	return sheet;
}

/** Excel forbids []:*?/\ in sheet names and allows 31 characters; names must differ. */
function sheetName(wanted: string, taken: Set<string>): string {
	const base = wanted.replace(/[[\]:*?/\\]/g, '_').slice(0, 31);
	let name = base;
	for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 27)} (${n})`;
	taken.add(name.toLowerCase());
	return name;
}

/**
 * Excel has no time zones: a completion time is written as the station's wall-clock time (the
 * time people read on the printed report), stored as that date-time in UTC.
 */
function stationWallClock(iso: string, timeZone: string): Date {
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hourCycle: 'h23'
	}).formatToParts(new Date(iso));
	const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
	return new Date(
		Date.UTC(
			part('year'),
			part('month') - 1,
			part('day'),
			part('hour'),
			part('minute'),
			part('second')
		)
	);
}

export async function monthlyReportXlsx(report: MonthlyReport, locale: string): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	const period = reportPeriodText(report.period, locale);
	workbook.title = `${m.rp_heading({ station: report.station.name })} ${period}`;
	workbook.subject = m.rp_printed({
		date: stationDateTime(report.printedAt, report.station.timeZone, locale)
	});
	workbook.created = new Date(report.printedAt);
	const taken = new Set<string>();

	const station = addTable(
		workbook,
		sheetName(m.rp_sheet_station(), taken),
		[
			{ header: m.sc_col_rank(), width: 8, style: 'count' },
			{ header: m.sc_col_technician(), width: 14 },
			{ header: m.rp_col_login(), width: 12 },
			...REPORT_COLUMNS.map((column) => ({
				header: columnLabel(column.key),
				width: 14,
				style: column.style
			})),
			...SCORED_KPIS.map((kpi) => ({
				header: m.rp_col_sample_of({ kpi: columnLabel(kpi) }),
				width: 14,
				style: 'count' as const
			})),
			{ header: m.sc_col_score(), width: 10, style: SCORE_STYLE },
			{ header: m.sc_col_grade(), width: 10 }
		],
		report.technicians.map(({ row, kpis }) => [
			row.rank,
			row.name,
			row.login,
			...REPORT_COLUMNS.map((column) => row[column.key]),
			...SCORED_KPIS.map((kpi) => kpis.find((ground) => ground.kpi === kpi)?.sample ?? null),
			row.score,
			row.grade === null ? null : gradeLabel(row.grade)
		])
	);
	station.headerFooter.oddHeader = `&L${m.rp_heading({ station: report.station.name })}&R${period}`;

	const settings = report.scoring.kpiSettings;
	const styleOf = (kpi: ScoredKpi) => REPORT_COLUMNS.find((column) => column.key === kpi)!.style;
	for (const { row, kpis } of report.technicians) {
		const sheet = addTable(
			workbook,
			sheetName(`${row.name} ${row.login}`, taken),
			[
				{ header: m.sc_col_kpi(), width: 26 },
				{ header: m.sc_col_value(), width: 12 },
				{ header: m.gr_col_sample(), width: 10, style: 'count' },
				{ header: m.rp_col_minimum(), width: 10, style: 'count' },
				{ header: m.sc_col_pass(), width: 10 },
				{ header: m.sc_col_excellent(), width: 10 },
				{ header: m.sc_col_rating(), width: 10 },
				{ header: m.gr_col_points(), width: 10, style: SCORE_STYLE },
				{ header: m.gr_col_weight(), width: 10, style: 'percent' },
				{ header: m.gr_col_contribution(), width: 10, style: SCORE_STYLE },
				{ header: m.rp_col_note(), width: 30 }
			],
			[
				...SCORED_KPIS.map((kpi) => {
					const limits = settings.thresholds[kpi] ?? null;
					const rating = thresholdRating(row[kpi], limits);
					const ground = kpis.find((candidate) => candidate.kpi === kpi);
					return [
						columnLabel(kpi),
						row[kpi],
						ground?.sample ?? null,
						ground?.minimum ?? null,
						limits?.pass ?? null,
						limits?.excellent ?? null,
						rating === null ? null : gradeLabel(rating),
						ground?.points ?? null,
						ground?.weight ?? null,
						ground?.contribution ?? null,
						ground ? notScoredNote(ground) : null
					];
				}),
				// The contributions add up to the score (before it is rounded to one decimal).
				[m.sc_col_score(), null, null, null, null, null, null, null, null, row.score, null]
			]
		);
		// Each KPI row has its own unit: the value and threshold cells take the KPI's format.
		SCORED_KPIS.forEach((kpi, index) => {
			for (const column of [2, 5, 6]) {
				sheet.getRow(index + 2).getCell(column).numFmt = EXCEL_FORMATS[styleOf(kpi)];
			}
		});
		sheet.getRow(SCORED_KPIS.length + 2).font = { bold: true };
		sheet.headerFooter.oddHeader = `&L${m.rp_tech_heading({ name: row.name, login: row.login })}&R${period}`;
	}

	addTable(
		workbook,
		sheetName(m.rp_sheet_jobs(), taken),
		[
			{ header: m.rp_col_technician_login(), width: 12 },
			{ header: m.sc_col_technician(), width: 14 },
			{ header: m.rp_col_job_no(), width: 16 },
			{ header: m.rp_col_completed(), width: 18 },
			{ header: m.rp_col_failure(), width: 28 },
			{ header: m.rp_col_flags(), width: 28 },
			{ header: m.rp_col_accepted(), width: 24 },
			{ header: m.rp_col_excluded(), width: 20 },
			{ header: m.rp_col_satisfaction(), width: 10, style: 'count' }
		],
		report.technicians.flatMap(({ row, jobs }) =>
			jobs.map((job) => {
				const texts = jobTexts(job);
				return [
					row.login,
					row.name,
					job.job_no,
					stationWallClock(job.completed_at, report.station.timeZone),
					texts.failures,
					texts.flags,
					texts.accepted,
					texts.excluded,
					job.latest_satisfaction
				];
			})
		)
	).getColumn(4).numFmt = 'yyyy-mm-dd hh:mm';

	return Buffer.from(await workbook.xlsx.writeBuffer());
}
