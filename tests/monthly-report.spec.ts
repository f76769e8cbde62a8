/**
 * The monthly report as a supervisor uses it (issue 13 item 6): open it from the section
 * navigation, pick last month, print it (A4 landscape: the station on one page, then one page
 * per technician), download the server's PDF and the .xlsx. Each file is read back page by
 * page, sheet by sheet.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_STATION, demoTechnicians, signInAs } from './helpers/demo';
import { stationToday } from './helpers/scorecard';
import { periodContaining, previousPeriod } from '../src/lib/shared/time/periods';

test.use({ viewport: { width: 1280, height: 800 } });
// A whole month of the demo station, printed and rendered twice: more than the default 30 s.
test.setTimeout(120_000);

/** The last whole month: inside the demo's history whatever today is. */
const lastMonth = () => previousPeriod(periodContaining('month', stationToday())).from.slice(0, 7);

async function pdfPages(bytes: Uint8Array) {
	// A copy: pdf.js refuses a Buffer (a Uint8Array subclass).
	const document = await getDocumentProxy(new Uint8Array(bytes));
	const { text } = await extractText(document, { mergePages: false });
	const first = await document.getPage(1);
	return { text, view: first.view };
}

/** The technicians of the report in its order, read from their sheets' headings. */
async function reportTechnicians(page: Page) {
	const headings = await page.locator('section.technician h2').allInnerTexts();
	return headings.map((heading) => {
		const match = /^(.+)（(.+)）$/.exec(heading.trim());
		if (!match) throw new Error(`Unexpected technician heading "${heading}"`);
		return { name: match[1], login: match[2] };
	});
}

