/**
 * Closing and reopening a month (docs/kpi-rules.md, "Closed periods"; roles.md "Close / reopen
 * a period": a station's supervisor, audited). Closing stores the month's scorecard as computed
 * then, and the settings it was scored with, in period_closures; every scorecard read of the
 * month returns that copy (closed-periods.ts) until a supervisor reopens it with a reason, kept
 * on the row (who, when, why).
 *
 * Two supervisors closing at once: the station row is locked first (as a settings edit locks
 * it, so the settings cannot change while the month is scored either), so the second waits,
 * then finds the month closed and is refused. The unique index on the period in force is the
 * database's own guard behind that.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { inTransaction } from '../db/change-context';
import { queryRows } from '../db/rows';
import { periodClosures } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { requireSupervisor } from '../jobs/access';
import { invalidFieldReason, refusal, Refusal } from '../refusal';
import { lockSettings } from '../stations/settings/versions';
import { settingsForPeriod } from './settings-in-force';
import { zonedDay } from '../../shared/time/local-time';
import { periodContaining } from '../../shared/time/periods';
import {
	reopenPeriodInputSchema,
	type CloseMonthInput,
	type ClosedSettings,
	type PeriodClosureView,
	type ReopenPeriodInput
} from '../../shared/period-closing';
import { closureOf, visibleClosure, type ClosedScorecard } from './closed-periods';
import { refreshStation, refreshStationHeld } from './fact-refresh';
import { computeScorecardWithGround } from './scorecard';
import { computeStationKpis } from './station-kpis';

/**
 * Closes a whole month that is over in the station's time zone (the running month's numbers
 * are still moving; a month to come has none). Returns the closed month's label.
 */
export async function closeMonth(
	db: Queryable,
	user: SessionUser,
	input: CloseMonthInput,
	now: Date = new Date()
): Promise<PeriodClosureView> {
	requireSupervisor(user, 'close a period');
	const { from, to } = periodContaining('month', `${input.month}-01`);
	if (to > zonedDay(now, user.timeZone)) {
		throw refusal(
			'BAD_REQUEST',
			`${input.month} is not over yet; only a past month can be closed.`,
			'period_not_over',
			{ month: input.month }
		);
	}
	const period = { from, to };
	// The stored numbers must hold every write: the queue is emptied first, in batches that do not
	// hold the station, then what is marked meanwhile under the lock below (fact-refresh.ts).
	await refreshStation(db, user.stationId);
	await inTransaction(db, user, async (tx) => {
		// The station row locked as a settings edit locks it: two closes (or a close and a settings
		// change) queue.
		await lockSettings(tx, user, undefined);
		await refreshStationHeld(tx, user.stationId);
		const station = await settingsForPeriod(tx, { stationId: user.stationId, to });
		if (await closureOf(tx, user.stationId, period)) throw alreadyClosed(input.month);
		// Taken before the numbers are read, so nothing written after them escapes the list of
		// changes since closing (a write between the two is listed although counted: harmless).
		const [{ snapshot }] = await queryRows<{ snapshot: string }>(
			tx,
			sql`SELECT pg_current_snapshot()::text AS snapshot`
		);
		const { rows, ground } = await computeScorecardWithGround(tx, {
			stationId: user.stationId,
			...period
		});
		const scorecard: ClosedScorecard = {
			version: 1,
			rows,
			stationRow: await computeStationKpis(tx, { stationId: user.stationId, ...period }),
			ground,
			takenIn: snapshot
		};
		const settings: ClosedSettings = {
			version: 1,
			kpiSettings: station.kpiSettings,
			reworkWindowDays: station.reworkWindowDays,
			minJobsForRanking: station.minJobsForRanking
		};
		await tx.insert(periodClosures).values({
			stationId: user.stationId,
			periodFrom: from,
			periodTo: to,
			closedBy: user.id,
			scorecard,
			settings
		});
	});
	const closure = await visibleClosure(db, user, period);
	if (!closure) throw alreadyClosed(input.month);
	return closure;
}

function alreadyClosed(month: string): Refusal {
	return refusal('CONFLICT', `${month} is already closed.`, 'period_already_closed', { month });
}

/**
 * Reopens a closed period with a reason: its scorecard is computed live again (and can be closed
 * again later). Another station's closure is not found, as if it did not exist.
 */
export async function reopenPeriod(
	db: Queryable,
	user: SessionUser,
	input: ReopenPeriodInput
): Promise<void> {
	requireSupervisor(user, 'reopen a period');
	const parsed = reopenPeriodInputSchema.safeParse(input);
	if (!parsed.success) {
		throw new Refusal(
			'BAD_REQUEST',
			'A period is reopened with a reason.',
			invalidFieldReason(parsed.error.issues)
		);
	}
	const { closureId, reason } = parsed.data;
	await inTransaction(db, user, async (tx) => {
		const reopened = await tx
			.update(periodClosures)
			.set({ reopenedBy: user.id, reopenedAt: sql`now()`, reopenReason: reason })
			.where(
				and(
					eq(periodClosures.stationId, user.stationId),
					eq(periodClosures.id, closureId),
					isNull(periodClosures.reopenedAt)
				)
			)
			.returning({ id: periodClosures.id });
		if (reopened.length > 0) return;
		const [closure] = await tx
			.select({ id: periodClosures.id })
			.from(periodClosures)
			.where(and(eq(periodClosures.stationId, user.stationId), eq(periodClosures.id, closureId)));
		if (closure) {
			throw refusal('CONFLICT', 'This period has already been reopened.', 'period_reopened');
		}
		throw refusal('NOT_FOUND', 'There is no such closed period.', 'closure_not_found');
	});
}
