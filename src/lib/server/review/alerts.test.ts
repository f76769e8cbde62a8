/**
 * Alerts on hand-built stations: which technician gets which alert, who is too new to be
 * checked, and that nothing crosses stations or reaches technicians.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { setChangeContext } from '../db/change-context';
import { followUps, jobParts, jobs, type Job, type NewJob } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { testEngines } from '../testing/databases';
import {
	createJob,
	createPart,
	createStation,
	createUser,
	setStationSettings
} from '../testing/fixtures';
import { closeMonth, reopenPeriod } from '../kpi/closing';
import { refreshStaleFacts } from '../kpi/fact-refresh';
import { createCallerFactory } from '../trpc/core';
import { reviewRouter } from '../trpc/routers/review';
import { alertsReportSchema } from './schemas';
import { SCORED_KPIS } from '../../shared/domain';
import { DEFAULT_KPI_SETTINGS } from '../../shared/kpi-settings';

const createCaller = createCallerFactory(reviewRouter);
const HOUR = 60 * 60 * 1000;
const MARCH = { from: '2026-03-01', to: '2026-04-01' };
/** Noon in Shanghai on a day of March 2026, and of February, the month it is compared with. */
const inMarch = (day: number) => new Date(Date.UTC(2026, 2, day, 4));
const inFebruary = (day: number) => new Date(Date.UTC(2026, 1, day, 4));
/** In April 2026: February and March are over and may be closed. */
const IN_APRIL = new Date('2026-04-10T02:00:00Z');
/** The default settings with every KPI scored from 3 jobs or ratings on. */
const MINIMUMS_OF_3 = {
	...DEFAULT_KPI_SETTINGS,
	minimums: Object.fromEntries(SCORED_KPIS.map((kpi) => [kpi, 3])) as Record<
		(typeof SCORED_KPIS)[number],
		number
	>
};