test('a supervisor prints last month’s report and downloads it as PDF and Excel', async ({
	page
}) => {
	await signInAs(page, 'supervisor');
	await page
		.getByRole('navigation', { name: '主管功能' })
		.getByRole('link', { name: '月度报告' })
		.click();
	await expect(page).toHaveURL('/supervisor/report');
	await expect(page.getByRole('heading', { level: 1, name: '月度考核报告' })).toBeVisible();

	const month = lastMonth();
	await page.getByLabel('月份').fill(month);
	await page.getByRole('button', { name: '查看', exact: true }).click();
	await expect(page).toHaveURL(`/supervisor/report?month=${month}`);
	const [year, monthNumber] = month.split('-').map(Number);
	const stationSheet = page.getByRole('region', {
		name: `${DEMO_STATION.name} 技师月度考核报告`
	});
	await expect(stationSheet).toBeVisible();
	await expect(stationSheet.getByText(`统计周期：${year}年${monthNumber}月`)).toBeVisible();
	await expect(stationSheet.getByText(/^打印日期：/)).toBeVisible();
	for (const label of ['主管签字', '站长签字', '日期']) {
		await expect(stationSheet.getByText(label, { exact: true })).toBeVisible();
	}
	await expect(stationSheet.getByRole('heading', { level: 3, name: '指标定义' })).toBeVisible();

	const technicians = await reportTechnicians(page);
	expect(technicians.length).toBeGreaterThan(1);
	const demoLogins = demoTechnicians.map((technician) => technician.login);
	expect(demoLogins).toEqual(expect.arrayContaining(technicians.map((t) => t.login)));
	const scores = page.getByRole('table', { name: new RegExp(`^${DEMO_STATION.name}全站技师成绩`) });
	await expect(scores.locator('tbody tr')).toHaveCount(technicians.length);
	// Every rate shows its sample.
	await expect(scores.locator('tbody tr').first()).toContainText(/n=\d+/);

	// Each technician's page breaks their score down as the scorecard does: per KPI its points,
	// weight and contribution, a KPI with too few samples marked and without points, and the
	// contributions adding up to the score (each rounded to one decimal, as shown).
	const BREAKDOWN_HEADERS = [
		'指标',
		'本期',
		'样本',
		'最少样本',
		'合格线',
		'优秀线',
		'评定',
		'指标得分',
		'权重',
		'贡献'
	];
	const totals = new Map<string, string>();
	/** Per technician, "points weight contribution" of each scored KPI, as the page shows them. */
	const scoredLines = new Map<string, string[]>();
	for (const { name, login } of technicians) {
		const sheet = page.getByRole('region', { name: `${name}（${login}）`, exact: true });
		const breakdown = sheet.getByRole('table', { name: /的各项指标与得分构成：/ });
		expect(await breakdown.getByRole('columnheader').allInnerTexts()).toEqual(BREAKDOWN_HEADERS);
		const rows = breakdown.getByRole('row');
		// The header, the 7 scored KPIs, the score.
		await expect(rows).toHaveCount(9);
		let contributions = 0;
		let scoredKpis = 0;
		const lines: string[] = [];
		for (let index = 1; index <= 7; index++) {
			const [, sample, , , , , points, weight, contribution] = await rows
				.nth(index)
				.getByRole('cell')
				.allInnerTexts();
			if (sample.includes('样本不足')) {
				expect(points, `${login} row ${index}`).toBe('不计分');
				expect(contribution, `${login} row ${index}`).toBe('—');
			}
			if (contribution !== '—') {
				contributions += Number(contribution);
				scoredKpis++;
				lines.push(`${points} ${weight} ${contribution}`);
			}
		}
		const total = (await rows.last().getByRole('cell').innerText()).trim();
		await expect(sheet.getByText(`得分 ${total} ·`)).toBeVisible();
		if (total === '—') expect(scoredKpis, login).toBe(0);
		else expect(Math.abs(contributions - Number(total)), login).toBeLessThanOrEqual(0.05 * 8);
		totals.set(login, total);
		scoredLines.set(login, lines);
	}

	// The Print button opens the browser's print dialog.
	await page.evaluate(() => {
		window.print = () => document.body.setAttribute('data-printed', 'yes');
	});
	await page.getByRole('button', { name: '打印', exact: true }).click();
	await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes');

	// Printed: the station on page 1, then a sheet for each technician, in the report's order,
	// starting on a page of its own; a long list of jobs goes on to the next page, never onto
	// another technician's sheet.
	const printed = await pdfPages(await page.pdf({ format: 'A4', landscape: true }));
	expect(printed.view[2]).toBeGreaterThan(printed.view[3]);
	for (const { login } of technicians) expect(printed.text[0]).toContain(login);
	expect(printed.text[0]).toMatch(/n=\d+/);
	const sheetStarts = technicians.map(({ login }) =>
		printed.text.findIndex((text, index) => index > 0 && text.includes(login))
	);
	expect(sheetStarts[0]).toBe(1);
	technicians.forEach(({ login }, index) => {
		const start = sheetStarts[index];
		const end = index + 1 < technicians.length ? sheetStarts[index + 1] : printed.text.length;
		expect(end, login).toBeGreaterThan(start);
		for (const sheet of printed.text.slice(start, end)) {
			for (const other of technicians) {
				if (other.login !== login) expect(sheet, login).not.toContain(other.login);
			}
		}
		// Chromium prints Chinese in a font without a text map: the numbers are what reads back.
		const numbers = printed.text[start].replace(/\s+/g, ' ');
		for (const line of scoredLines.get(login)!) expect(numbers, login).toContain(line);
	});

	// The server's PDF: Chinese text in its own embedded font, each technician on a new page.
	const [pdfDownload] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: '下载 PDF' }).click()
	]);
	expect(pdfDownload.suggestedFilename()).toBe(`monthly-report-${DEMO_STATION.code}-${month}.pdf`);
	const server = await pdfPages(new Uint8Array(readFileSync((await pdfDownload.path())!)));
	expect(server.view[2]).toBeGreaterThan(server.view[3]);
	expect(server.text[0]).toContain(`${DEMO_STATION.name} 技师月度考核报告`);
	expect(server.text[0]).toContain('指标定义');
	expect(server.text[0]).toContain('主管签字');
	for (const { name } of technicians) expect(server.text[0]).toContain(name);
	let previousStart = 0;
	for (const { name, login } of technicians) {
		const starts = server.text.findIndex((text) => text.includes(`${name}（${login}）`));
		expect(starts, login).toBeGreaterThan(previousStart);
		previousStart = starts;
		// The technician's page carries the breakdown, down to the score it adds up to.
		const sheet = server.text[starts];
		for (const header of BREAKDOWN_HEADERS) expect(sheet, login).toContain(header);
		expect(sheet, login).toContain(`得分 ${totals.get(login)}`);
	}

	// The workbook: the station's sheet equals the scorecard of the month (the CSV download).
	const [xlsxDownload] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: '下载 Excel' }).click()
	]);
	expect(xlsxDownload.suggestedFilename()).toBe(
		`monthly-report-${DEMO_STATION.code}-${month}.xlsx`
	);
	const workbook = new ExcelJS.Workbook();
	// exceljs declares load() for an ArrayBuffer; a Buffer is a view that may share one.
	await workbook.xlsx.load(new Uint8Array(readFileSync((await xlsxDownload.path())!)).buffer);
	expect(workbook.worksheets).toHaveLength(1 + technicians.length + 1);
	const station = workbook.getWorksheet('全站')!;
	const headers = (station.getRow(1).values as unknown[]).slice(1);
	expect(headers.slice(0, 5)).toEqual(['排名', '技师', '账号', '完成单数', '维修成功率']);

	const csv = await (await page.request.get(`/supervisor/scorecard.csv?period=${month}`)).text();
	const [keys, ...records] = csv
		.replace(/^\uFEFF/, '')
		.trim()
		.split('\r\n')
		.map((line) => line.split(','));
	const csvRows = records.map((record) =>
		Object.fromEntries(keys.map((key, i) => [key, record[i]]))
	);
	expect(csvRows.map((row) => row.login)).toEqual(technicians.map((t) => t.login));
	const number = (text: string) => (text === '' ? null : Number(text));
	const column = (header: string) => headers.indexOf(header) + 1;
	csvRows.forEach((row, index) => {
		const line = station.getRow(index + 2);
		expect(line.getCell(column('账号')).value).toBe(row.login);
		expect(line.getCell(column('完成单数')).value).toBe(number(row.jobs_completed));
		expect(line.getCell(column('维修成功率')).value).toBe(number(row.repair_success_rate));
		expect(line.getCell(column('维修成功率')).numFmt).toBe('0.0%');
		expect(line.getCell(column('客户满意率')).value).toBe(number(row.csat));
		expect(line.getCell(column('得分')).value).toBe(number(row.score));
	});
});

