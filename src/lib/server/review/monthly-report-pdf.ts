/**
 * The monthly report as a PDF made on the server (pdfmake, with its embedded Chinese font:
 * server/pdf.ts): the same sheets as the print page, A4 landscape, the station on the first
 * page, then each technician on a new page.
 */
import { PDF_FONT as FONT, pdfmake } from '../pdf';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { m } from '../../paraglide/messages.js';
import { SCORED_KPIS, type ScoredKpi } from '../../shared/domain';
import { thresholdRating } from '../../shared/kpi';
import { SCORE_STYLE, kpiFormatter } from '../../shared/kpi-words';
import {
	REPORT_COLUMNS,
	columnSample,
	type MonthlyReport,
	type ReportTechnician
} from '../../shared/monthly-report';
import {
	breakdownPoints,
	breakdownSample,
	columnLabel,
	definition,
	gradeLabel,
	jobTexts,
	reportPeriodText,
	stationDateTime
} from '../../shared/monthly-report-text';

const GREY = '#4a5568';
/** 10 mm, as the print page's @page margin. */
const MARGIN = 28;

function stationSheet(report: MonthlyReport, locale: string, period: string, printed: string) {
	const format = kpiFormatter(locale);
	const header: TableCell[] = [
		{ text: m.sc_col_rank(), bold: true },
		{ text: m.sc_col_technician(), bold: true },
		...REPORT_COLUMNS.map((column): TableCell => ({
			text: columnLabel(column.key),
			bold: true,
			alignment: 'right'
		})),
		{ text: m.sc_col_score(), bold: true, alignment: 'right' },
		{ text: m.sc_col_grade(), bold: true }
	];
	const rows = report.technicians.map((technician): TableCell[] => [
		technician.row.rank === null ? m.sc_insufficient_data() : String(technician.row.rank),
		{
			stack: [technician.row.name, { text: technician.row.login, fontSize: 6, color: GREY }]
		},
		...REPORT_COLUMNS.map((column): TableCell => {
			const sample = columnSample(technician, column.key);
			return {
				alignment: 'right',
				stack: [
					format(technician.row[column.key], column.style),
					...(sample === null
						? []
						: [{ text: m.rp_sample({ count: sample }), fontSize: 6, color: GREY }])
				]
			};
		}),
		{ text: format(technician.row.score, SCORE_STYLE), alignment: 'right' },
		gradeLabel(technician.row.grade)
	]);
	const legend: Content[] = REPORT_COLUMNS.map((column) => ({
		text: [{ text: `${columnLabel(column.key)}：`, bold: true }, definition(column.key)]
	}));
	const third = Math.ceil(legend.length / 3);
	const signature = (label: string): Content => ({
		stack: [
			{ text: label },
			{ canvas: [{ type: 'line', x1: 0, y1: 18, x2: 220, y2: 18, lineWidth: 0.75 }] }
		]
	});
	return [
		{ text: m.rp_heading({ station: report.station.name }), fontSize: 14, bold: true },
		{ text: m.rp_period({ period }) },
		{ text: m.rp_printed({ date: printed }), margin: [0, 0, 0, 6] },
		report.technicians.length === 0
			? { text: m.rp_empty() }
			: {
					table: {
						headerRows: 1,
						dontBreakRows: true,
						widths: [28, 60, ...REPORT_COLUMNS.map(() => '*' as const), 32, 36],
						body: [header, ...rows]
					},
					fontSize: 7
				},
		{
			text: `${m.rp_sample_note()} ${m.rp_ranking_note({ min: report.scoring.minJobsForRanking })}`,
			fontSize: 7,
			margin: [0, 4, 0, 4]
		},
		{ text: m.rp_legend_title(), bold: true, fontSize: 8 },
		{
			columns: [0, 1, 2].map((part) => ({
				stack: legend.slice(part * third, (part + 1) * third)
			})),
			columnGap: 12,
			fontSize: 6.5
		},
		{
			text: [{ text: `${m.sc_col_score()}：`, bold: true }, m.rp_def_score()],
			fontSize: 6.5
		},
		{
			columns: [m.rp_sign_supervisor(), m.rp_sign_manager(), m.rp_sign_date()].map(signature),
			columnGap: 24,
			margin: [0, 16, 0, 0]
		}
	] satisfies Content[];
}

