/**
 * The monthly trends must be the scorecard of each month, to the bit: on the demo station's
 * half year of history, and on a small station whose jobs sit on month boundaries, across a
 * daylight-saving change, with reworks and follow-ups in other months and custom scoring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { followUps } from '../db/schema';
import { resetDemoStation } from '../demo/load';
import { testEngines } from '../testing/databases';
import { createJob, createStation, createUser, setStationSettings } from '../testing/fixtures';
import type { SessionUser } from '../auth/session-user';
import type { KpiSettings } from '../../shared/domain';
import { computeScorecard } from './scorecard';
import { monthlyScorecards, trendWindowDates, type MonthlyScorecardRow } from './trends';
import { refreshStaleFacts } from './fact-refresh';

const HOUR = 3_600_000;

function monthStarts(firstMonth: string, months: number): string[] {
	const [year, month] = firstMonth.split('-').map(Number);
	return Array.from({ length: months + 1 }, (_, index) =>
		new Date(Date.UTC(year, month - 1 + index, 1)).toISOString().slice(0, 10)
	);
}

for (const engine of testEngines()) {
	describe(`KPI trends on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});
		afterAll(() => handle.close());

		/** Checks every month of the window against computeScorecard; returns the months with rows. */
		async function expectEqualToScorecards(
			stationId: string,
			firstMonth: string,
			months: number
		): Promise<string[]> {
			await refreshStaleFacts(db);
			const trend = await monthlyScorecards(db, { stationId, firstMonth, months });
			const starts = monthStarts(firstMonth, months);
			const withRows: string[] = [];
			for (let index = 0; index < months; index++) {
				const month = starts[index].slice(0, 7);
				const expected = await computeScorecard(db, {
					stationId,
					from: starts[index],
					to: starts[index + 1]
				});
				const actual = trend
					.filter((row) => row.month === month)
					.map(({ month: _month, ...row }) => row);
				expect(actual, month).toEqual(expected);
				if (actual.length > 0) withRows.push(month);
			}
			const windowMonths = starts.slice(0, months).map((start) => start.slice(0, 7));
			expect(trend.filter((row) => !windowMonths.includes(row.month))).toEqual([]);
			return withRows;
		}

		it("equals the scorecard of every month of the demo station's history", async () => {
			const demo = await resetDemoStation(db, { now: new Date('2026-05-20T06:30:00Z'), seed: 7 });
			const months = await expectEqualToScorecards(demo.stationId, '2025-10', 9);
			// The history covers about six months; the months before and after it are empty.
			expect(months.length).toBeGreaterThanOrEqual(6);
			expect(months).not.toContain('2025-10');
			expect(months).not.toContain('2026-06');

			await refreshStaleFacts(db);
			const rows = await monthlyScorecards(db, {
				stationId: demo.stationId,
				firstMonth: '2025-11',
				months: 7
			});
			const ranked = rows.filter((row) => row.rank !== null);
			expect(ranked.length).toBeGreaterThan(0);
			expect(new Set(rows.map((row) => row.grade)).size).toBeGreaterThan(1);
		});

		describe('on month boundaries', () => {
			let stationId: string;
			let alice: SessionUser;
			let bob: SessionUser;

			beforeAll(async () => {
				// New York: local midnights move from 05:00Z to 04:00Z on 8 March 2026 (DST).
				const station = await createStation(db, 'TRENDS', 'America/New_York');
				stationId = station.id;
				alice = await createUser(db, station, 'alice');
				bob = await createUser(db, station, 'bob');
				const settings: KpiSettings = {
					thresholds: {
						repair_success_rate: { pass: 0.5, excellent: 1 },
						avg_response_hours: { pass: 10, excellent: 2 },
						parts_cost_per_job: { pass: 100, excellent: 0 }
					},
					weights: {
						repair_success_rate: 0.5,
						avg_response_hours: 0.25,
						duration_index: 0,
						csat: 0,
						follow_up_rate: 0,
						record_accuracy: 0,
						parts_cost_per_job: 0.25
					},
					// Scored from the first job: these months hold one or two jobs each.
					minimums: {
						repair_success_rate: 1,
						avg_response_hours: 1,
						duration_index: 1,
						csat: 1,
						follow_up_rate: 1,
						record_accuracy: 1,
						parts_cost_per_job: 1
					}
				};
				await setStationSettings(db, stationId, { kpiSettings: settings, minJobsForRanking: 2 });

				const completed = (tech: SessionUser, completedAt: string, values = {}) =>
					createJob(db, tech, {
						status: 'completed',
						outcome: 'fixed',
						reportedAt: new Date(Date.parse(completedAt) - 5 * HOUR),
						arrivedAt: new Date(Date.parse(completedAt) - 3 * HOUR),
						startedAt: new Date(Date.parse(completedAt) - 2 * HOUR),
						completedAt: new Date(completedAt),
						...values
					});

				// 04:30Z on 1 March is still 28 February in New York; 05:00Z is 1 March.
				await completed(alice, '2026-03-01T04:30:00Z');
				await completed(alice, '2026-03-01T05:00:00Z', { deviceSerial: 'SN-1' });
				// After the DST change the month ends at 04:00Z: 1 April 03:59Z is still March.
				await completed(alice, '2026-04-01T03:59:00Z', { outcome: 'not_fixed' });
				await completed(alice, '2026-04-01T04:00:00Z');
				// Bob's job reworks alice's 1 March job (same serial, reported 25 days later).
				await completed(bob, '2026-03-26T15:00:00Z', {
					deviceSerial: ' sn-1 ',
					reportedAt: new Date('2026-03-26T09:00:00Z'),
					arrivedAt: null
				});
				await completed(bob, '2026-04-10T15:00:00Z', { startedAt: null });
				// A follow-up in May says a February job did not hold.
				const february = await completed(bob, '2026-02-10T15:00:00Z');
				await db.insert(followUps).values({
					source: 'desk',
					stationId,
					id: crypto.randomUUID(),
					jobId: february.id,
					visitedAt: new Date('2026-05-02T02:00:00Z'),
					satisfaction: 2,
					issueResolved: false
				});
				await completed(bob, '2026-02-11T15:00:00Z');
			});

			it('equals the scorecard of every month, wherever the facts fall', async () => {
				const months = await expectEqualToScorecards(stationId, '2026-01', 5);
				expect(months).toEqual(['2026-02', '2026-03', '2026-04']);
			});

			it('puts each job in the month of its local completion date', async () => {
				await refreshStaleFacts(db);
				const rows = await monthlyScorecards(db, { stationId, firstMonth: '2026-02', months: 2 });
				const jobs = (month: string, login: string) =>
					rows.find((row) => row.month === month && row.login === login)?.jobs_completed;
				expect(jobs('2026-02', 'alice')).toBe(1);
				expect(jobs('2026-03', 'alice')).toBe(2);
				expect(jobs('2026-02', 'bob')).toBe(2);
				expect(jobs('2026-03', 'bob')).toBe(1);
			});

			it('ranks each month on its own', async () => {
				await refreshStaleFacts(db);
				const rows = await monthlyScorecards(db, { stationId, firstMonth: '2026-02', months: 2 });
				const summary = rows.map((row: MonthlyScorecardRow) => [row.month, row.login, row.rank]);
				// February: only bob has two jobs (the minimum); March: only alice.
				expect(summary).toEqual([
					['2026-02', 'bob', 1],
					['2026-02', 'alice', null],
					['2026-03', 'alice', 1],
					['2026-03', 'bob', null]
				]);
			});
		});

		it('rejects a window that is not whole months, with a clear message', async () => {
			const stationId = crypto.randomUUID();
			await expect(
				monthlyScorecards(db, { stationId, firstMonth: '2026-13', months: 12 })
			).rejects.toThrow('firstMonth: must be a month written YYYY-MM');
			await expect(
				monthlyScorecards(db, { stationId, firstMonth: '2026-01', months: 0 })
			).rejects.toThrow('months: must be at least 1');
			await expect(
				monthlyScorecards(db, { stationId, firstMonth: '2026-01', months: 37 })
			).rejects.toThrow('months: must be at most 36');
		});
	});
}

describe('trend windows', () => {
	it('cover whole months, across a year end', () => {
		expect(trendWindowDates({ firstMonth: '2025-08', months: 12 })).toEqual({
			from: '2025-08-01',
			to: '2026-08-01'
		});
		expect(trendWindowDates({ firstMonth: '2026-12', months: 1 })).toEqual({
			from: '2026-12-01',
			to: '2027-01-01'
		});
	});
});