test('the monthly report reads in English, and its PDF too', async ({ page }) => {
	await signInAs(page, 'supervisor');
	const month = lastMonth();
	await page.goto(`/supervisor/report?month=${month}`);
	await page.getByRole('group', { name: '语言' }).getByRole('button', { name: 'English' }).click();

	await expect(page.getByRole('heading', { level: 1, name: 'Monthly report' })).toBeVisible();
	const stationSheet = page.getByRole('region', {
		name: `Monthly technician report of ${DEMO_STATION.name}`
	});
	await expect(stationSheet.getByRole('heading', { name: 'Definitions' })).toBeVisible();
	await expect(stationSheet.getByText("Supervisor's signature")).toBeVisible();
	await expect(
		stationSheet.getByRole('columnheader', { name: 'Repair success rate', exact: true })
	).toBeVisible();
	await expect(page.getByRole('button', { name: 'Print', exact: true })).toBeVisible();

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Download PDF' }).click()
	]);
	const { text } = await pdfPages(readFileSync((await download.path())!));
	expect(text[0]).toContain(`Monthly technician report of ${DEMO_STATION.name}`);
	expect(text[0]).toContain('Repair success rate');
	// The technicians' breakdowns in English too, on the page and on the PDF's later pages.
	const breakdown = page.getByRole('table', { name: /^KPIs and score breakdown of / }).first();
	const technicianPages = text.slice(1).join('\n');
	for (const header of ['Points', 'Weight', 'Contribution']) {
		await expect(breakdown.getByRole('columnheader', { name: header, exact: true })).toBeVisible();
		expect(technicianPages).toContain(header);
	}
});

test('the monthly report is for supervisors only', async ({ page }) => {
	await signInAs(page, 'desk');
	const month = lastMonth();
	const response = await page.goto(`/supervisor/report?month=${month}`);
	expect(response?.status()).toBe(403);
	for (const file of ['report.pdf', 'report.xlsx']) {
		const answer = await page.request.get(`/supervisor/${file}?month=${month}`);
		expect(answer.status(), file).toBe(403);
	}
});
