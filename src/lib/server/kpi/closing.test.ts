/**
 * Closing a month (docs/kpi-rules.md, "Closed periods") on every test engine: a closed month's
 * scorecard is the one computed at closing whatever is edited later, the edits are listed
 * beside it, reopening brings the live numbers back, and only the station's supervisor closes
 * or reopens.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { setChangeContext } from '../db/change-context';
import {
	followUps,
	jobFlagAcceptances,
	jobParts,
	jobs,
	periodClosures,
	stations,
	type Job,
	type NewJob
} from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { Refusal } from '../refusal';
import { testEngines } from '../testing/databases';
import { createJob, createPart, createStation, createUser } from '../testing/fixtures';
import { createCallerFactory } from '../trpc/core';
import { periodsRouter } from '../trpc/routers/periods';
import { kpiRouter } from '../trpc/routers/kpi';
import type { KpiSettings } from '../../shared/domain';
import type { PeriodChange } from '../../shared/period-closing';
import { closeMonth, reopenPeriod } from './closing';
import { liveScorecard, visibleClosure } from './closed-periods';
import { computeScorecard, computeScorecardWithGround } from './scorecard';
import { visibleStationKpis } from './station-kpis';
import { visibleMonthlyScorecards, visibleScorecard } from './visible-scorecard';
import { refreshStaleFacts } from './fact-refresh';

const MARCH = { from: '2026-03-01', to: '2026-04-01' };
/** After March, in April: March is over, April is running. */
const NOW = new Date('2026-04-10T02:00:00Z');
const MINUTE = 60_000;
const periods = createCallerFactory(periodsRouter);
const kpi = createCallerFactory(kpiRouter);

async function refusalOf(promise: Promise<unknown>): Promise<Refusal> {
	const caught = await promise.then(
		() => null,
		(error: unknown) => error
	);
	expect(caught).toBeInstanceOf(Refusal);
	return caught as Refusal;
}

