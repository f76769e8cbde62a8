/**
 * computeScorecardWithGround reads the scorecard and its ground in one statement: on the demo
 * station's history its rows are exactly computeScorecard's (a statement without the ground
 * columns) and its ground is the one of those rows, KPI by KPI.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { stations } from '../db/schema';
import { ensureDemoStation } from '../demo/load';
import { testEngines } from '../testing/databases';
import { SCORED_KPIS } from '../../shared/domain';
import type { ScorecardRow } from '../../shared/kpi';
import { computeScorecard, computeScorecardWithGround } from './scorecard';
import { refreshStaleFacts } from './fact-refresh';

type RowHead = Pick<ScorecardRow, 'login' | 'name' | 'jobs_completed' | 'score' | 'grade' | 'rank'>;

const NOW = new Date('2026-11-20T06:30:00Z');

/** The whole demo history, single months (the running one too), a week and a day. */
const PERIODS = [
	['2026-05-01', '2026-12-01'],
	['2026-06-01', '2026-07-01'],
	['2026-08-01', '2026-09-01'],
	['2026-10-01', '2026-11-01'],
	['2026-11-01', '2026-12-01'],
	['2026-11-09', '2026-11-16'],
	['2026-11-18', '2026-11-19']
] as const;

for (const engine of testEngines()) {
	describe(`the scorecard with its ground on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let stationId: string;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			expect((await ensureDemoStation(db, { now: NOW, seed: 7 })).created).toBe(true);
			const [demo] = await db
				.select({ id: stations.id })
				.from(stations)
				.where(eq(stations.code, 'DEMO'));
			stationId = demo.id;
		}, 120_000);
		afterAll(async () => {
			await handle?.close();
		});

		it('gives computeScorecard’s rows and, row by row, what their numbers rest on', async () => {
			let scoredKpis = 0;
			let tooFewKpis = 0;
			for (const [from, to] of PERIODS) {
				const scope = { stationId, from, to };
				await refreshStaleFacts(db);
				const { rows, ground } = await computeScorecardWithGround(db, scope);
				expect(rows, `${from} … ${to}`).toEqual(await computeScorecard(db, scope));
				const head = ({ login, name, jobs_completed, score, grade, rank }: RowHead) => ({
					login,
					name,
					jobs_completed,
					score,
					grade,
					rank
				});
				expect(ground.map(head)).toEqual(rows.map(head));
				ground.forEach(({ kpis, score }, index) => {
					expect(kpis.map((kpi) => [kpi.kpi, kpi.value])).toEqual(
						SCORED_KPIS.map((kpi) => [kpi, rows[index][kpi]])
					);
					for (const kpi of kpis) {
						expect(kpi.tooFew).toBe(kpi.sample < kpi.minimum);
						if (kpi.tooFew) expect(kpi.points).toBeNull();
						expect(kpi.contribution === null).toBe(kpi.points === null);
						if (kpi.points !== null) scoredKpis += 1;
						if (kpi.tooFew) tooFewKpis += 1;
					}
					const total = kpis.reduce((sum, kpi) => sum + (kpi.contribution ?? 0), 0);
					if (score === null) expect(kpis.every((kpi) => kpi.points === null)).toBe(true);
					else expect(total).toBeCloseTo(score, 8);
				});
			}
			// The demo's history exercises both: KPIs scored and KPIs with too few to score.
			expect(scoredKpis).toBeGreaterThan(100);
			expect(tooFewKpis).toBeGreaterThan(0);
		}, 60_000);
	});
}
