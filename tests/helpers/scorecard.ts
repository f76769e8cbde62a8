/** The supervisor's scorecard as the scorecard-*.spec.ts tests read it. */
import { expect, type Locator, type Page } from '@playwright/test';
import { DEMO_STATION } from './demo';
import { zonedDay } from '../../src/lib/shared/time/local-time';
import {
	periodContaining,
	periodKey,
	previousPeriod,
	type ScorecardPeriod
} from '../../src/lib/shared/time/periods';

/** Today at the demo station, the date the e2e server's demo history ends on. */
export const stationToday = () => zonedDay(new Date(), DEMO_STATION.timeZone);

/** The last whole quarter: inside the demo's six months of history, whatever today is. */
export function lastQuarter(): ScorecardPeriod {
	return previousPeriod(periodContaining('quarter', stationToday()));
}

export function quarterKey(period: ScorecardPeriod): string {
	const key = periodKey(period);
	if (!key) throw new Error('not a calendar period');
	return key;
}

/** "2026年第3季度", as the page names a quarter in Chinese. */
export function quarterTitle(period: ScorecardPeriod): string {
	const [year, quarter] = quarterKey(period).split('-Q');
	return `${year}年第${quarter}季度`;
}

export function scorecardTable(page: Page): Locator {
	return page.getByRole('table', { name: new RegExp(`^${DEMO_STATION.name}技师成绩单`) });
}

/**
 * Columns of the scorecard after the row header (the technician), in the page's order: the key
 * columns a tablet shows without scrolling sideways; the other KPIs follow on demand.
 */
export const CELL = {
	rank: 0,
	grade: 1,
	score: 2,
	jobs: 3,
	successRate: 4,
	avgResponseHours: 5,
	csat: 6
} as const;

/** A number as the table shows it ("96.5%", "1,234.50", "—"), without its trend label. */
export async function shownNumber(cell: Locator): Promise<number | null> {
	const link = cell.getByRole('link');
	const text = (await link.count()) > 0 ? await link.innerText() : await cell.innerText();
	const match = /-?[\d,]+(\.\d+)?/.exec(text);
	return match ? Number(match[0].replaceAll(',', '')) : null;
}

export async function columnNumbers(table: Locator, cellIndex: number) {
	const rows = table.locator('tbody tr');
	const values: (number | null)[] = [];
	for (let i = 0; i < (await rows.count()); i++) {
		values.push(await shownNumber(rows.nth(i).getByRole('cell').nth(cellIndex)));
	}
	return values;
}

/** Logins of the table's rows, top to bottom. */
export async function rowLogins(table: Locator): Promise<string[]> {
	const logins = await table.locator('tbody tr th .login').allInnerTexts();
	return logins.map((login) => login.trim());
}

/**
 * Opens the scorecard of a quarter and waits until its scripts run: before that, the sort
 * buttons do nothing and links are plain browser navigations.
 */
export async function openQuarter(page: Page, period: ScorecardPeriod) {
	await page.goto(`/supervisor?period=${quarterKey(period)}`);
	await expect(scorecardTable(page)).toContainText(quarterTitle(period));
	await page.waitForLoadState('networkidle');
}