for (const engine of testEngines()) {
	describe(`closing a month on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let stationCount = 0;
		let boss: SessionUser;
		let alice: SessionUser;
		let bob: SessionUser;
		let desk: SessionUser;
		let admin: SessionUser;
		let aliceJob: Job;
		let bobJob: Job;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});
		afterAll(() => handle.close());

		function completedJob(tech: SessionUser, completedAt: Date, values: Partial<NewJob> = {}) {
			return createJob(db, tech, {
				status: 'completed',
				outcome: 'fixed',
				reportedAt: new Date(completedAt.getTime() - 180 * MINUTE),
				arrivedAt: new Date(completedAt.getTime() - 120 * MINUTE),
				startedAt: new Date(completedAt.getTime() - 60 * MINUTE),
				completedAt,
				...values
			});
		}

		async function followUp(job: Job, satisfaction: number, resolved = true) {
			await db.insert(followUps).values({
				stationId: job.stationId,
				id: randomUUID(),
				jobId: job.id,
				source: 'desk',
				userId: desk.id,
				visitedAt: new Date(job.completedAt!.getTime() + 60 * MINUTE),
				satisfaction,
				issueResolved: resolved
			});
		}

		/** A job edit as a person makes it: recorded in the job's history with who made it. */
		async function editJob(by: SessionUser, job: Job, values: Partial<NewJob>) {
			await db.transaction(async (tx) => {
				await setChangeContext(tx, { changedBy: by.id });
				await tx
					.update(jobs)
					.set(values)
					.where(and(eq(jobs.stationId, job.stationId), eq(jobs.id, job.id)));
			});
		}

		beforeEach(async () => {
			stationCount += 1;
			const station = await createStation(db, `PC${stationCount}`);
			boss = await createUser(db, station, 'boss', 'supervisor');
			alice = await createUser(db, station, 'alice');
			bob = await createUser(db, station, 'bob');
			desk = await createUser(db, station, 'desk', 'dispatcher');
			admin = await createUser(db, station, 'admin', 'admin');
			aliceJob = await completedJob(alice, new Date('2026-03-05T04:00:00Z'), {
				jobNo: 'A-1',
				deviceSerial: 'SN-A1'
			});
			bobJob = await completedJob(bob, new Date('2026-03-06T04:00:00Z'), { jobNo: 'B-1' });
			await completedJob(bob, new Date('2026-03-07T04:00:00Z'), { jobNo: 'B-2' });
			await followUp(aliceJob, 5);
			await followUp(bobJob, 4);
		});

		it('freezes the scorecard and the station row as they were, with the settings in force', async () => {
			await refreshStaleFacts(db);
			const before = await computeScorecard(db, { stationId: boss.stationId, ...MARCH });
			const { ground: groundBefore } = await computeScorecardWithGround(db, {
				stationId: boss.stationId,
				...MARCH
			});
			const stationBefore = await visibleStationKpis(db, boss, MARCH);
			const closure = await closeMonth(db, boss, { month: '2026-03' }, NOW);
			expect(closure).toMatchObject({
				from: MARCH.from,
				to: MARCH.to,
				closedBy: boss.name,
				changes: [],
				changesTotal: 0
			});
			expect(closure.settings.version).toBe(1);
			expect(closure.settings.reworkWindowDays).toBe(30);

			// The station's weights change and a job fails: the closed month shows neither.
			const [station] = await db.select().from(stations).where(eq(stations.id, boss.stationId));
			const settings = station.kpiSettings as KpiSettings;
			await db
				.update(stations)
				.set({
					kpiSettings: { ...settings, weights: { ...settings.weights, csat: 0 } },
					minJobsForRanking: 1
				})
				.where(eq(stations.id, boss.stationId));
			await editJob(boss, aliceJob, { outcome: 'not_fixed' });

			await refreshStaleFacts(db);
			expect(await visibleScorecard(db, boss, MARCH)).toEqual(before);
			expect(await visibleStationKpis(db, boss, MARCH)).toEqual(stationBefore);
			await refreshStaleFacts(db);
			expect(await kpi({ db, user: boss }).scorecard(MARCH)).toEqual(before);
			expect(await kpi({ db, user: boss }).scorecardWithGround(MARCH)).toEqual({
				rows: before,
				ground: groundBefore
			});
			// A technician reads their own row of the frozen scorecard.
			await refreshStaleFacts(db);
			expect(await visibleScorecard(db, alice, MARCH)).toEqual(
				before.filter((row) => row.login === 'alice')
			);
			// The trends show the closed month as closed.
			await refreshStaleFacts(db);
			const trend = await visibleMonthlyScorecards(db, boss, { firstMonth: '2026-03', months: 1 });
			expect(trend).toEqual(before.map((row) => ({ month: '2026-03', ...row })));
			// The live numbers did change, and a supervisor can still read them to compare.
			await refreshStaleFacts(db);
			const live = await computeScorecard(db, { stationId: boss.stationId, ...MARCH });
			expect(live).not.toEqual(before);
			expect(await liveScorecard(db, boss, MARCH)).toEqual(live);
			expect(await periods({ db, user: boss }).liveScorecard(MARCH)).toEqual(live);
			expect((await refusalOf(liveScorecard(db, alice, MARCH))).code).toBe('FORBIDDEN');
		});

		it('lists every later edit of the period’s jobs, with who and when', async () => {
			await closeMonth(db, boss, { month: '2026-03' }, NOW);
			await editJob(boss, aliceJob, { outcome: 'not_fixed' });
			await followUp(bobJob, 1, false);
			const part = await createPart(db, boss.stationId, 'SKU-9');
			await db.insert(jobParts).values({
				stationId: boss.stationId,
				id: randomUUID(),
				jobId: bobJob.id,
				partId: part.id,
				qty: '1',
				unitCost: '10.00',
				createdBy: bob.id
			});
			await db.insert(jobFlagAcceptances).values({
				stationId: boss.stationId,
				jobId: aliceJob.id,
				flag: 'typed_time',
				reason: 'Typed from the paper sheet',
				acceptedBy: boss.id
			});
			// A job completed into March after closing, and a rework of Alice's job.
			await completedJob(bob, new Date('2026-03-20T04:00:00Z'), { jobNo: 'B-3' });
			await createJob(db, bob, {
				jobNo: 'R-1',
				previousJobId: aliceJob.id,
				reportedAt: new Date('2026-04-09T01:00:00Z')
			});
			// The same device again, not linked: detected within the rework window.
			await createJob(db, bob, {
				jobNo: 'S-1',
				deviceSerial: 'sn-a1',
				reportedAt: new Date('2026-03-25T01:00:00Z')
			});
			// Bob's B-2 moved out of March.
			const [b2] = await db
				.select()
				.from(jobs)
				.where(and(eq(jobs.stationId, boss.stationId), eq(jobs.jobNo, 'B-2')));
			await editJob(boss, b2, { completedAt: new Date('2026-04-02T04:00:00Z') });

			const closure = await visibleClosure(db, boss, MARCH);
			const seen = (closure?.changes ?? []).map((c: PeriodChange) => [c.jobNo, c.kind, c.detail]);
			expect(seen).toEqual(
				expect.arrayContaining([
					['A-1', 'job_changed', 'outcome'],
					['B-1', 'follow_up', null],
					['B-1', 'part', 'SKU-9'],
					['A-1', 'flag_accepted', 'typed_time'],
					['B-3', 'job_added', null],
					['A-1', 'rework_linked', 'R-1'],
					['A-1', 'rework_detected', 'S-1'],
					['B-2', 'job_changed', 'completed_at']
				])
			);
			expect(closure?.changesTotal).toBe(closure?.changes.length);
			const outcome = closure!.changes.find((c) => c.kind === 'job_changed' && c.jobNo === 'A-1');
			expect(outcome?.by).toBe(boss.name);
			expect(outcome?.at).not.toBeNull();
			const followUpChange = closure!.changes.find((c) => c.kind === 'follow_up');
			expect(followUpChange?.by).toBe(desk.name);

			// A technician sees the changes on their own jobs only.
			const own = await visibleClosure(db, alice, MARCH);
			expect(new Set(own?.changes.map((c) => c.jobNo))).toEqual(new Set(['A-1']));
		});

		it('lists a follow-up changed in place and a part line deleted', async () => {
			const part = await createPart(db, boss.stationId, 'SKU-1');
			const lineId = randomUUID();
			await db.insert(jobParts).values({
				stationId: boss.stationId,
				id: lineId,
				jobId: bobJob.id,
				partId: part.id,
				qty: '1',
				unitCost: '10.00'
			});
			await closeMonth(db, boss, { month: '2026-03' }, NOW);
			await db
				.update(followUps)
				.set({ satisfaction: 1 })
				.where(and(eq(followUps.stationId, boss.stationId), eq(followUps.jobId, aliceJob.id)));
			await db
				.delete(jobParts)
				.where(and(eq(jobParts.stationId, boss.stationId), eq(jobParts.id, lineId)));
			const closure = await visibleClosure(db, boss, MARCH);
			expect(closure?.changes.map((c) => [c.jobNo, c.kind, c.at === null])).toEqual(
				expect.arrayContaining([
					['A-1', 'follow_up', true],
					['B-1', 'part_removed', false]
				])
			);
		});

		it('reopens with a reason: live numbers again, the closure kept with who, when and why', async () => {
			const closed = await closeMonth(db, boss, { month: '2026-03' }, NOW);
			await editJob(boss, aliceJob, { outcome: 'not_fixed' });
			await reopenPeriod(db, boss, { closureId: closed.id, reason: 'Outcome corrected' });
			expect(await visibleClosure(db, boss, MARCH)).toBeNull();
			await refreshStaleFacts(db);
			expect(await visibleScorecard(db, boss, MARCH)).toEqual(
				await computeScorecard(db, { stationId: boss.stationId, ...MARCH })
			);
			const [row] = await db.select().from(periodClosures).where(eq(periodClosures.id, closed.id));
			expect(row).toMatchObject({ reopenedBy: boss.id, reopenReason: 'Outcome corrected' });
			expect(row.reopenedAt).toBeInstanceOf(Date);
			// Reopened once only; then the month can be closed again, with the numbers of now.
			expect(
				(await refusalOf(reopenPeriod(db, boss, { closureId: closed.id, reason: 'again' }))).code
			).toBe('CONFLICT');
			const again = await closeMonth(db, boss, { month: '2026-03' }, NOW);
			expect(again.id).not.toBe(closed.id);
			await refreshStaleFacts(db);
			expect(await visibleScorecard(db, boss, MARCH)).toEqual(
				await computeScorecard(db, { stationId: boss.stationId, ...MARCH })
			);
		});

		it('refuses a reopening without a reason', async () => {
			const closed = await closeMonth(db, boss, { month: '2026-03' }, NOW);
			const refused = await refusalOf(
				reopenPeriod(db, boss, { closureId: closed.id, reason: ' ' })
			);
			expect(refused.code).toBe('BAD_REQUEST');
			expect(await visibleClosure(db, boss, MARCH)).not.toBeNull();
		});

		it('refuses the running month, a month to come and a month closed already', async () => {
			for (const month of ['2026-04', '2026-05']) {
				const refused = await refusalOf(closeMonth(db, boss, { month }, NOW));
				expect([refused.code, refused.reason.key]).toEqual(['BAD_REQUEST', 'period_not_over']);
			}
			await closeMonth(db, boss, { month: '2026-03' }, NOW);
			const refused = await refusalOf(closeMonth(db, boss, { month: '2026-03' }, NOW));
			expect([refused.code, refused.reason.key]).toEqual(['CONFLICT', 'period_already_closed']);
		});

		it('closes a month once when two supervisors close it at the same time', async () => {
			const other = await createUser(
				db,
				{
					id: boss.stationId,
					code: boss.stationCode,
					name: boss.stationName,
					timeZone: boss.timeZone
				},
				'boss2',
				'supervisor'
			);
			const results = await Promise.allSettled([
				closeMonth(db, boss, { month: '2026-02' }, NOW),
				closeMonth(db, other, { month: '2026-02' }, NOW)
			]);
			expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
			const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
			expect((rejected.reason as Refusal).reason.key).toBe('period_already_closed');
			const rows = await db
				.select()
				.from(periodClosures)
				.where(eq(periodClosures.stationId, boss.stationId));
			expect(rows).toHaveLength(1);
		});

		it('is for the station’s supervisor: technicians, the desk and admins refused', async () => {
			for (const user of [alice, desk, admin]) {
				const refused = await refusalOf(closeMonth(db, user, { month: '2026-03' }, NOW));
				expect(refused.code).toBe('FORBIDDEN');
			}
			const closed = await closeMonth(db, boss, { month: '2026-03' }, NOW);
			for (const user of [alice, desk, admin]) {
				const refused = await refusalOf(
					reopenPeriod(db, user, { closureId: closed.id, reason: 'mine' })
				);
				expect(refused.code).toBe('FORBIDDEN');
			}
			// Through the API: FORBIDDEN for the roles, NOT_FOUND for another station's closure.
			await expect(periods({ db, user: alice }).close({ month: '2026-03' })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
			await expect(periods({ db, user: desk }).close({ month: '2026-03' })).rejects.toMatchObject({
				code: 'FORBIDDEN'
			});
			const south = await createStation(db, `PS${stationCount}`);
			const southBoss = await createUser(db, south, 'southboss', 'supervisor');
			await expect(
				periods({ db, user: southBoss }).reopen({ closureId: closed.id, reason: 'not mine' })
			).rejects.toMatchObject({ code: 'NOT_FOUND' });
			expect(await periods({ db, user: southBoss }).closure(MARCH)).toBeNull();
			expect(await periods({ db, user: boss }).closure(MARCH)).toMatchObject({ id: closed.id });
			await expect(
				periods({ db, user: boss }).reopen({ closureId: closed.id, reason: '' })
			).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		});
	});
}