function technicianSheet(
	report: MonthlyReport,
	technician: ReportTechnician,
	locale: string,
	period: string,
	printed: string
): Content[] {
	const format = kpiFormatter(locale);
	const { row } = technician;
	const settings = report.scoring.kpiSettings;
	const styleOf = (kpi: ScoredKpi) => REPORT_COLUMNS.find((column) => column.key === kpi)!.style;
	const rank = row.rank === null ? m.sc_insufficient_data() : String(row.rank);
	const breakdown: TableCell[][] = [
		[
			m.sc_col_kpi(),
			m.sc_col_value(),
			m.gr_col_sample(),
			m.rp_col_minimum(),
			m.sc_col_pass(),
			m.sc_col_excellent(),
			m.sc_col_rating(),
			m.gr_col_points(),
			m.gr_col_weight(),
			m.gr_col_contribution()
		].map((text, index) => ({
			text,
			bold: true,
			alignment: index === 0 || index === 2 || index === 6 ? 'left' : 'right'
		})),
		...SCORED_KPIS.map((kpi): TableCell[] => {
			const limits = settings.thresholds[kpi] ?? null;
			const rating = thresholdRating(row[kpi], limits);
			const ground = technician.kpis.find((candidate) => candidate.kpi === kpi);
			// A KPI with too few samples reads greyed out, as on the scorecard.
			const color = ground?.tooFew ? GREY : undefined;
			const left = (text: string): TableCell => ({ text, color });
			const right = (text: string): TableCell => ({ text, color, alignment: 'right' });
			return [
				left(columnLabel(kpi)),
				right(format(row[kpi], styleOf(kpi))),
				left(ground ? breakdownSample(ground) : m.value_missing()),
				right(format(ground?.minimum ?? null, 'count')),
				right(format(limits?.pass ?? null, styleOf(kpi))),
				right(format(limits?.excellent ?? null, styleOf(kpi))),
				left(rating === null ? m.value_missing() : gradeLabel(rating)),
				right(breakdownPoints(ground, format)),
				right(format(ground?.weight ?? null, 'percent')),
				right(format(ground?.contribution ?? null, SCORE_STYLE))
			];
		}),
		[
			{ text: m.sc_col_score(), bold: true, colSpan: 9, alignment: 'right' },
			...Array.from({ length: 8 }, (): TableCell => ''),
			{ text: format(row.score, SCORE_STYLE), bold: true, alignment: 'right' }
		]
	];
	const jobs: Content =
		technician.jobs.length === 0
			? { text: m.rp_no_jobs() }
			: {
					table: {
						headerRows: 1,
						dontBreakRows: true,
						widths: [96, 84, '*', '*', '*', 80, 40],
						body: [
							[
								m.rp_col_job_no(),
								m.rp_col_completed(),
								m.rp_col_failure(),
								m.rp_col_flags(),
								m.rp_col_accepted(),
								m.rp_col_excluded(),
								m.rp_col_satisfaction()
							].map((text): TableCell => ({ text, bold: true })),
							...technician.jobs.map((job): TableCell[] => {
								const texts = jobTexts(job);
								return [
									job.job_no,
									stationDateTime(job.completed_at, report.station.timeZone, locale),
									texts.failures,
									texts.flags,
									texts.accepted,
									texts.excluded,
									{ text: format(job.latest_satisfaction, 'count'), alignment: 'right' }
								];
							})
						]
					},
					fontSize: 7.5
				};
	return [
		{
			text: m.rp_tech_heading({ name: row.name, login: row.login }),
			fontSize: 14,
			bold: true,
			pageBreak: 'before'
		},
		{
			text: m.rp_tech_summary({
				score: format(row.score, SCORE_STYLE),
				grade: gradeLabel(row.grade),
				rank
			})
		},
		{
			text: `${m.rp_period({ period })} · ${m.rp_printed({ date: printed })}`,
			margin: [0, 0, 0, 6]
		},
		{ text: m.rp_breakdown_caption({ name: row.name, period }), bold: true, fontSize: 9 },
		{
			table: {
				headerRows: 1,
				widths: ['*', 56, 96, 52, 52, 52, 44, 56, 48, 60],
				body: breakdown
			},
			fontSize: 8
		},
		{ text: m.gr_breakdown_note(), fontSize: 7, color: GREY, margin: [0, 2, 0, 0] },
		{ text: m.rp_jobs_title(), bold: true, fontSize: 9, margin: [0, 8, 0, 2] },
		jobs
	];
}

/** The document, in the current request's language (the one the page is read in). */
export function monthlyReportDocument(report: MonthlyReport, locale: string): TDocumentDefinitions {
	const period = reportPeriodText(report.period, locale);
	const printed = stationDateTime(report.printedAt, report.station.timeZone, locale);
	return {
		info: { title: `${m.rp_heading({ station: report.station.name })} ${period}` },
		language: locale,
		pageSize: 'A4',
		pageOrientation: 'landscape',
		pageMargins: [MARGIN, MARGIN, MARGIN, MARGIN + 8],
		defaultStyle: { font: FONT, fontSize: 9 },
		footer: (page, pages) => ({
			text: m.rp_page_of({ page, pages }),
			alignment: 'right',
			fontSize: 7,
			color: GREY,
			margin: [MARGIN, 8, MARGIN, 0]
		}),
		content: [
			...stationSheet(report, locale, period, printed),
			...report.technicians.flatMap((technician) =>
				technicianSheet(report, technician, locale, period, printed)
			)
		]
	};
}

export function monthlyReportPdf(report: MonthlyReport, locale: string): Promise<Buffer> {
	return pdfmake.createPdf(monthlyReportDocument(report, locale)).getBuffer();
}
