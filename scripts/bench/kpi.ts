/**
 * Benchmark: the station-quarter scorecard (computeScorecard) on generated history, against a
 * naive implementation that loads the station's rows into JavaScript and computes the same
 * numbers there (the plain-TypeScript reference of kpi.md); and the scorecard with what its
 * numbers rest on (computeScorecardWithGround: one statement for both), as the scorecard pages,
 * the monthly report and closing a month read it.
 *
 * Data: stations of 50 technicians with two years of history each, generated in SQL
 * (deterministic: setseed) into scratch databases on the PostgreSQL server of
 * BENCH_DATABASE_URL / TEST_DATABASE_URL (default the local server). Generated databases are
 * kept between runs (`--fresh` rebuilds them), so a rerun measures without regenerating.
 *
 *   npx tsx scripts/bench/kpi.ts [--runs 30] [--fresh] [--only 100k|1M-stations|1M-station]
 *     [--jit on|off] [--remark] [--refresh-only]
 *
 * After generating (or with --remark, which marks every completed job stale as a migration
 * does), it times the first scorecard read while a whole station's facts wait — it answers at
 * once with what is refreshed so far and its "as of" — and then the background refresh that
 * brings them up to date in batches (kpi/fact-refresh.ts).
 *
 * Then the whole-station background refresh: every job of the station marked stale in one
 * statement (as a migration or a rework-window change marks them), timed until the worker's
 * rounds (refreshStaleFacts) have emptied the queue, and checked: the facts and daily rows are
 * those the station had before, computed from scratch. --refresh-only measures only that.
 *
 * --jit sets the session's jit for the measured connections (default: the server's setting).
 * PostgreSQL's JIT compiles this statement's expressions on every execution because its
 * estimated cost is far above jit_above_cost, and that compilation costs about ten times the
 * query itself (docs/kpi.md), so compare with it off.
 */
import type { FollowUpSource } from '../../src/lib/shared/honesty-domain';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import {
	openMigratedDatabase,
	type Database,
	type DatabaseHandle
} from '../../src/lib/server/db/index';
import { queryRows } from '../../src/lib/server/db/rows';
import { computeScorecard, computeScorecardWithGround } from '../../src/lib/server/kpi/scorecard';
import { refreshStaleFacts } from '../../src/lib/server/kpi/fact-refresh';
import { generateStation, materialiseFacts } from './history';
import { ms, percentile, timeRuns } from './timing';
import { referenceScorecard, type ReferenceData } from '../../src/lib/server/kpi/reference';
import { DEFAULT_KPI_SETTINGS } from '../../src/lib/shared/kpi-settings';

const { values: options } = parseArgs({
	options: {
		runs: { type: 'string', default: '30' },
		fresh: { type: 'boolean', default: false },
		only: { type: 'string' },
		jit: { type: 'string' },
		remark: { type: 'boolean', default: false },
		'refresh-only': { type: 'boolean', default: false }
	}
});
const RUNS = Number(options.runs);
const SERVER_URL =
	process.env.BENCH_DATABASE_URL ||
	process.env.TEST_DATABASE_URL ||
	'postgres://postgres@127.0.0.1:5432/test';
const GENERATOR_VERSION = 1;
const TECHNICIANS = 50;
const HISTORY_END = '2026-10-01';
const QUARTER = { from: '2026-04-01', to: '2026-07-01' };

interface Scenario {
	name: string;
	database: string;
	stations: number;
	jobsPerStation: number;
}

const SCENARIOS: Scenario[] = [
	{ name: '100k', database: 'rs_bench_kpi_100k', stations: 1, jobsPerStation: 100_000 },
	// 1M jobs as a sharded-by-station world sees them: ten stations of 100k.
	{ name: '1M-stations', database: 'rs_bench_kpi_1m_10', stations: 10, jobsPerStation: 100_000 },
	// The worst case: one station holding 1M jobs (27 jobs per technician per day).
	{ name: '1M-station', database: 'rs_bench_kpi_1m_1', stations: 1, jobsPerStation: 1_000_000 }
];

if (options.jit !== undefined && options.jit !== 'on' && options.jit !== 'off') {
	throw new Error(`--jit must be on or off, not ${options.jit}`);
}

function databaseUrl(name: string): string {
	const url = new URL(SERVER_URL);
	url.pathname = `/${name}`;
	// postgres.js sends unknown URL parameters as run-time parameters of every connection.
	if (options.jit) url.searchParams.set('jit', options.jit);
	return url.toString();
}

