/**
 * The jobs behind a region's numbers (roles.md, "Read jobs: region (read only)" and "Read
 * scorecards, trends, drill-down: region"): a station of the region's technicians, one
 * technician's scorecard with the jobs behind each number, and one job's page, each exactly what
 * the station's supervisor reads. Every read goes through jobs/access.ts regionReaderOf, the one
 * statement of the region's scope: a station outside it is NOT_FOUND, and so is any job or
 * technician of it, without being looked up. Reads only: the reader's role changes nothing.
 */
import type { Database } from '../db';
import type { SessionUser } from '../auth/session-user';
import { regionReaderOf } from '../jobs/access';
import { getJobDetail, listJobHistory } from '../jobs/history';
import { getServiceReceipt } from '../jobs/receipt';
import { refusal } from '../refusal';
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

/** Months of a technician's trend, as on the supervisor's technician page. */
export const REGION_TECHNICIAN_TREND_MONTHS = 12;

function stationOf(reader: SessionUser) {
	return {
		id: reader.stationId,
		code: reader.stationCode,
		name: reader.stationName,
		timeZone: reader.timeZone
	};
}

/** The station's technicians (active, or with jobs), to open one's scorecard by its row. */
export async function regionStationTechnicians(
	db: Database,
	user: SessionUser,
	stationId: string
): Promise<{ id: string; login: string; name: string; active: boolean }[]> {
	const reader = await regionReaderOf(db, user, stationId);
	return (await technicianSummary(db, reader)).map(({ id, login, name, active }) => ({
		id,
		login,
		name,
		active
	}));
}

/**
 * One technician of a station of the region, for a period: what the supervisor's technician
 * page shows (its row ranked in the station, the row before, what the numbers rest on, the
 * settings they were scored with, a year's trend, the jobs behind every number, the closure of a
 * closed month). A technician not of that station is NOT_FOUND.
 */
export async function regionTechnicianReport(
	db: Database,
	user: SessionUser,
	input: { stationId: string; technicianId: string } & KpiPeriod,
	now: Date = new Date()
) {
	const reader = await regionReaderOf(db, user, input.stationId);
	const period = kpiPeriodSchema.parse({ from: input.from, to: input.to });
	const technician = (await technicianSummary(db, reader)).find(
		(candidate) => candidate.id === input.technicianId
	);
	if (!technician) {
		throw refusal(
			'NOT_FOUND',
			`There is no technician ${input.technicianId} in station ${reader.stationCode}.`,
			'region_technician_unknown'
		);
	}
	const today = zonedDay(now, reader.timeZone);
	const previousPeriod = comparisonPeriod(period, today);
	const months = monthsEnding(addDays(period.to, -1), REGION_TECHNICIAN_TREND_MONTHS).map((first) =>
		first.slice(0, 7)
	);
	const [{ rows, ground }, previousRows, scoring, trend, jobs, closure] = await Promise.all([
		visibleScorecardWithGround(db, reader, period),
		visibleScorecard(db, reader, previousPeriod),
		stationScoring(db, reader.stationId, period),
		visibleMonthlyScorecards(db, reader, {
			firstMonth: months[0],
			months: REGION_TECHNICIAN_TREND_MONTHS
		}),
		visibleDrillDownJobs(db, reader, { ...period, technicianId: technician.id }),
		visibleClosure(db, reader, period)
	]);
	const own = <Row extends { login: string }>(candidates: Row[]) =>
		candidates.find((row) => row.login === technician.login) ?? null;
	return {
		station: stationOf(reader),
		technician: {
			id: technician.id,
			login: technician.login,
			name: technician.name,
			active: technician.active
		},
		today,
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

/**
 * One job of a station of the region, as the supervisor's job page shows it (the job with the
 * names behind its ids, its change history, the customer's signature), with no decision on it.
 * Where its steps happened stays the station's supervisors' (jobs/positions.ts).
 */
export async function regionJob(
	db: Database,
	user: SessionUser,
	input: { stationId: string; jobId: string }
) {
	const reader = await regionReaderOf(db, user, input.stationId);
	const [detail, history, receipt] = await Promise.all([
		getJobDetail(db, reader, input.jobId),
		listJobHistory(db, reader, input.jobId),
		getServiceReceipt(db, reader, input.jobId)
	]);
	return { station: stationOf(reader), detail, history, signature: receipt.signature };
}
