/**
 * The rework window and the minimum jobs for a rank. The window is carried by the session too,
 * so that phones warn of a likely rework with it. Through the tRPC router, on every test engine.
 */
import { describe, expect, it } from 'vitest';
import { createSession, validateSessionToken } from '../../auth/sessions';
import { testEngines } from '../../testing/databases';
import { expectProblem, settingsTestBed } from './testing';

for (const engine of testEngines()) {
	describe(`station settings: ranking (${engine.name})`, () => {
		const bed = settingsTestBed(engine);
		const { as, freshStation, auditRows, storedStation } = bed;

		it('changes the rework window and the minimum jobs within their ranges', async () => {
			const { station, supervisor } = await freshStation();
			const caller = as(supervisor);
			expect(await caller.updateRanking({ reworkWindowDays: 14, minJobsForRanking: 5 })).toEqual({
				changed: 1
			});
			expect(await caller.updateRanking({ minJobsForRanking: 0 })).toEqual({ changed: 1 });
			expect(await storedStation(station.id)).toMatchObject({
				reworkWindowDays: 14,
				minJobsForRanking: 0
			});
			const rows = await auditRows(station.id);
			expect(rows.map((row) => [row.subject, row.oldValue, row.newValue])).toEqual([
				['min_jobs_for_ranking', 5, 0],
				['rework_window_days', 30, 14]
			]);

			for (const [field, value] of [
				['reworkWindowDays', 0],
				['reworkWindowDays', 366],
				['reworkWindowDays', 7.5],
				['minJobsForRanking', -1],
				['minJobsForRanking', 1001]
			] as const) {
				await expectProblem(caller.updateRanking({ [field]: value }), field, 'out_of_range');
			}
			await expectProblem(caller.updateRanking({}), '', 'nothing_to_change');
			expect(await auditRows(station.id)).toHaveLength(2);
		});

		it('reaches the phone with the session', async () => {
			const { supervisor, technician } = await freshStation();
			const { token } = await createSession(bed.db, technician);
			expect((await validateSessionToken(bed.db, token))?.user.reworkWindowDays).toBe(30);
			await as(supervisor).updateRanking({ reworkWindowDays: 7 });
			expect((await validateSessionToken(bed.db, token))?.user.reworkWindowDays).toBe(7);
		});
	});
}
