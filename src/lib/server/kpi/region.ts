/**
 * The region manager's view (roles.md: "region" = the stations a system administrator assigned
 * to the user, region_stations; read only): the stations side by side for a period, each scored
 * by its own settings exactly as its own scorecard scores it (scorecard.ts's statement over
 * several stations at once, no statement per station), a trend per station, the best and worst
 * technicians across the stations, and a station's own scorecard unchanged.
 *
 * A period that is exactly a closed month of a station shows that station's closed numbers, as
 * its own pages do (closed-periods.ts); the other stations are computed. A period of whole months
 * (a month, a quarter) and the trend read the monthly rollup (monthly-rollup.ts: a few rows per
 * technician or station instead of a row per day), any other period the daily rows; the numbers
 * are the same, as region.test.ts checks.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { regionStations, stations } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import {
	kpiPeriodSchema,
	scorecardRowSchema,
	stationKpiRowSchema,
	type KpiPeriod,
	type ScorecardRow,
	type StationKpiRow
} from '../../shared/kpi';
import type {
	RegionComparison,
	RegionStation,
	RegionStationRow,
	RegionTechnician
} from '../../shared/region';
import { addDays, monthsEnding } from '../../shared/time/periods';
import { refusal } from '../refusal';
import {
	closureOf,
	closuresOfStationsWithin,
	scorecardOfPeriod,
	type ClosureInForce
} from './closed-periods';
import {
	isWholeMonths,
	STATION_MONTHS,
	TECHNICIAN_MONTHS,
	technicianMedian
} from './monthly-rollup';
import {
	DAILY_ROLLUP,
	stationsKpiQuery,
	stationsScorecardQuery,
	WHOLE_PERIOD,
	type KpiRollup
} from './scorecard';
import { computeStationKpis } from './station-kpis';
import { MONTH_OF_DAY } from './trends';

/** How many technicians the best and the worst list each show. */
export const REGION_BEST_AND_WORST = 5;
/** Months of each station's trend: a half year, as on the station home. */
export const REGION_TREND_MONTHS = 6;

function requireRegionManager(user: SessionUser): void {
	if (user.role !== 'region_manager') {
		throw refusal('FORBIDDEN', 'Only a region manager reads the region.', 'region_managers_only');
	}
}

/** The stations assigned to the region manager, by code. */
export async function regionStationsOf(db: Queryable, user: SessionUser): Promise<RegionStation[]> {
	requireRegionManager(user);
	return db
		.select({ id: stations.id, code: stations.code, name: stations.name })
		.from(regionStations)
		.innerJoin(stations, eq(stations.id, regionStations.stationId))
		.where(
			and(eq(regionStations.userStationId, user.stationId), eq(regionStations.userId, user.id))
		)
		.orderBy(asc(stations.code));
}

type StationKpiQueryRow = StationKpiRow & { station_id: string; bucket: string };
type TechnicianQueryRow = ScorecardRow & { station_id: string; period_median?: number | null };

/** The trend shows scores only: the station's months without their medians. */
const TREND_MONTHS: KpiRollup = { ...STATION_MONTHS, medians: null };

/**
 * The stations side by side for a period: each one's own row (values, score, grade, jobs), its
 * score in each of the last REGION_TREND_MONTHS months up to the period's end, and the best and
 * worst ranked technicians across them.
 */
export async function regionComparison(
	db: Queryable,
	user: SessionUser,
	input: KpiPeriod
): Promise<RegionComparison> {
	const period = kpiPeriodSchema.parse(input);
	const region = await regionStationsOf(db, user);
	const trendMonths = monthsEnding(addDays(period.to, -1), REGION_TREND_MONTHS).map((first) =>
		first.slice(0, 7)
	);
	if (region.length === 0) return { stations: [], trendMonths, best: [], worst: [] };
	const ids = region.map((station) => station.id);
	const trendRange = { from: `${trendMonths[0]}-01`, to: trendEnd(trendMonths) };
	const closures = await closuresOfStationsWithin(db, ids, {
		from: period.from < trendRange.from ? period.from : trendRange.from,
		to: period.to > trendRange.to ? period.to : trendRange.to
	});
	const closedNow = new Map(
		closures
			.filter((closure) => closure.from === period.from && closure.to === period.to)
			.map((closure) => [closure.stationId, closure])
	);
	const liveIds = ids.filter((id) => !closedNow.has(id));
	const monthly = isWholeMonths(period);
	const [stationRows, technicianRows, trendRows] = await Promise.all([
		queryRows<StationKpiQueryRow>(
			db,
			stationsKpiQuery(
				{ stationIds: liveIds, ...period },
				WHOLE_PERIOD,
				monthly ? STATION_MONTHS : DAILY_ROLLUP
			)
		),
		queryRows<TechnicianQueryRow>(
			db,
			bestAndWorstQuery({ stationIds: liveIds, ...period }, monthly)
		),
		queryRows<StationKpiQueryRow>(
			db,
			stationsKpiQuery({ stationIds: ids, ...trendRange }, MONTH_OF_DAY, TREND_MONTHS)
		)
	]);
	const byId = new Map(region.map((station) => [station.id, station]));
	const rowOf = new Map(stationRows.map((row) => [row.station_id, row]));
	const stationsSideBySide: RegionStationRow[] = region.map((station) => {
		const closure = closedNow.get(station.id);
		const live = rowOf.get(station.id);
		return {
			station,
			kpis: closure ? closure.scorecard.stationRow : live ? stationKpiRowSchema.parse(live) : null,
			closed: Boolean(closure),
			trend: trendOf(station.id, trendMonths, trendRows, closures)
		};
	});
	const candidates: RegionTechnician[] = [
		...technicianRows.map(({ period_median, ...row }) => ({
			station: byId.get(row.station_id)!,
			row: scorecardRowSchema.parse(
				monthly ? { ...row, median_repair_minutes: period_median } : row
			)
		})),
		...[...closedNow.values()].flatMap((closure) =>
			closure.scorecard.rows
				.filter((row) => row.rank !== null)
				.map((row) => ({ station: byId.get(closure.stationId)!, row }))
		)
	];
	const { best, worst } = bestAndWorst(candidates);
	return { stations: stationsSideBySide, trendMonths, best, worst };
}

