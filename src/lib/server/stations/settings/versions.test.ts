/**
 * Effective-dated settings: a change takes effect from today or a later date of the station,
 * never an earlier one, is audited with its date, carries into versions already scheduled after
 * it, and scores only the periods whose scoring day it covers. Through the tRPC router, on
 * every test engine.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { kpiSettingsVersions, settingsAudit } from '../../db/schema';
import { testEngines } from '../../testing/databases';
import { createJob, createUser } from '../../testing/fixtures';
import { refreshStaleFacts } from '../../kpi/fact-refresh';
import { computeScorecard } from '../../kpi/scorecard';
import { settingsForPeriod, settingsInForce } from '../../kpi/settings-in-force';
import { addDays, periodContaining } from '../../../shared/time/periods';
import { MAX_DAYS_AHEAD, VERSION_SUBJECT } from './versions';
import { expectProblem, onlyWeights, settingsTestBed } from './testing';

const HOUR = 3_600_000;

for (const engine of testEngines()) {
	describe(`station settings: versions (${engine.name})`, () => {
		const bed = settingsTestBed(engine);
		const { as, freshStation } = bed;

		it('refuses a date before today or too far ahead, and changes nothing', async () => {
			const { station, supervisor } = await freshStation();
			const { today } = await as(supervisor).get();
			const yesterday = addDays(today, -1);
			await expectProblem(
				as(supervisor).updateRanking({ reworkWindowDays: 10, effectiveFrom: yesterday }),
				'effectiveFrom',
				'effective_date_past',
				'BAD_REQUEST',
				{ today }
			);
			await expectProblem(
				as(supervisor).updateKpi({ ...onlyWeights({ csat: 1 }), effectiveFrom: yesterday }),
				'effectiveFrom',
				'effective_date_past'
			);
			await expectProblem(
				as(supervisor).resetKpi({ effectiveFrom: '2000-01-01' }),
				'effectiveFrom',
				'effective_date_past'
			);
			await expectProblem(
				as(supervisor).updateRanking({
					minJobsForRanking: 2,
					effectiveFrom: addDays(today, MAX_DAYS_AHEAD + 1)
				}),
				'effectiveFrom',
				'effective_date_too_far'
			);
			await expectProblem(
				as(supervisor).updateRanking({ minJobsForRanking: 2, effectiveFrom: '2026-02-30' }),
				'effectiveFrom',
				'effective_date_invalid'
			);
			const versions = await bed.db
				.select()
				.from(kpiSettingsVersions)
				.where(eq(kpiSettingsVersions.stationId, station.id));
			expect(versions.map((version) => version.effectiveFrom)).toEqual(['-infinity']);
			expect(await bed.auditRows(station.id)).toEqual([]);
		});

		it('writes a dated version, audited with who and the date, listed on the page', async () => {
			const { station, supervisor } = await freshStation();
			const { today } = await as(supervisor).get();
			const nextMonth = periodContaining('month', today).to;
			await as(supervisor).updateRanking({ reworkWindowDays: 9, effectiveFrom: nextMonth });

			// Today's settings are unchanged; from next month the window is 9 days.
			expect(await settingsInForce(bed.db, station.id)).toMatchObject({ reworkWindowDays: 30 });
			expect(await settingsInForce(bed.db, station.id, nextMonth)).toMatchObject({
				effectiveFrom: nextMonth,
				reworkWindowDays: 9
			});
			const settings = await as(supervisor).get();
			expect(settings.reworkWindowDays).toBe(30);
			expect(settings.versions).toMatchObject([
				{
					effectiveFrom: nextMonth,
					createdBy: { login: 'boss' },
					inForceToday: false
				},
				{ effectiveFrom: null, createdBy: null, inForceToday: true }
			]);
			const audit = await bed.db
				.select()
				.from(settingsAudit)
				.where(eq(settingsAudit.stationId, station.id))
				.orderBy(settingsAudit.subject);
			expect(audit.map((row) => [row.subject, row.userId, row.newValue])).toEqual([
				['rework_window_days', supervisor.id, 9],
				[VERSION_SUBJECT, supervisor.id, { effectiveFrom: nextMonth }]
			]);
			// stations' copy follows the latest version.
			expect(await bed.storedStation(station.id)).toMatchObject({ reworkWindowDays: 9 });
		});

		it('carries a change into the versions already scheduled after its date', async () => {
			const { station, supervisor } = await freshStation();
			const { today } = await as(supervisor).get();
			const later = addDays(today, 20);
			await as(supervisor).updateRanking({ minJobsForRanking: 2, effectiveFrom: later });
			// Made today, after the scheduled one was saved: both carry the new window; the
			// scheduled version keeps its own ranking minimum.
			await as(supervisor).updateRanking({ reworkWindowDays: 12 });
			expect(await settingsInForce(bed.db, station.id, today)).toMatchObject({
				reworkWindowDays: 12,
				minJobsForRanking: 5
			});
			expect(await settingsInForce(bed.db, station.id, later)).toMatchObject({
				reworkWindowDays: 12,
				minJobsForRanking: 2
			});
			// Saving the same date again rewrites that version rather than adding one.
			await as(supervisor).updateRanking({ minJobsForRanking: 3, effectiveFrom: later });
			const versions = await bed.db
				.select()
				.from(kpiSettingsVersions)
				.where(eq(kpiSettingsVersions.stationId, station.id));
			expect(versions.map((version) => version.effectiveFrom).sort()).toEqual([
				'-infinity',
				today,
				later
			]);
			expect(await settingsInForce(bed.db, station.id, later)).toMatchObject({
				minJobsForRanking: 3
			});
		});

		it('scores the running period with today’s version, never with a later one', async () => {
			const { station, supervisor } = await freshStation();
			const tech = await createUser(bed.db, station, 'li', 'technician');
			const { today } = await as(supervisor).get();
			const completed = new Date(Date.now() - 60_000);
			// Six jobs: the default minimum sample is 5.
			for (const outcome of [
				'fixed',
				'not_fixed',
				'fixed',
				'not_fixed',
				'fixed',
				'not_fixed'
			] as const) {
				await createJob(bed.db, tech, {
					status: 'completed',
					outcome,
					reportedAt: new Date(completed.getTime() - 3 * HOUR),
					arrivedAt: new Date(completed.getTime() - 2 * HOUR),
					startedAt: new Date(completed.getTime() - HOUR),
					completedAt: completed
				});
			}
			const running = { stationId: station.id, from: today, to: addDays(today, 1) };
			// The fixtures' jobs are new facts, which the background worker brings in.
			await refreshStaleFacts(bed.db);
			const score = async () => (await computeScorecard(bed.db, running))[0].score;
			// kpi-rules.test.ts: the defaults score these six jobs 50.
			expect(await score()).toBe(50);

			// Weights for tomorrow on: today's period is unchanged.
			const tomorrow = addDays(today, 1);
			const weights = onlyWeights({ repair_success_rate: 1, avg_response_hours: 3 });
			await as(supervisor).updateKpi({ ...weights, effectiveFrom: tomorrow });
			expect(await score()).toBe(50);
			expect((await settingsForPeriod(bed.db, running)).effectiveFrom).toBe('-infinity');

			// The same weights from today: the running period follows them.
			await as(supervisor).updateKpi(weights);
			expect(await score()).toBe(75);
		});
	});
}
