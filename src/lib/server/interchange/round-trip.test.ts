/**
 * The promise of the interchange format: a station exported and imported into a new station
 * gives the same KPIs, and exporting the copy gives the same files again.
 */
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '../db';
import { stations } from '../db/schema';
import { ensureDemoStation } from '../demo/load';
import { refreshStaleFacts } from '../kpi/fact-refresh';
import { computeScorecard } from '../kpi/scorecard';
import { testEngines } from '../testing/databases';
import { exportStationFiles, type StationExport } from './export';
import { importStationFiles } from './import';
import { renderProblemReport } from './problems';
import { queryRows } from '../db/rows';
import { csv } from './testing';

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
			// The copy's facts, as the background worker brings them up to date after an import.
			await refreshStaleFacts(db);
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

/** The free-text columns of jobs, kept as written by the import (no trimming). */
const FREE_TEXT = ['customer_name', 'customer_phone', 'product_model', 'notes'] as const;

/**
 * Any text the app can hold: formula starts and apostrophes in any place, quotes, commas,
 * line breaks, Chinese. Not a lone CR (a line break inside a value reads back as LF), not NUL
 * (Postgres refuses it) and not only spaces (an empty cell): the import's documented rules.
 */
const storableText = fc
	.string({
		unit: fc.oneof(
			fc.constantFrom('=', '+', '-', '@', '\t', "'", '"', ',', '\n', ' ', '张'),
			fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })
		),
		maxLength: 40
	})
	.filter((text) => !/[\r\0]/.test(text) && (text === '' || text.trim() !== ''));

for (const engine of testEngines()) {
	describe(`export → import → export of any text on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			const files = {
				'technicians.csv': csv('login,name', 'zhang,张伟'),
				'jobs.csv': csv(
					'job_no,technician_login,reported_at,status',
					'J1,zhang,2026-03-02 09:00,open',
					'J2,zhang,2026-03-03 09:00,open'
				),
				'parts.csv': csv('sku,name,unit_cost', 'CAP,电容,25.50'),
				'job_parts.csv': csv('job_no,sku,qty', 'J1,CAP,1.5'),
				'follow_ups.csv': csv('job_no,visited_at', 'J1,2026-03-04 10:00')
			};
			const result = await importStationFiles(db, { stationCode: 'TEXT' }, files);
			if (!result.ok) throw new Error(renderProblemReport(result, 'en').join('\n'));
		}, 60_000);
		afterAll(async () => {
			await handle?.close();
		});

		it('gives the same bytes and the same values, formula starts included', async () => {
			let copies = 0;
			await fc.assert(
				fc.asyncProperty(
					fc.array(storableText, { minLength: FREE_TEXT.length, maxLength: FREE_TEXT.length }),
					storableText,
					async (texts, comment) => {
						const [name, phone, model, notes] = texts;
						await db.execute(sql`UPDATE jobs SET customer_name = ${name}, customer_phone = ${phone},
							product_model = ${model}, notes = ${notes}
							WHERE job_no = 'J1' AND station_id = (SELECT id FROM stations WHERE code = 'TEXT')`);
						await db.execute(sql`UPDATE follow_ups SET comment = ${comment}
							WHERE station_id = (SELECT id FROM stations WHERE code = 'TEXT')`);
						const original = await exportStationFiles(db, 'TEXT');
						if (!original) throw new Error('no station TEXT');
						copies += 1;
						const code = `TEXT${copies}`;
						const imported = await importStationFiles(db, { stationCode: code }, original.files);
						if (!imported.ok) throw new Error(renderProblemReport(imported, 'en').join('\n'));
						const copy = await exportStationFiles(db, code);
						for (const [file, text] of Object.entries(original.files)) {
							expect(copy?.files[file as keyof StationExport['files']], file).toBe(text);
						}
						const [stored] = await queryRows<Record<string, string>>(
							db,
							sql`SELECT j.customer_name, j.customer_phone, j.product_model, j.notes, f.comment
								FROM jobs j JOIN stations s ON s.id = j.station_id
								JOIN follow_ups f ON f.station_id = s.id
								WHERE s.code = ${code} AND j.job_no = 'J1'`
						);
						expect(stored).toEqual({
							customer_name: name,
							customer_phone: phone,
							product_model: model,
							notes,
							comment
						});
					}
				),
				{ numRuns: 40 }
			);
			// Numbers stay numbers: no apostrophe before the cost or quantity.
			const exported = await exportStationFiles(db, 'TEXT');
			expect(exported?.files['job_parts.csv']).toContain('J1,CAP,1.5,25.50\r\n');
		}, 300_000);
	});
}