async function prepare(scenario: Scenario): Promise<DatabaseHandle> {
	const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
	try {
		const [existing] = await admin`select 1 from pg_database where datname = ${scenario.database}`;
		if (existing && options.fresh) {
			await admin.unsafe(`drop database ${scenario.database} with (force)`);
		}
		if (!existing || options.fresh) await admin.unsafe(`create database ${scenario.database}`);
	} finally {
		await admin.end();
	}
	const handle = await openMigratedDatabase({
		kind: 'postgres',
		url: databaseUrl(scenario.database),
		maxConnections: 2
	});
	const [marker] = await queryRows<{ n: number }>(
		handle.db,
		sql`select count(*)::int as n from stations where name = ${`bench v${GENERATOR_VERSION}`}`
	);
	if (marker.n !== scenario.stations) await generate(handle.db, scenario);
	await materialiseFacts(handle.db, {
		remark: options.remark,
		firstRead: (stationId) => computeScorecard(handle.db, { stationId, ...QUARTER })
	});
	return handle;
}

async function generate(db: Database, scenario: Scenario): Promise<void> {
	await db.execute(sql`truncate stations cascade`);
	await db.execute(sql`truncate job_kpi_stale`);
	const started = performance.now();
	for (let index = 1; index <= scenario.stations; index++) {
		await generateStation(db, {
			code: `B${index}`,
			name: `bench v${GENERATOR_VERSION}`,
			jobCount: scenario.jobsPerStation,
			technicians: TECHNICIANS,
			historyEnd: HISTORY_END
		});
	}
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	console.log(
		`  generated ${scenario.stations} × ${scenario.jobsPerStation.toLocaleString()} jobs in ${seconds} s`
	);
}

/**
 * The naive way: every row the numbers depend on into JavaScript, then compute there with the
 * plain-TypeScript reading of kpi.md (indexed by job, so linear in the station's rows).
 */
async function naiveScorecard(db: Database, stationId: string) {
	const [jobRows, partRows, followUpRows, userRows, categoryRows] = await Promise.all([
		queryRows<{
			id: string;
			job_no: string;
			technician_id: string;
			status: string;
			outcome: string | null;
			device_serial: string;
			fault_category_id: string | null;
			previous_job_id: string | null;
			reported_at: string;
			arrived_at: string | null;
			started_at: string | null;
			completed_at: string | null;
		}>(
			db,
			sql`select id::text, job_no, technician_id::text, status::text, outcome::text, device_serial,
				fault_category_id::text, previous_job_id::text, reported_at::text, arrived_at::text,
				started_at::text, completed_at::text
			from jobs where station_id = ${stationId}::uuid`
		),
		queryRows<{ job_id: string; qty: string; unit_cost: string }>(
			db,
			sql`select job_id::text, qty::text, unit_cost::text from job_parts where station_id = ${stationId}::uuid`
		),
		queryRows<{
			id: string;
			job_id: string;
			visited_at: string;
			created_at: string;
			source: FollowUpSource;
			satisfaction: number | null;
			issue_resolved: boolean | null;
		}>(
			db,
			sql`select id::text, job_id::text, visited_at::text, created_at::text, source::text,
				satisfaction::int, issue_resolved from follow_ups where station_id = ${stationId}::uuid`
		),
		queryRows<{ id: string; login: string; name: string }>(
			db,
			sql`select id::text, login, name from users where station_id = ${stationId}::uuid`
		),
		queryRows<{ id: string; standard_minutes: number }>(
			db,
			sql`select id::text, standard_minutes::int from fault_categories where station_id = ${stationId}::uuid`
		)
	]);
	const date = (value: string | null) => (value ? new Date(value) : null);
	const data: ReferenceData = {
		station: {
			timeZone: 'Asia/Shanghai',
			reworkWindowDays: 30,
			minJobsForRanking: 5,
			kpiSettings: DEFAULT_KPI_SETTINGS
		},
		users: userRows,
		categories: categoryRows.map((c) => ({ id: c.id, standardMinutes: c.standard_minutes })),
		jobs: jobRows.map((j) => ({
			id: j.id,
			jobNo: j.job_no,
			technicianId: j.technician_id,
			status: j.status as never,
			outcome: j.outcome as never,
			deviceSerial: j.device_serial,
			faultCategoryId: j.fault_category_id,
			previousJobId: j.previous_job_id,
			reportedAt: new Date(j.reported_at),
			arrivedAt: date(j.arrived_at),
			startedAt: date(j.started_at),
			completedAt: date(j.completed_at)
		})),
		jobParts: partRows.map((p) => ({ jobId: p.job_id, qty: p.qty, unitCost: p.unit_cost })),
		followUps: followUpRows.map((f) => ({
			id: f.id,
			jobId: f.job_id,
			visitedAt: new Date(f.visited_at),
			createdAt: new Date(f.created_at),
			source: f.source,
			satisfaction: f.satisfaction,
			issueResolved: f.issue_resolved
		}))
	};
	return referenceScorecard(data, QUARTER);
}

/** A digest of the station's facts and daily rows: equal digests, equal numbers. */
async function factsDigest(db: Database, stationId: string): Promise<string> {
	const [row] = await queryRows<{ digest: string }>(
		db,
		sql`select md5(
			(select coalesce(string_agg(f::text, ',' order by f.job_id), '') from job_kpi_facts f
				where f.station_id = ${stationId}::uuid)
			|| (select coalesce(string_agg(d::text, ',' order by d.day, d.technician_id), '')
				from job_kpi_daily d where d.station_id = ${stationId}::uuid)
		) as digest`
	);
	return row.digest;
}