/** The day after the last trend month. */
function trendEnd(months: readonly string[]): string {
	const [year, month] = months[months.length - 1].split('-').map(Number);
	return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
}

function trendOf(
	stationId: string,
	months: readonly string[],
	rows: readonly StationKpiQueryRow[],
	closures: readonly ClosureInForce[]
): (number | null)[] {
	return months.map((month) => {
		// Only months are closed: a closure is its month's.
		const closure = closures.find((c) => c.stationId === stationId && c.from.startsWith(month));
		if (closure) return closure.scorecard.stationRow?.score ?? null;
		const row = rows.find((r) => r.station_id === stationId && r.bucket === month);
		return row?.score ?? null;
	});
}

/**
 * The REGION_BEST_AND_WORST highest and lowest scores among the technicians their own station
 * ranks (rankable: a score, and the station's min_jobs_for_ranking; each KPI scored only above
 * the station's minimum sample), in one statement over the stations: only those rows leave the
 * database. Over whole months, from the technicians' monthly rows, the median of only those
 * rows as `period_median`.
 */
function bestAndWorstQuery(
	period: { stationIds: readonly string[]; from: string; to: string },
	monthly: boolean
) {
	return sql`
SELECT t.*${monthly ? sql`, ${technicianMedian(period, 't')} AS period_median` : sql``}
FROM (
	SELECT
		s.*,
		row_number() OVER (ORDER BY s.score DESC, s.login COLLATE "C", s.station_id) AS from_top,
		row_number() OVER (ORDER BY s.score ASC, s.login COLLATE "C", s.station_id) AS from_bottom
	FROM (${stationsScorecardQuery(period, WHOLE_PERIOD, monthly ? TECHNICIAN_MONTHS : DAILY_ROLLUP)}) s
	WHERE s.rankable
) t
WHERE t.from_top <= ${REGION_BEST_AND_WORST} OR t.from_bottom <= ${REGION_BEST_AND_WORST}`;
}

function byScore(a: RegionTechnician, b: RegionTechnician): number {
	return (
		(b.row.score ?? 0) - (a.row.score ?? 0) ||
		(a.row.login < b.row.login ? -1 : a.row.login > b.row.login ? 1 : 0) ||
		(a.station.code < b.station.code ? -1 : a.station.code > b.station.code ? 1 : 0)
	);
}

/** The best list, and the worst among the rest (lowest first): nobody is on both. */
function bestAndWorst(candidates: RegionTechnician[]) {
	const ordered = [...candidates].sort(byScore);
	const best = ordered.slice(0, REGION_BEST_AND_WORST);
	const worst = ordered.slice(best.length).reverse().slice(0, REGION_BEST_AND_WORST);
	return { best, worst };
}

const stationIdSchema = z.uuid('stationId must be a UUID');

/**
 * One station's own scorecard, read only, for a region manager it is assigned to: the same rows
 * and station row its supervisor reads (a closed month's as closed). A station outside the
 * region is NOT_FOUND, like a missing one: the manager learns nothing of other stations.
 */
export async function regionStationScorecard(
	db: Queryable,
	user: SessionUser,
	input: { stationId: string } & KpiPeriod
): Promise<{ station: RegionStation; stationRow: StationKpiRow | null; rows: ScorecardRow[] }> {
	const period = kpiPeriodSchema.parse({ from: input.from, to: input.to });
	const parsedId = stationIdSchema.safeParse(input.stationId);
	const station = parsedId.success
		? (await regionStationsOf(db, user)).find((s) => s.id === parsedId.data)
		: undefined;
	if (!station) {
		throw refusal(
			'NOT_FOUND',
			`There is no station ${input.stationId} in the region.`,
			'region_station_unknown'
		);
	}
	const { rows } = await scorecardOfPeriod(db, station.id, period);
	const closure = await closureOf(db, station.id, period);
	const stationRow = closure
		? closure.scorecard.stationRow
		: await computeStationKpis(db, { stationId: station.id, ...period });
	return { station, stationRow, rows };
}
