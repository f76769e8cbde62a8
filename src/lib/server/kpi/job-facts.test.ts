/**
 * The materialised facts follow every kind of write: after each change below, the facts and the
 * scorecard a read gets (refreshed from what the triggers marked stale) equal those recomputed
 * for every job, no fact is left for a job that is not completed any more, and the daily rollup
 * holds exactly the facts' days.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db';
import { queryRows } from '../db/rows';
import { faultCategories, followUps, jobParts, jobs, stations } from '../db/schema';
import type { SessionUser } from '../auth/session-user';
import { testEngines } from '../testing/databases';
import {
	createCategory,
	createJob,
	createPart,
	createStation,
	createUser,
	setStationSettings
} from '../testing/fixtures';
import { jobFacts } from './job-facts';
import { computeScorecard } from './scorecard';
import { refreshStaleFacts } from './fact-refresh';

const day = (n: number, hour = 10) => new Date(Date.UTC(2026, 2, n, hour));
const PERIOD = { from: '2026-01-01', to: '2026-07-01' };

for (const engine of testEngines()) {
	describe(`materialised job facts on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let station: Awaited<ReturnType<typeof createStation>>;
		let alice: SessionUser;
		let bob: SessionUser;

		beforeAll(async () => {
			handle = await engine.open();
			station = await createStation(handle.db, 'FACTS');
			alice = await createUser(handle.db, station, 'alice');
			bob = await createUser(handle.db, station, 'bob');
		});
		afterAll(() => handle?.close());

		const scope = () => ({ stationId: station.id, ...PERIOD });

		const dailyRows = () =>
			queryRows(
				handle.db,
				sql`SELECT technician_id::text, day::text, jobs_completed, repair_minutes::text
					FROM job_kpi_daily WHERE station_id = ${station.id}::uuid
					ORDER BY day, technician_id`
			);

		/** The facts a read gets now, checked against a recomputation of every job. */
		async function expectFresh() {
			const db = handle.db;
			await refreshStaleFacts(db);
			const incremental = await jobFacts(db, scope());
			const incrementalScorecard = await computeScorecard(db, scope());
			const incrementalDays = await dailyRows();
			await db.execute(sql`
				INSERT INTO job_kpi_stale (station_id, job_id)
				SELECT station_id, id FROM jobs WHERE station_id = ${station.id}::uuid`);
			await refreshStaleFacts(db);
			const recomputed = await jobFacts(db, scope());
			expect(incremental).toEqual(recomputed);
			expect(incrementalScorecard).toEqual(await computeScorecard(db, scope()));
			expect(incrementalDays).toEqual(await dailyRows());
			// The daily rollup holds exactly the days and counts of the facts.
			const [unmatched] = await queryRows<{ n: number }>(
				db,
				sql`SELECT count(*)::int AS n
					FROM (SELECT * FROM job_kpi_daily WHERE station_id = ${station.id}::uuid) d
					FULL JOIN (
						SELECT technician_id, day, count(*)::int AS jobs
						FROM job_kpi_facts WHERE station_id = ${station.id}::uuid
						GROUP BY technician_id, day
					) f ON f.technician_id = d.technician_id AND f.day = d.day
					WHERE d.jobs_completed IS DISTINCT FROM f.jobs`
			);
			expect(unmatched.n).toBe(0);
			const [leftOver] = await queryRows<{ n: number }>(
				db,
				sql`SELECT count(*)::int AS n FROM job_kpi_facts f
					LEFT JOIN jobs j ON j.station_id = f.station_id AND j.id = f.job_id
					WHERE f.station_id = ${station.id}::uuid AND (j.id IS NULL OR j.status <> 'completed')`
			);
			expect(leftOver.n).toBe(0);
			return incremental;
		}

		const factOf = async (jobId: string) =>
			(await expectFresh()).find((fact) => fact.job_id === jobId);

		it('follow every write that changes a fact', async () => {
			const db = handle.db;
			const category = await createCategory(db, station.id, 'COOLING', 60);
			const part = await createPart(db, station.id, 'CAP', '12.50');
			const completed = (n: number) => ({
				reportedAt: day(n, 1),
				arrivedAt: day(n, 2),
				startedAt: day(n, 3),
				completedAt: day(n, 4),
				status: 'completed' as const,
				outcome: 'fixed' as const
			});
			const a = await createJob(db, alice, {
				...completed(2),
				deviceSerial: 'SN-1',
				faultCategoryId: category.id
			});
			const b = await createJob(db, bob, completed(3));
			expect((await factOf(a.id))?.success).toBe(true);

			// Reworked by serial (spelled differently), inside the window.
			const r = await createJob(db, bob, { reportedAt: day(7), deviceSerial: ' sn-1\t' });
			expect((await factOf(a.id))?.reworked_by).toEqual([r.jobNo]);
			// Reported 38 days after completion, outside the 30-day window; then the window grows to 60.
			await db
				.update(jobs)
				.set({ reportedAt: day(40) })
				.where(eq(jobs.id, r.id));
			expect((await factOf(a.id))?.reworked_by).toEqual([]);
			await setStationSettings(db, station.id, { reworkWindowDays: 60 });
			expect((await factOf(a.id))?.reworked_by).toEqual([r.jobNo]);
			// Renumbered, then cancelled.
			await db.update(jobs).set({ jobNo: 'R-2' }).where(eq(jobs.id, r.id));
			expect((await factOf(a.id))?.reworked_by).toEqual(['R-2']);
			await db.update(jobs).set({ status: 'cancelled' }).where(eq(jobs.id, r.id));
			expect((await factOf(a.id))?.success).toBe(true);

			// Reworked by link, then unlinked.
			const revisit = await createJob(db, alice, { reportedAt: day(20), previousJobId: b.id });
			expect((await factOf(b.id))?.failure_reasons).toEqual(['reworked']);
			await db.update(jobs).set({ previousJobId: null }).where(eq(jobs.id, revisit.id));
			expect((await factOf(b.id))?.failure_reasons).toEqual([]);

			// Follow-ups: added, changed, removed.
			const followUpId = randomUUID();
			await db.insert(followUps).values({
				source: 'desk',
				stationId: station.id,
				id: followUpId,
				jobId: a.id,
				userId: alice.id,
				visitedAt: day(5),
				channel: 'phone',
				satisfaction: 3,
				issueResolved: false
			});
			expect(await factOf(a.id)).toMatchObject({
				latest_satisfaction: 3,
				has_follow_up: true,
				failure_reasons: ['follow_up_unresolved']
			});
			await db
				.update(followUps)
				.set({ satisfaction: 5, issueResolved: true })
				.where(eq(followUps.id, followUpId));
			expect(await factOf(a.id)).toMatchObject({ latest_satisfaction: 5, success: true });
			await db.delete(followUps).where(eq(followUps.id, followUpId));
			expect(await factOf(a.id)).toMatchObject({ latest_satisfaction: null, has_follow_up: false });

			// Part lines: added, changed, removed.
			const lineId = randomUUID();
			await db.insert(jobParts).values({
				stationId: station.id,
				id: lineId,
				jobId: b.id,
				partId: part.id,
				qty: '2',
				unitCost: '12.50'
			});
			expect((await factOf(b.id))?.parts_cost).toBe(25);
			await db.update(jobParts).set({ qty: '3' }).where(eq(jobParts.id, lineId));
			expect((await factOf(b.id))?.parts_cost).toBe(37.5);
			await db.delete(jobParts).where(eq(jobParts.id, lineId));
			expect((await factOf(b.id))?.parts_cost).toBe(0);

			// The category's standard minutes; the technician; the times.
			await db
				.update(faultCategories)
				.set({ standardMinutes: 90 })
				.where(and(eq(faultCategories.stationId, station.id), eq(faultCategories.id, category.id)));
			expect((await factOf(a.id))?.standard_minutes).toBe(90);
			await db.update(jobs).set({ technicianId: bob.id }).where(eq(jobs.id, a.id));
			expect((await factOf(a.id))?.technician_login).toBe('bob');
			await db.update(jobs).set({ arrivedAt: null }).where(eq(jobs.id, a.id));
			expect((await factOf(a.id))?.flags).toEqual(['missing_arrival']);

			// Another time zone moves jobs to other local days.
			await db
				.update(stations)
				.set({ timeZone: 'America/New_York' })
				.where(eq(stations.id, station.id));
			await expectFresh();

			// Reopened, then deleted: no facts left behind.
			await db
				.update(jobs)
				.set({ status: 'in_progress', outcome: null, completedAt: null })
				.where(eq(jobs.id, a.id));
			expect(await factOf(a.id)).toBeUndefined();
			await db.delete(jobs).where(eq(jobs.id, revisit.id));
			await db.delete(jobs).where(eq(jobs.id, b.id));
			expect(await factOf(b.id)).toBeUndefined();
		});
	});
}
