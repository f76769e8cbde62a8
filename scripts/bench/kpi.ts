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
 *     [--jit on|off] [--remark]
 *
 * After generating (or with --remark, which marks every completed job stale as a migration
 * does), it times the first scorecard read while a whole station's facts wait — it answers at
 * once with what is refreshed so far and its "as of" — and then the background refresh that
 * brings them up to date in batches (kpi/fact-refresh.ts).
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
import { factsFreshness, refreshStaleFacts } from '../../src/lib/server/kpi/fact-refresh';
import { insertFirstSettingsVersion } from '../../src/lib/server/stations/settings/versions';
import { referenceScorecard, type ReferenceData } from '../../src/lib/server/kpi/reference';
import { DEFAULT_KPI_SETTINGS } from '../../src/lib/shared/kpi-settings';

const { values: options } = parseArgs({
	options: {
		runs: { type: 'string', default: '30' },
		fresh: { type: 'boolean', default: false },
		only: { type: 'string' },
		jit: { type: 'string' },
		remark: { type: 'boolean', default: false }
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
	await materialiseFacts(handle.db);
	return handle;
}

async function generate(db: Database, scenario: Scenario): Promise<void> {
	await db.execute(sql`truncate stations cascade`);
	await db.execute(sql`truncate job_kpi_stale`);
	const started = performance.now();
	for (let index = 1; index <= scenario.stations; index++) {
		await generateStation(db, `B${index}`, scenario.jobsPerStation);
	}
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	console.log(
		`  generated ${scenario.stations} × ${scenario.jobsPerStation.toLocaleString()} jobs in ${seconds} s`
	);
}

/**
 * After a migration that marks every completed job (or the generation): the first read of each
 * station answers from the facts as they are, with its freshness, while the background refresh
 * computes them in batches; then the steady state a deployment reaches by itself: autovacuum has
 * cleared the processed stale rows and gathered statistics.
 */
async function materialiseFacts(db: Database): Promise<void> {
	if (options.remark) {
		await db.execute(sql`
			insert into job_kpi_stale (station_id, job_id)
			select station_id, id from jobs where status = 'completed'`);
	}
	const pending = await queryRows<{ id: string; jobs: number }>(
		db,
		sql`select station_id::text as id, count(*)::int as jobs from job_kpi_stale group by station_id`
	);
	for (const station of pending) {
		const readStarted = performance.now();
		await computeScorecard(db, { stationId: station.id, ...QUARTER });
		const readMs = performance.now() - readStarted;
		const freshnessStarted = performance.now();
		const freshness = await factsFreshness(db, station.id);
		const freshnessMs = performance.now() - freshnessStarted;
		console.log(
			`  first read with ${station.jobs.toLocaleString()} marks queued: scorecard in ` +
				`${readMs.toFixed(0)} ms, freshness in ${freshnessMs.toFixed(0)} ms ` +
				`(as of ${freshness.asOf}, ${freshness.waitingJobs.toLocaleString()} jobs waiting)`
		);
	}
	if (pending.length > 0) {
		let batches = 0;
		let longestBatchMs = 0;
		let batchStarted = performance.now();
		const started = performance.now();
		const { marks } = await refreshStaleFacts(db, {
			stopped: () => {
				const now = performance.now();
				if (batches > 0) longestBatchMs = Math.max(longestBatchMs, now - batchStarted);
				batches++;
				batchStarted = now;
				return false;
			}
		});
		longestBatchMs = Math.max(longestBatchMs, performance.now() - batchStarted);
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		console.log(
			`  background refresh: ${marks.toLocaleString()} marks in ${batches} batches, ${seconds} s ` +
				`(longest batch ${longestBatchMs.toFixed(0)} ms)`
		);
	}
	await db.execute(sql`vacuum analyze`);
}

/** One station's two years, generated inside Postgres (no rows cross the wire). */
async function generateStation(db: Database, code: string, jobCount: number): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.execute(sql`select setseed(0.42)`);
		const [station] = await queryRows<{ id: string }>(
			tx,
			sql`insert into stations (code, name) values (${code}, ${`bench v${GENERATOR_VERSION}`})
				returning id::text`
		);
		const stationId = station.id;
		await insertFirstSettingsVersion(tx, stationId);
		await tx.execute(sql`
			insert into users (station_id, id, login, name, role)
			select ${stationId}::uuid, md5(${code} || 'u' || g)::uuid, 'tech' || lpad(g::text, 2, '0'),
				'技师' || g, 'technician'
			from generate_series(1, ${TECHNICIANS}) g`);
		await tx.execute(sql`
			insert into fault_categories (station_id, id, code, name, standard_minutes)
			select ${stationId}::uuid, md5(${code} || 'c' || g)::uuid, 'C' || g, '类别' || g, 30 + g * 15
			from generate_series(1, 10) g`);
		await tx.execute(sql`
			insert into parts (station_id, id, sku, name, unit_cost)
			select ${stationId}::uuid, md5(${code} || 'p' || g)::uuid, 'P' || g, '配件' || g,
				round((5 + random() * 300)::numeric, 2)
			from generate_series(1, 40) g`);
		// Per job: a technician, a slot in the two years, and random delays; ~3% are linked
		// revisits of a job a week earlier, serials repeat so some devices come back.
		await tx.execute(sql`
			insert into jobs (station_id, id, job_no, technician_id, device_serial, fault_category_id,
				reported_at, arrived_at, started_at, completed_at, status, outcome, previous_job_id)
			select ${stationId}::uuid, md5(${code} || 'j' || g)::uuid, ${code} || '-' || g,
				md5(${code} || 'u' || (1 + (g::bigint * 7919) % ${TECHNICIANS}))::uuid,
				case when r.serial_roll < 0.9 then
					case when r.case_roll < 0.1 then ' sn' || r.serial_no || ' ' else 'SN' || r.serial_no end
				else '' end,
				case when r.category_roll < 0.95 then md5(${code} || 'c' || (1 + (g % 10)))::uuid end,
				r.reported_at,
				case when r.arrival_roll < 0.97 then r.arrived_at end,
				case when r.start_roll < 0.97 then r.started_at end,
				case when r.status = 'completed' then r.completed_at end,
				r.status::job_status,
				case when r.status = 'completed' then
					(case when r.outcome_roll < 0.92 then 'fixed' else 'not_fixed' end)::job_outcome
				end,
				case when g > 50 and r.link_roll < 0.03 then md5(${code} || 'j' || (g - 50))::uuid end
			from generate_series(1, ${jobCount}) g
			cross join lateral (
				select
					random() as serial_roll, random() as case_roll, random() as category_roll,
					random() as arrival_roll, random() as start_roll, random() as outcome_roll,
					random() as link_roll,
					floor(random() * ${Math.floor(jobCount * 0.6)})::int as serial_no,
					t.reported_at,
					t.reported_at + make_interval(mins => (20 + random() * 1800)::int) as arrived_at,
					t.reported_at + make_interval(mins => (40 + random() * 1800)::int) as started_at,
					t.reported_at + make_interval(mins => (60 + random() * 2000)::int) as completed_at,
					case when random() < 0.985 then 'completed' else 'cancelled' end as status
				from (select (${HISTORY_END}::date - interval '730 days')
					+ (g::float8 / ${jobCount}) * interval '730 days' + g * interval '0 s' as reported_at) t
			) r`);
		await tx.execute(sql`
			insert into follow_ups (station_id, id, job_id, visited_at, channel, source, satisfaction, issue_resolved)
			select j.station_id, md5(j.id::text || 'f' || n)::uuid, j.id,
				j.completed_at + make_interval(hours => 24 * n + (random() * 48)::int), 'phone', 'desk',
				case when random() < 0.9 then least(5, 2 + floor(random() * 4)::int) end,
				case when random() < 0.05 then false when random() < 0.8 then true end
			from jobs j
			cross join generate_series(1, 2) n
			where j.station_id = ${stationId}::uuid and j.status = 'completed'
				and random() < case n when 1 then 0.7 else 0.1 end`);
		await tx.execute(sql`
			insert into job_parts (station_id, id, job_id, part_id, qty, unit_cost)
			select j.station_id, md5(j.id::text || 'p' || n)::uuid, j.id,
				md5(${code} || 'p' || (1 + floor(random() * 40)::int))::uuid,
				1 + floor(random() * 3)::int, round((5 + random() * 300)::numeric, 2)
			from jobs j
			cross join generate_series(1, 2) n
			where j.station_id = ${stationId}::uuid and j.status = 'completed'
				and random() < case n when 1 then 0.6 else 0.2 end`);
	});
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

async function timeRuns(runs: number, body: () => Promise<unknown>): Promise<number[]> {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const started = performance.now();
		await body();
		times.push(performance.now() - started);
	}
	return times.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (value: number) => `${value.toFixed(1)} ms`;

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
	} finally {
		await handle.close();
	}
}