for (const engine of testEngines()) {
	describe(`review alerts (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let boss: SessionUser;
		let steady: SessionUser;
		let slowpoke: SessionUser;
		let slipping: SessionUser;
		let spender: SessionUser;
		let thinHistory: SessionUser;
		let newcomer: SessionUser;
		let southBoss: SessionUser;
		const as = (user: SessionUser | null) => createCaller({ db, user });

		/**
		 * A clean, fixed job with a satisfied follow-up: response 1 h, repair 60 min of 60
		 * standard minutes, so it meets every default threshold.
		 */
		async function goodJob(tech: SessionUser, completedAt: Date, values: Partial<NewJob> = {}) {
			const job = await createJob(db, tech, {
				status: 'completed',
				outcome: 'fixed',
				reportedAt: new Date(completedAt.getTime() - 3 * HOUR),
				arrivedAt: new Date(completedAt.getTime() - 2 * HOUR),
				startedAt: new Date(completedAt.getTime() - HOUR),
				completedAt,
				...values
			});
			await db.insert(followUps).values({
				source: 'desk',
				stationId: tech.stationId,
				id: randomUUID(),
				jobId: job.id,
				visitedAt: new Date(completedAt.getTime() + 24 * HOUR),
				satisfaction: 5,
				issueResolved: true
			});
			return job;
		}

		async function withParts(tech: SessionUser, completedAt: Date, unitCost: string) {
			const job = await goodJob(tech, completedAt);
			const part = await createPart(db, tech.stationId, `P-${randomUUID().slice(0, 8)}`, unitCost);
			await db.insert(jobParts).values({
				stationId: tech.stationId,
				id: randomUUID(),
				jobId: job.id,
				partId: part.id,
				qty: '1',
				unitCost
			});
		}

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const north = await createStation(db, 'NORTH');
			await setStationSettings(db, north.id, { minJobsForRanking: 3, kpiSettings: MINIMUMS_OF_3 });
			boss = await createUser(db, north, 'boss', 'supervisor');
			steady = await createUser(db, north, 'steady');
			slowpoke = await createUser(db, north, 'slowpoke');
			slipping = await createUser(db, north, 'slipping');
			spender = await createUser(db, north, 'spender');
			thinHistory = await createUser(db, north, 'thin');
			newcomer = await createUser(db, north, 'newcomer');

			for (const day of [2, 3, 4]) {
				await goodJob(steady, inFebruary(day));
				await goodJob(steady, inMarch(day));
			}
			// 30 h from report to arrival on every March job; no February jobs to compare with.
			for (const day of [5, 6, 7]) {
				const completedAt = inMarch(day);
				await goodJob(slowpoke, completedAt, {
					reportedAt: new Date(completedAt.getTime() - 32 * HOUR)
				});
			}
			// February: 4 of 4 fixed; March: 3 of 4 (0.75), under pass and 25 points down.
			for (const day of [10, 11, 12, 13]) await goodJob(slipping, inFebruary(day));
			for (const day of [10, 11, 12]) await goodJob(slipping, inMarch(day));
			await goodJob(slipping, inMarch(13), { outcome: 'not_fixed' });
			// Parts cost per job 100 → 130 (+30 %): not scored, but a sharp rise.
			for (const day of [14, 15, 16]) {
				await withParts(spender, inFebruary(day), '100.00');
				await withParts(spender, inMarch(day), '130.00');
			}
			// 2 of 3 fixed in March (under pass), but only 2 February jobs: too few to compare.
			for (const day of [17, 18]) await goodJob(thinHistory, inFebruary(day));
			await goodJob(thinHistory, inMarch(17));
			await goodJob(thinHistory, inMarch(18));
			await goodJob(thinHistory, inMarch(19), { outcome: 'not_fixed' });
			// Two bad jobs: under the minimum of 3, so never alerted.
			for (const day of [20, 21]) await goodJob(newcomer, inMarch(day), { outcome: 'not_fixed' });

			const south = await createStation(db, 'SOUTH');
			southBoss = await createUser(db, south, 'boss', 'supervisor');
			const southTech = await createUser(db, south, 'southtech');
			for (const day of [2, 3, 4, 5, 6]) {
				await goodJob(southTech, inMarch(day), { outcome: 'not_fixed' });
			}
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('names each technician’s alerts, most alerts first', async () => {
			await refreshStaleFacts(db);
			const report = await as(boss).alerts(MARCH);
			expect(alertsReportSchema.parse(report)).toEqual(report);
			expect(report.period).toEqual(MARCH);
			expect(report.previousPeriod).toEqual({ from: '2026-02-01', to: '2026-03-01' });
			expect(report.minJobs).toBe(3);
			expect(report.rule).toEqual({ sharpRateDrop: 0.1, sharpRiseRatio: 0.25 });

			const byLogin = Object.fromEntries(report.technicians.map((t) => [t.login, t]));
			expect(report.technicians.map((t) => t.login)).toEqual([
				'slipping',
				'slowpoke',
				'spender',
				'thin'
			]);
			expect(byLogin.slipping).toMatchObject({
				technicianId: slipping.id,
				name: 'slipping 名字',
				jobsCompleted: 4,
				previousJobsCompleted: 4,
				alerts: [
					{
						kind: 'below_pass',
						kpi: 'repair_success_rate',
						value: 0.75,
						pass: 0.9,
						excellent: 0.95
					},
					{ kind: 'sharp_drop', kpi: 'repair_success_rate', value: 0.75, previous: 1 }
				]
			});
			expect(byLogin.slowpoke).toMatchObject({
				technicianId: slowpoke.id,
				previousJobsCompleted: 0,
				alerts: [
					{ kind: 'below_pass', kpi: 'avg_response_hours', value: 30, pass: 24, excellent: 12 }
				]
			});
			expect(byLogin.spender).toMatchObject({
				technicianId: spender.id,
				alerts: [{ kind: 'sharp_drop', kpi: 'parts_cost_per_job', value: 130, previous: 100 }]
			});
			expect(byLogin.thin.technicianId).toBe(thinHistory.id);
			expect(byLogin.thin.alerts).toHaveLength(1);
			expect(byLogin.thin.alerts[0]).toMatchObject({ kind: 'below_pass', pass: 0.9 });
			expect(byLogin.thin.alerts[0].value).toBeCloseTo(2 / 3, 12);
		});

		it('checks technicians with enough jobs and lists the others as not checked', async () => {
			await refreshStaleFacts(db);
			const report = await as(boss).alerts(MARCH);
			expect(report.technicians.map((t) => t.login)).not.toContain('steady');
			// steady, slowpoke, slipping, spender, thin: five with at least 3 jobs.
			expect(report.checkedCount).toBe(5);
			expect(report.insufficient).toEqual([
				{ technicianId: newcomer.id, login: 'newcomer', name: 'newcomer 名字', jobsCompleted: 2 }
			]);
		});

		it('shows each station only its own technicians', async () => {
			await refreshStaleFacts(db);
			const north = await as(boss).alerts(MARCH);
			expect(JSON.stringify(north)).not.toContain('southtech');
			await refreshStaleFacts(db);
			const south = await as(southBoss).alerts(MARCH);
			expect(south.technicians.map((t) => t.login)).toEqual(['southtech']);
			expect(south.technicians[0].alerts.map((a) => a.kpi)).toEqual(['repair_success_rate']);
			expect(south.insufficient).toEqual([]);
		});

		it('has nothing to say about an empty period', async () => {
			await refreshStaleFacts(db);
			const report = await as(boss).alerts({ from: '2025-06-01', to: '2025-07-01' });
			expect(report).toMatchObject({ technicians: [], checkedCount: 0, insufficient: [] });
		});

		it('raises no alert on a KPI with too few samples', async () => {
			const east = await createStation(db, 'EAST');
			await setStationSettings(db, east.id, { minJobsForRanking: 3, kpiSettings: MINIMUMS_OF_3 });
			const eastBoss = await createUser(db, east, 'boss', 'supervisor');
			const rarelyRated = await createUser(db, east, 'rarely');
			// Three good jobs, one rated 1 and two without a follow-up: satisfaction 0 from one
			// rating (too few of 3), follow-up rate 1/3 from three jobs (enough, under pass).
			const [rated] = await Promise.all(
				[2, 3, 4].map((day) =>
					createJob(db, rarelyRated, {
						status: 'completed',
						outcome: 'fixed',
						reportedAt: new Date(inMarch(day).getTime() - 3 * HOUR),
						arrivedAt: new Date(inMarch(day).getTime() - 2 * HOUR),
						startedAt: new Date(inMarch(day).getTime() - HOUR),
						completedAt: inMarch(day)
					})
				)
			);
			await db.insert(followUps).values({
				source: 'desk',
				stationId: east.id,
				id: randomUUID(),
				jobId: rated.id,
				visitedAt: inMarch(10),
				satisfaction: 1
			});
			await refreshStaleFacts(db);
			const report = await createCaller({ db, user: eastBoss }).alerts(MARCH);
			expect(report.technicians.map((t) => [t.login, t.alerts.map((a) => a.kpi)])).toEqual([
				['rarely', ['follow_up_rate']]
			]);
		});

		it('alerts a closed month from its stored numbers, whatever is edited since', async () => {
			const west = await createStation(db, 'WEST');
			await setStationSettings(db, west.id, { minJobsForRanking: 3, kpiSettings: MINIMUMS_OF_3 });
			const westBoss = await createUser(db, west, 'boss', 'supervisor');
			const wobbly = await createUser(db, west, 'wobbly');
			// February: 4 of 4 fixed; March: 3 of 4, under pass and 25 points down.
			const february: Job[] = [];
			for (const day of [10, 11, 12, 13]) february.push(await goodJob(wobbly, inFebruary(day)));
			for (const day of [10, 11, 12]) await goodJob(wobbly, inMarch(day));
			const notFixed = await goodJob(wobbly, inMarch(13), { outcome: 'not_fixed' });
			const alertsOfWest = async () => {
				await refreshStaleFacts(db);
				return createCaller({ db, user: westBoss }).alerts(MARCH);
			};
			const before = await alertsOfWest();
			expect(before.technicians.map((t) => t.alerts.map((a) => [a.kind, a.kpi]))).toEqual([
				[
					['below_pass', 'repair_success_rate'],
					['sharp_drop', 'repair_success_rate']
				]
			]);

			await closeMonth(db, westBoss, { month: '2026-02' }, IN_APRIL);
			const march = await closeMonth(db, westBoss, { month: '2026-03' }, IN_APRIL);
			async function setOutcome(job: Job, outcome: Job['outcome']) {
				await db.transaction(async (tx) => {
					await setChangeContext(tx, { changedBy: westBoss.id });
					await tx
						.update(jobs)
						.set({ outcome })
						.where(and(eq(jobs.stationId, job.stationId), eq(jobs.id, job.id)));
				});
			}
			// Live, March is now 4 of 4 fixed (no alert) and February 3 of 4 (nothing to drop from).
			await setOutcome(notFixed, 'fixed');
			await setOutcome(february[0], 'not_fixed');
			const closed = await alertsOfWest();
			expect(before.closed).toBeNull();
			expect(closed).toEqual({
				...before,
				closed: { closedBy: march.closedBy, closedAt: march.closedAt }
			});

			// Reopened, March is live again: fixed, nothing to say.
			await reopenPeriod(db, westBoss, { closureId: march.id, reason: 'Outcome corrected' });
			expect((await alertsOfWest()).technicians).toEqual([]);
			// Live March back at 3 of 4 drops from the closed February's 4 of 4, not from its
			// live 3 of 4.
			await setOutcome(notFixed, 'not_fixed');
			const reopened = await alertsOfWest();
			expect(reopened.technicians[0].alerts).toEqual(before.technicians[0].alerts);
			expect(reopened.closed).toBeNull();
		});

		it('refuses technicians and anonymous callers, and bad periods', async () => {
			await expect(as(steady).alerts(MARCH)).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(as(null).alerts(MARCH)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
			await expect(as(boss).alerts({ from: '2026-04-01', to: '2026-03-01' })).rejects.toMatchObject(
				{ code: 'BAD_REQUEST', message: expect.stringContaining('must be after') }
			);
		});
	});
}
