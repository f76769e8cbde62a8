/**
 * The station's own KPIs (the supervisor's station home): scorecard.ts's statement with the
 * whole station as the one subject, for a period or for every month of a trend window. Only
 * supervisors read them (roles.md, "Read scorecards": a technician reads their own row only).
 */
import { z } from 'zod';
import { z as zm } from 'zod/mini';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import type { SessionUser } from '../auth/session-user';
import { isSupervisor } from '../../shared/roles';
import { stationKpiRowSchema, type KpiPeriod, type StationKpiRow } from '../../shared/kpi';
import { refusal } from '../refusal';
import { closedMonthsWithin, closureOf } from './closed-periods';
import { parseStationPeriod, type StationPeriod } from './period';
import { stationKpiQuery, WHOLE_PERIOD } from './scorecard';
import { MONTH_OF_DAY, parseTrendWindow, trendWindowDates, type TrendWindow } from './trends';

export const monthlyStationKpiRowSchema = zm.extend(stationKpiRowSchema, {
	/** The month, 'YYYY-MM'. */
	month: z.string()
});
export type MonthlyStationKpiRow = z.infer<typeof monthlyStationKpiRowSchema>;

/** The station's row of a period; null when no job was completed in it. */
export async function computeStationKpis(
	db: Queryable,
	input: StationPeriod
): Promise<StationKpiRow | null> {
	const period = parseStationPeriod(input);
	const [row] = await queryRows<StationKpiRow>(db, stationKpiQuery(period, WHOLE_PERIOD));
	// Parsing drops the bucket column.
	return row ? stationKpiRowSchema.parse(row) : null;
}

/** The station's row of every month of the window in which a job was completed, oldest first. */
export async function monthlyStationKpis(
	db: Queryable,
	input: { stationId: string } & TrendWindow
): Promise<MonthlyStationKpiRow[]> {
	const window = parseTrendWindow(input);
	const stationId = z.uuid('stationId must be a UUID').parse(input.stationId);
	const rows = await queryRows<StationKpiRow & { bucket: string }>(
		db,
		stationKpiQuery({ stationId, ...trendWindowDates(window) }, MONTH_OF_DAY)
	);
	return rows.map(({ bucket, ...row }) =>
		monthlyStationKpiRowSchema.parse({ month: bucket, ...row })
	);
}

function requireSupervisor(user: SessionUser): void {
	if (!isSupervisor(user)) {
		throw refusal(
			'FORBIDDEN',
			"Only a supervisor reads the station's own KPIs.",
			'home_station_kpis_supervisors_only'
		);
	}
}

/** The user's station's row of a period, for a supervisor; a closed month's as it was closed. */
export async function visibleStationKpis(
	db: Queryable,
	user: SessionUser,
	period: KpiPeriod
): Promise<StationKpiRow | null> {
	requireSupervisor(user);
	const closure = await closureOf(db, user.stationId, period);
	if (closure) return closure.scorecard.stationRow;
	return computeStationKpis(db, { stationId: user.stationId, ...period });
}

/** The user's station's row of every month of a window, for a supervisor; closed months frozen. */
export async function visibleMonthlyStationKpis(
	db: Queryable,
	user: SessionUser,
	window: TrendWindow
): Promise<MonthlyStationKpiRow[]> {
	requireSupervisor(user);
	const rows = await monthlyStationKpis(db, { stationId: user.stationId, ...window });
	const closed = await closedMonthsWithin(db, user.stationId, trendWindowDates(window));
	const months = [...new Set([...rows.map((row) => row.month), ...closed.keys()])].sort();
	return months.flatMap((month) => {
		const closure = closed.get(month);
		if (!closure) return rows.filter((row) => row.month === month);
		const row = closure.scorecard.stationRow;
		return row ? [{ month, ...row }] : [];
	});
}
