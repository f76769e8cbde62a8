/**
 * The promise of the interchange format: a station exported and imported into a new station
 * gives the same KPIs, and exporting the copy gives the same files again.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { stations } from '../db/schema';
import { ensureDemoStation } from '../demo/load';
import { computeScorecard } from '../kpi/scorecard';
import { testEngines } from '../testing/databases';
import { exportStationFiles, type StationExport } from './export';
import { importStationFiles } from './import';
import { renderProblemReport } from './problems';

const NOW = new Date('2026-11-20T06:30:00Z');
const SEED = 7;

/** The whole demo history, single months, a week and a day, as [from, to). */
const PERIODS = [
	['2026-05-01', '2026-12-01'],
	['2026-06-01', '2026-07-01'],
	['2026-08-01', '2026-09-01'],
	['2026-10-01', '2026-11-01'],
	['2026-11-09', '2026-11-16'],
	['2026-11-18', '2026-11-19']
] as const;

for (const engine of testEngines()) {
	describe(`export → import round trip on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let original: StationExport;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const demo = await ensureDemoStation(db, { now: NOW, seed: SEED });
			expect(demo.created).toBe(true);
			const exported = await exportStationFiles(db, 'DEMO');
			if (!exported) throw new Error('the demo station was not found');
			original = exported;
		}, 120_000);
		afterAll(async () => {
			await handle?.close();
		});

		async function stationId(code: string): Promise<string> {
			const [row] = await db
				.select({ id: stations.id })
				.from(stations)
				.where(eq(stations.code, code));
			return row.id;
		}

		it('imports the demo export into a new station', async () => {
			expect(original.counts['jobs.csv']).toBeGreaterThan(1000);
			const started = performance.now();
			const result = await importStationFiles(db, { stationCode: 'COPY' }, original.files);
			const seconds = (performance.now() - started) / 1000;
			if (!result.ok) throw new Error(renderProblemReport(result, 'en').slice(0, 20).join('\n'));
			expect(result.summary.jobs.inserted).toBe(original.counts['jobs.csv']);
			expect(result.summary.partLines?.written).toBe(original.counts['job_parts.csv']);
			expect(result.summary.followUps?.written).toBe(original.counts['follow_ups.csv']);
			// A generous bound for a busy 2-core machine; it takes about a second when idle.
			expect(seconds).toBeLessThan(30);
		}, 60_000);

		it('gives the same KPIs in the copy for every period', async () => {
			const [demoId, copyId] = await Promise.all(['DEMO', 'COPY'].map((code) => stationId(code)));
			let rowsCompared = 0;
			for (const [from, to] of PERIODS) {
				const expected = await computeScorecard(db, { stationId: demoId, from, to });
				const actual = await computeScorecard(db, { stationId: copyId, from, to });
				expect(actual, `${from} … ${to}`).toEqual(expected);
				rowsCompared += expected.length;
			}
			expect(rowsCompared).toBeGreaterThan(20);
		});

		it('exports the copy as the very same files', async () => {
			const copy = await exportStationFiles(db, 'COPY');
			expect(copy?.counts).toEqual(original.counts);
			for (const [file, text] of Object.entries(original.files)) {
				expect(copy?.files[file as keyof StationExport['files']], file).toBe(text);
			}
		});
	});
}
