/**
 * `npm run kpi` on a closed month (docs/kpi-rules.md, "Closed periods"), on every test engine:
 * the CLI runs as a child process against the database a supervisor closed March in, after one
 * of March's jobs was edited. It prints the rows stored at closing, byte for byte what it would
 * have printed then, says on standard error that the month is closed (standard output keeps
 * import-format.md's rows and nothing else), and computes any other period, a week of March
 * included, from the jobs as they are now.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedDatabase, type DatabaseHandle } from '../db';
import { setChangeContext } from '../db/change-context';
import { jobs } from '../db/schema';
import { testEngines } from '../testing/databases';
import { createJob, createStation, createUser } from '../testing/fixtures';
import { closeMonth } from '../kpi/closing';
import { closureOf } from '../kpi/closed-periods';
import { computeScorecard } from '../kpi/scorecard';
import type { ScorecardRow } from '../../shared/kpi';
import { scorecardToCsv, scorecardToJson } from './scorecard-output';
import { refreshStaleFacts } from '../kpi/fact-refresh';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
const run = promisify(execFile);
const SLOW = 180_000;
const MINUTE = 60_000;
const MARCH = { from: '2026-03-01', to: '2026-04-01' };
const MARCH_SECOND_WEEK = { from: '2026-03-09', to: '2026-03-16' };
/** In April 2026, when March is over and may be closed. */
const IN_APRIL = new Date('2026-04-10T02:00:00Z');

interface Outcome {
	code: number;
	stdout: string;
	stderr: string;
}

/**
 * The test engines as a second process reaches them: PGlite in a folder (one process at a time:
 * the test closes it before the CLI opens it), Postgres by its URL.
 */
function cliEngines() {
	return testEngines().map((engine) =>
		engine.name === 'pglite'
			? {
					name: engine.name,
					open: () =>
						openMigratedDatabase({
							kind: 'pglite',
							dir: path.join(mkdtempSync(path.join(tmpdir(), 'rs-kpi-closed-')), 'db')
						})
				}
			: engine
	);
}

for (const engine of cliEngines()) {
	describe(`npm run kpi on a closed month (${engine.name})`, () => {
		let handle: DatabaseHandle;
		let open = false;
		let stored: ScorecardRow[];
		let liveMarch: ScorecardRow[];
		let liveWeek: ScorecardRow[];

		async function kpi(...args: string[]): Promise<Outcome> {
			const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C.UTF-8', LC_ALL: '' };
			delete env.DATABASE_URL;
			delete env.PGLITE_DIR;
			if (handle.target.kind === 'postgres') env.DATABASE_URL = handle.target.url;
			else env.PGLITE_DIR = handle.target.dir ?? undefined;
			try {
				const { stdout, stderr } = await run(
					process.execPath,
					['--import', 'tsx', 'scripts/kpi.ts', '--station', 'cli', ...args],
					{ cwd: repoRoot, env }
				);
				return { code: 0, stdout, stderr };
			} catch (error) {
				const failed = error as Outcome;
				return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
			}
		}

		beforeAll(async () => {
			handle = await engine.open();
			open = true;
			const db = handle.db;
			const station = await createStation(db, 'CLI');
			const boss = await createUser(db, station, 'boss', 'supervisor');
			const alice = await createUser(db, station, 'alice');
			const marchJobs = [];
			for (const day of [3, 10, 11]) {
				const completedAt = new Date(Date.UTC(2026, 2, day, 4));
				marchJobs.push(
					await createJob(db, alice, {
						status: 'completed',
						outcome: 'fixed',
						reportedAt: new Date(completedAt.getTime() - 180 * MINUTE),
						arrivedAt: new Date(completedAt.getTime() - 120 * MINUTE),
						startedAt: new Date(completedAt.getTime() - 60 * MINUTE),
						completedAt
					})
				);
			}
			await closeMonth(db, boss, { month: '2026-03' }, IN_APRIL);
			stored = (await closureOf(db, station.id, MARCH))!.scorecard.rows;
			// After closing, a job of March's second week turns out not fixed.
			const edited = marchJobs[1];
			await db.transaction(async (tx) => {
				await setChangeContext(tx, { changedBy: boss.id });
				await tx
					.update(jobs)
					.set({ outcome: 'not_fixed' })
					.where(and(eq(jobs.stationId, edited.stationId), eq(jobs.id, edited.id)));
			});
			await refreshStaleFacts(db);
			liveMarch = await computeScorecard(db, { stationId: station.id, ...MARCH });
			liveWeek = await computeScorecard(db, { stationId: station.id, ...MARCH_SECOND_WEEK });
			// The edit moves the live numbers, so printing the stored ones is a choice the CLI makes.
			expect(stored[0].repair_success_rate).toBe(1);
			expect(liveMarch[0].repair_success_rate).toBeCloseTo(2 / 3, 12);
			if (handle.kind === 'pglite') {
				await handle.close();
				open = false;
			}
		}, SLOW);
		afterAll(async () => {
			if (open) await handle.close();
			if (handle?.target.kind === 'pglite' && handle.target.dir) {
				rmSync(path.dirname(handle.target.dir), { recursive: true, force: true });
			}
		});

		it(
			'prints the rows stored at closing, and says on standard error that the month is closed',
			async () => {
				const printed = await kpi('--from', MARCH.from, '--to', MARCH.to);
				expect(printed.code).toBe(0);
				expect(printed.stdout).toBe(scorecardToJson(stored));
				expect(printed.stderr).toMatch(
					/^2026-03-01\.\.2026-04-01 is closed \(by boss 名字 at \d{4}-\d\d-\d\dT[\d:.]+Z\): the rows are those stored at closing\.\n$/
				);

				const csv = await kpi('--from', MARCH.from, '--to', MARCH.to, '--format', 'csv');
				expect(csv.code).toBe(0);
				expect(csv.stdout).toBe(scorecardToCsv(stored, { bom: true }));
			},
			SLOW
		);

		it(
			'computes a week of the closed month from the jobs as they are now, with no note',
			async () => {
				const printed = await kpi('--from', MARCH_SECOND_WEEK.from, '--to', MARCH_SECOND_WEEK.to);
				expect(printed.code).toBe(0);
				expect(printed.stdout).toBe(scorecardToJson(liveWeek));
				expect(JSON.parse(printed.stdout)[0]).toMatchObject({
					jobs_completed: 2,
					repair_success_rate: 0.5
				});
				expect(printed.stderr).toBe('');
			},
			SLOW
		);
	});
}
