/**
 * Property test of closed periods (docs/kpi-rules.md, "Closed periods"): for random small
 * stations, closing February and then applying random edits to its jobs (times, outcomes,
 * follow-ups, part lines, new reworks linked or by serial, jobs completed into it or moved out)
 * never changes February's scorecard, station row or trend month; and whenever the live numbers
 * do differ from the closed ones, the closed scorecard lists at least one change.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { followUps, jobParts, jobs, type Job } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { testEngines } from '../testing/databases';
import { createJob, createPart, createStation, createUser } from '../testing/fixtures';
import { closeMonth } from './closing';
import { visibleClosure } from './closed-periods';
import { computeScorecard } from './scorecard';
import { computeStationKpis, visibleStationKpis } from './station-kpis';
import { visibleMonthlyScorecards, visibleScorecard } from './visible-scorecard';
import { refreshStaleFacts } from './fact-refresh';

const HOUR = 3_600_000;
/** 00:00 UTC on 1 February 2026; February is closed on 10 March. */
const FEBRUARY = { from: '2026-02-01', to: '2026-03-01' };
const BASE = Date.UTC(2026, 1, 1);
const NOW = new Date('2026-03-10T02:00:00Z');
const RUNS = Number(process.env.CLOSING_PROPERTY_RUNS || 20);

/** An instant from mid-January to mid-March, often near February's edges in Shanghai. */
const instantArb = fc
	.tuple(fc.integer({ min: -10, max: 38 }), fc.constantFrom(0, 4, 15, 16, 17))
	.map(([day, hour]) => BASE + (day * 24 + hour) * HOUR);

interface JobSpec {
	technician: 0 | 1;
	completedAt: number;
	fixed: boolean;
	serial: string;
	satisfaction: number | null;
}

const jobArb: fc.Arbitrary<JobSpec> = fc.record({
	technician: fc.constantFrom(0 as const, 1 as const),
	completedAt: instantArb,
	fixed: fc.constantFrom(true, true, true, false),
	serial: fc.constantFrom('', 'SN-1', 'SN-2'),
	satisfaction: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null })
});

type Edit =
	| { kind: 'completed_at'; job: number; at: number }
	| { kind: 'started_at'; job: number; minutesBefore: number }
	| { kind: 'outcome'; job: number; fixed: boolean }
	| { kind: 'follow_up'; job: number; satisfaction: number; resolved: boolean }
	| { kind: 'follow_up_changed'; job: number; satisfaction: number }
	| { kind: 'follow_up_deleted'; job: number }
	| { kind: 'part'; job: number; cost: number }
	| { kind: 'rework'; job: number; afterHours: number }
	| { kind: 'same_serial'; job: number; afterHours: number }
	| { kind: 'new_job'; spec: JobSpec };

const jobIndex = fc.nat({ max: 99 });
const editArb: fc.Arbitrary<Edit> = fc.oneof(
	fc.record({ kind: fc.constant('completed_at' as const), job: jobIndex, at: instantArb }),
	fc.record({
		kind: fc.constant('started_at' as const),
		job: jobIndex,
		minutesBefore: fc.constantFrom(0, 1, 30, 900)
	}),
	fc.record({ kind: fc.constant('outcome' as const), job: jobIndex, fixed: fc.boolean() }),
	fc.record({
		kind: fc.constant('follow_up' as const),
		job: jobIndex,
		satisfaction: fc.integer({ min: 1, max: 5 }),
		resolved: fc.boolean()
	}),
	fc.record({
		kind: fc.constant('follow_up_changed' as const),
		job: jobIndex,
		satisfaction: fc.integer({ min: 1, max: 5 })
	}),
	fc.record({ kind: fc.constant('follow_up_deleted' as const), job: jobIndex }),
	fc.record({ kind: fc.constant('part' as const), job: jobIndex, cost: fc.constantFrom(1, 25) }),
	fc.record({
		kind: fc.constant('rework' as const),
		job: jobIndex,
		afterHours: fc.constantFrom(1, 48, 24 * 40)
	}),
	fc.record({
		kind: fc.constant('same_serial' as const),
		job: jobIndex,
		afterHours: fc.constantFrom(1, 24 * 20, 24 * 40)
	}),
	fc.record({ kind: fc.constant('new_job' as const), spec: jobArb })
);