/**
 * Every job of the station marked stale at once, then the worker's rounds until its queue is
 * empty (the time a whole station's scorecards say "as of"); the facts must come out as they
 * were.
 */
async function wholeStationRefresh(db: Database, stationId: string): Promise<void> {
	const before = await factsDigest(db, stationId);
	const started = performance.now();
	await db.execute(sql`
		insert into job_kpi_stale (station_id, job_id)
		select station_id, id from jobs where station_id = ${stationId}::uuid`);
	let batches = 0;
	let longestBatchMs = 0;
	let batchStarted = performance.now();
	const markedMs = batchStarted - started;
	let marks = 0;
	// The worker's round ends when the queue is empty; another round finds nothing.
	for (let round = await refreshStaleFacts(db, { stopped: countBatch }); round.marks > 0;) {
		marks += round.marks;
		round = await refreshStaleFacts(db, { stopped: countBatch });
	}
	longestBatchMs = Math.max(longestBatchMs, performance.now() - batchStarted);
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	const [queued] = await queryRows<{ n: number }>(
		db,
		sql`select count(*)::int as n from job_kpi_stale where station_id = ${stationId}::uuid`
	);
	const same = (await factsDigest(db, stationId)) === before;
	console.log(
		`  whole-station background refresh: ${marks.toLocaleString()} jobs marked in ` +
			`${markedMs.toFixed(0)} ms, queue empty after ${seconds} s (${batches} batches, the ` +
			`longest ${longestBatchMs.toFixed(0)} ms); ${queued.n} left queued; facts and daily rows ` +
			`${same ? 'equal to' : 'DIFFERENT FROM'} those before`
	);
	if (!same || queued.n > 0) throw new Error('The whole-station refresh did not restore the facts');

	function countBatch(): boolean {
		const now = performance.now();
		if (batches > 0) longestBatchMs = Math.max(longestBatchMs, now - batchStarted);
		batches++;
		batchStarted = now;
		return false;
	}
}

console.log(
	`KPI scorecard benchmark (station quarter ${QUARTER.from} … ${QUARTER.to}, PostgreSQL, ` +
		`jit ${options.jit ?? 'as the server sets it'})`
);
for (const scenario of SCENARIOS) {
	if (options.only && options.only !== scenario.name) continue;
	console.log(
		`\n${scenario.name}: ${scenario.stations} station(s) × ${scenario.jobsPerStation.toLocaleString()} jobs, ${TECHNICIANS} technicians each`
	);
	const handle = await prepare(scenario);
	try {
		const [station] = await queryRows<{ id: string }>(
			handle.db,
			sql`select id::text from stations where code = 'B1'`
		);
		if (options['refresh-only']) {
			await wholeStationRefresh(handle.db, station.id);
			continue;
		}
		const scope = { stationId: station.id, ...QUARTER };
		const [quarterJobs] = await queryRows<{ n: number }>(
			handle.db,
			sql`select count(*)::int as n from jobs where station_id = ${station.id}::uuid
				and status = 'completed' and completed_at >= ${QUARTER.from}::date and completed_at < ${QUARTER.to}::date`
		);
		await timeRuns(3, () => computeScorecard(handle.db, scope));
		const engine = await timeRuns(RUNS, () => computeScorecard(handle.db, scope));
		const withGround = await timeRuns(RUNS, () => computeScorecardWithGround(handle.db, scope));
		const naiveRuns = Math.max(3, Math.min(5, RUNS));
		const naive = await timeRuns(naiveRuns, () => naiveScorecard(handle.db, station.id));
		const rows = await computeScorecard(handle.db, scope);
		console.log(
			`  completed jobs in the quarter: ${quarterJobs.n.toLocaleString()}; rows: ${rows.length}`
		);
		console.log(
			`  scorecard (SQL):   median ${ms(percentile(engine, 50))}, p95 ${ms(percentile(engine, 95))} (${RUNS} runs)`
		);
		console.log(
			`  scorecard + ground (one statement): median ${ms(percentile(withGround, 50))}, p95 ${ms(percentile(withGround, 95))} (${RUNS} runs)`
		);
		console.log(
			`  naive (rows → JS): median ${ms(percentile(naive, 50))}, p95 ${ms(percentile(naive, 95))} (${naiveRuns} runs)`
		);
		const ratio = (p: number) => (percentile(naive, p) / percentile(engine, p)).toFixed(1);
		console.log(
			`  ratio naive/SQL: median ${ratio(50)}x, p95 ${ratio(95)}x (target >= 10x: ` +
				`${percentile(naive, 95) / percentile(engine, 95) >= 10 ? 'met' : 'NOT met'}); ` +
				`target p95 <= 50 ms: ${percentile(engine, 95) <= 50 ? 'met' : 'NOT met'}`
		);
		await wholeStationRefresh(handle.db, station.id);
	} finally {
		await handle.close();
	}
}
