/**
 * One technician's scorecard with everything the technician page shows: the row of the period
 * ranked in the station, the row of the period it is compared with, what the numbers rest on,
 * the settings they were scored with, a year's monthly trend, the jobs behind every number and
 * the closure of a closed month. One builder for the station's supervisor (kpi.technicianReport)
 * and a region manager reading the station (region-drill-down.ts), so both read the same page.
 */
import type { Database } from '../db';
import type { SessionUser } from '../auth/session-user';
import { technicianSummary } from '../stations/service';
import { kpiPeriodSchema, type KpiPeriod } from '../../shared/kpi';
import { addDays, comparisonPeriod, monthsEnding } from '../../shared/time/periods';
import { zonedDay } from '../../shared/time/local-time';
import { visibleClosure } from './closed-periods';
import { stationScoring } from './trends';
import {
	visibleDrillDownJobs,
	visibleMonthlyScorecards,
	visibleScorecard,
	visibleScorecardWithGround
} from './visible-scorecard';

/** Months of a technician's trend: a year ending with the period. */
export const TECHNICIAN_TREND_MONTHS = 12;

/**
 * The report of `technicianId` of the reader's station for `input`, read as `reader` (a
 * supervisor of the station); null when the station has no such technician.
 */
export async function technicianReport(
	db: Database,
	reader: SessionUser,
	input: { technicianId: string } & KpiPeriod,
	now: Date = new Date()
) {
	const period = kpiPeriodSchema.parse({ from: input.from, to: input.to });
	const technician = (await technicianSummary(db, reader)).find(
		(candidate) => candidate.id === input.technicianId
	);
	if (!technician) return null;
	const today = zonedDay(now, reader.timeZone);
	// A running period is compared with as many days of the one before ("so far").
	const previousPeriod = comparisonPeriod(period, today);
	const months = monthsEnding(addDays(period.to, -1), TECHNICIAN_TREND_MONTHS).map((first) =>
		first.slice(0, 7)
	);
	const [{ rows, ground }, previousRows, scoring, trend, jobs, closure] = await Promise.all([
		visibleScorecardWithGround(db, reader, period),
		visibleScorecard(db, reader, previousPeriod),
		stationScoring(db, reader.stationId, period),
		visibleMonthlyScorecards(db, reader, {
			firstMonth: months[0],
			months: TECHNICIAN_TREND_MONTHS
		}),
		visibleDrillDownJobs(db, reader, { ...period, technicianId: technician.id }),
		visibleClosure(db, reader, period)
	]);
	const own = <Row extends { login: string }>(candidates: Row[]) =>
		candidates.find((row) => row.login === technician.login) ?? null;
	return {
		technician: {
			id: technician.id,
			login: technician.login,
			name: technician.name,
			active: technician.active
		},
		today,
		/** The dates the previous row is of, with the kind of period they are. */
		previousPeriod,
		row: own(rows),
		ground: own(ground),
		previousRow: own(previousRows),
		rankedCount: rows.filter((row) => row.rank !== null).length,
		// A closed month is read with the settings it was closed with, as its numbers are.
		scoring: closure
			? {
					kpiSettings: closure.settings.kpiSettings,
					minJobsForRanking: closure.settings.minJobsForRanking
				}
			: scoring,
		months,
		trend: trend.filter((row) => row.login === technician.login),
		jobs,
		closure
	};
}

export type TechnicianReport = NonNullable<Awaited<ReturnType<typeof technicianReport>>>;