for (const engine of testEngines()) {
	describe(`closed periods on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let stationCount = 0;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
		});
		afterAll(() => handle.close());

		async function addJob(technician: SessionUser, spec: JobSpec): Promise<Job> {
			const completedAt = new Date(spec.completedAt);
			const job = await createJob(db, technician, {
				status: 'completed',
				outcome: spec.fixed ? 'fixed' : 'not_fixed',
				deviceSerial: spec.serial,
				reportedAt: new Date(spec.completedAt - 3 * HOUR),
				arrivedAt: new Date(spec.completedAt - 2 * HOUR),
				startedAt: new Date(spec.completedAt - HOUR),
				completedAt
			});
			if (spec.satisfaction !== null) await addFollowUp(job, spec.satisfaction, true);
			return job;
		}

		async function addFollowUp(job: Job, satisfaction: number, resolved: boolean) {
			await db.insert(followUps).values({
				stationId: job.stationId,
				id: randomUUID(),
				jobId: job.id,
				source: 'desk',
				visitedAt: new Date(job.completedAt!.getTime() + HOUR),
				satisfaction,
				issueResolved: resolved
			});
		}

		const ofJob = (job: Job) => and(eq(jobs.stationId, job.stationId), eq(jobs.id, job.id));
		const followUpsOf = (job: Job) =>
			and(eq(followUps.stationId, job.stationId), eq(followUps.jobId, job.id));

		async function apply(edit: Edit, all: Job[], technicians: SessionUser[]) {
			if (edit.kind === 'new_job') {
				all.push(await addJob(technicians[edit.spec.technician], edit.spec));
				return;
			}
			const job = all[edit.job % all.length];
			const completedAt = job.completedAt!.getTime();
			switch (edit.kind) {
				case 'completed_at':
					await db
						.update(jobs)
						.set({ completedAt: new Date(Math.max(edit.at, job.startedAt!.getTime())) })
						.where(ofJob(job));
					break;
				case 'started_at':
					await db
						.update(jobs)
						.set({ startedAt: new Date(completedAt - edit.minutesBefore * 60_000) })
						.where(ofJob(job));
					break;
				case 'outcome':
					await db
						.update(jobs)
						.set({ outcome: edit.fixed ? 'fixed' : 'not_fixed' })
						.where(ofJob(job));
					break;
				case 'follow_up':
					await addFollowUp(job, edit.satisfaction, edit.resolved);
					break;
				case 'follow_up_changed':
					await db
						.update(followUps)
						.set({ satisfaction: edit.satisfaction })
						.where(followUpsOf(job));
					break;
				case 'follow_up_deleted':
					await db.delete(followUps).where(followUpsOf(job));
					break;
				case 'part': {
					const part = await createPart(db, job.stationId, `P-${randomUUID().slice(0, 8)}`);
					await db.insert(jobParts).values({
						stationId: job.stationId,
						id: randomUUID(),
						jobId: job.id,
						partId: part.id,
						qty: '1',
						unitCost: edit.cost.toFixed(2)
					});
					break;
				}
				case 'rework':
				case 'same_serial':
					await createJob(db, technicians[1], {
						previousJobId: edit.kind === 'rework' ? job.id : null,
						deviceSerial: edit.kind === 'same_serial' ? job.deviceSerial || 'SN-1' : '',
						reportedAt: new Date(completedAt + edit.afterHours * HOUR)
					});
					break;
			}
		}

		it('never changes a closed month, and lists what would have changed it', async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.array(jobArb, { minLength: 1, maxLength: 6 }),
					fc.array(editArb, { minLength: 1, maxLength: 6 }),
					async (specs, edits) => {
						stationCount += 1;
						const station = await createStation(db, `CP${stationCount}`);
						const boss = await createUser(db, station, 'boss', 'supervisor');
						const technicians = [
							await createUser(db, station, 'alice'),
							await createUser(db, station, 'bob')
						];
						const all: Job[] = [];
						for (const spec of specs) all.push(await addJob(technicians[spec.technician], spec));

						const closed = await closeMonth(db, boss, { month: '2026-02' }, NOW);
						const frozen = {
							rows: await visibleScorecard(db, boss, FEBRUARY),
							station: await visibleStationKpis(db, boss, FEBRUARY),
							trend: await visibleMonthlyScorecards(db, boss, { firstMonth: '2026-02', months: 1 })
						};
						expect(frozen.rows).toEqual(
							await computeScorecard(db, { stationId: station.id, ...FEBRUARY })
						);
						expect(closed.changesTotal).toBe(0);

						for (const edit of edits) await apply(edit, all, technicians);

						await refreshStaleFacts(db);
						expect(await visibleScorecard(db, boss, FEBRUARY)).toEqual(frozen.rows);
						expect(await visibleStationKpis(db, boss, FEBRUARY)).toEqual(frozen.station);
						expect(
							await visibleMonthlyScorecards(db, boss, { firstMonth: '2026-02', months: 1 })
						).toEqual(frozen.trend);

						const live = {
							rows: await computeScorecard(db, { stationId: station.id, ...FEBRUARY }),
							station: await computeStationKpis(db, { stationId: station.id, ...FEBRUARY })
						};
						const closure = await visibleClosure(db, boss, FEBRUARY);
						if (
							JSON.stringify(live) !==
							JSON.stringify({ rows: frozen.rows, station: frozen.station })
						) {
							expect(closure?.changesTotal).toBeGreaterThan(0);
						}
					}
				),
				{ numRuns: RUNS }
			);
		}, 600_000);
	});
}
