/**
 * Benchmark: the region's quarter comparison (kpi/region.ts regionComparison: every station's
 * own row, the best and worst technicians across them and each station's half-year trend, in
 * one statement each over all the stations) against the naive way, one station's scorecard
 * after another (its station row, its technicians' scorecard, its monthly trend: the station
 * pages' own reads, per station, then best and worst picked in JavaScript).
 *
 * Data: S stations × J jobs (two years each, deterministic: one station generated in SQL by
 * history.ts, its facts refreshed in one go, then copied S − 1 times by cloneStation),
 * in a scratch database on the PostgreSQL server of BENCH_DATABASE_URL / TEST_DATABASE_URL,
 * kept between runs (`--fresh` rebuilds it); a region manager assigned every station.
 *
 *   npx tsx scripts/bench/region.ts [--stations 100] [--jobs 100000] [--technicians 50]
 *     [--runs 20] [--naive-runs 3] [--fresh] [--jit on|off]
 *
 * Targets (issue 15): p95 <= 200 ms at 100 × 100,000 and >= 10x the naive way.
 */
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { openMigratedDatabase, type DatabaseHandle } from '../../src/lib/server/db/index';
import { queryRows } from '../../src/lib/server/db/rows';
import type { SessionUser } from '../../src/lib/server/auth/session-user';
import { COMMAND_LINE, setRegionStations } from '../../src/lib/server/auth/accounts';
import { regionComparison, REGION_BEST_AND_WORST } from '../../src/lib/server/kpi/region';
import { computeScorecard } from '../../src/lib/server/kpi/scorecard';
import { computeStationKpis, monthlyStationKpis } from '../../src/lib/server/kpi/station-kpis';
import { cloneStation, generateStation, materialiseFactsAtOnce } from './history';
import { ms, percentile, timeRuns } from './timing';

const { values: options } = parseArgs({
	options: {
		stations: { type: 'string', default: '100' },
		jobs: { type: 'string', default: '100000' },
		technicians: { type: 'string', default: '50' },
		runs: { type: 'string', default: '20' },
		'naive-runs': { type: 'string', default: '3' },
		fresh: { type: 'boolean', default: false },
		jit: { type: 'string' }
	}
});
const count = (name: keyof typeof options) => {
	const value = Number(options[name]);
	if (!Number.isInteger(value) || value < 1)
		throw new Error(`--${name} must be a positive integer`);
	return value;
};
const STATIONS = count('stations');
const JOBS = count('jobs');
const TECHNICIANS = count('technicians');
const RUNS = count('runs');
const NAIVE_RUNS = count('naive-runs');
if (options.jit !== undefined && options.jit !== 'on' && options.jit !== 'off') {
	throw new Error(`--jit must be on or off, not ${options.jit}`);
}
const SERVER_URL =
	process.env.BENCH_DATABASE_URL ||
	process.env.TEST_DATABASE_URL ||
	'postgres://postgres@127.0.0.1:5432/test';
const GENERATOR_MARK = 'bench region v2';
const HISTORY_END = '2026-10-01';
const QUARTER = { from: '2026-04-01', to: '2026-07-01' };
const TREND = { firstMonth: '2026-01', months: 6 };
const DATABASE = `rs_bench_region_${STATIONS}x${JOBS}x${TECHNICIANS}`;

function databaseUrl(name: string): string {
	const url = new URL(SERVER_URL);
	url.pathname = `/${name}`;
	// postgres.js sends unknown URL parameters as run-time parameters of every connection.
	if (options.jit) url.searchParams.set('jit', options.jit);
	return url.toString();
}

async function prepare(): Promise<DatabaseHandle> {
	const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
	try {
		const [existing] = await admin`select 1 from pg_database where datname = ${DATABASE}`;
		if (existing && options.fresh) await admin.unsafe(`drop database ${DATABASE} with (force)`);
		if (!existing || options.fresh) await admin.unsafe(`create database ${DATABASE}`);
	} finally {
		await admin.end();
	}
	const handle = await openMigratedDatabase({
		kind: 'postgres',
		url: databaseUrl(DATABASE),
		maxConnections: 2
	});
	const [marker] = await queryRows<{ n: number }>(
		handle.db,
		sql`select count(*)::int as n from stations where name = ${GENERATOR_MARK}`
	);
	if (marker.n !== STATIONS) {
		await handle.db.execute(sql`truncate stations cascade`);
		await handle.db.execute(sql`truncate job_kpi_stale`);
		const started = performance.now();
		// One station generated and its facts refreshed (set-based, the station's whole queue in one
		// statement), then copied: every station of the same size has the same history anyway.
		await generateStation(handle.db, {
			code: 'R1',
			name: GENERATOR_MARK,
			jobCount: JOBS,
			technicians: TECHNICIANS,
			historyEnd: HISTORY_END
		});
		const generated = (performance.now() - started) / 1000;
		const factsStarted = performance.now();
		await materialiseFactsAtOnce(handle.db);
		const facts = (performance.now() - factsStarted) / 1000;
		const copiesStarted = performance.now();
		const [template] = await queryRows<{ id: string }>(
			handle.db,
			sql`select id::text from stations where code = 'R1'`
		);
		for (let index = 2; index <= STATIONS; index++) {
			await cloneStation(handle.db, template.id, { code: `R${index}`, name: GENERATOR_MARK });
		}
		await handle.db.execute(sql`vacuum analyze`);
		const copies = (performance.now() - copiesStarted) / 1000;
		const total = generated + facts + copies;
		console.log(
			`  generated 1 × ${JOBS.toLocaleString()} jobs in ${generated.toFixed(1)} s, its facts in ` +
				`${facts.toFixed(1)} s, ${STATIONS - 1} copies in ${copies.toFixed(1)} s ` +
				`(${(total / ((STATIONS * JOBS) / 1e6)).toFixed(0)} s per million jobs)`
		);
	}
	return handle;
}

/** A region manager of every station (their home station HQ, made once). */
async function regionManager(handle: DatabaseHandle): Promise<SessionUser> {
	const db = handle.db;
	await db.execute(sql`
		insert into stations (code, name) values ('HQ', 'region HQ') on conflict (code) do nothing`);
	const [home] = await queryRows<{ id: string }>(
		db,
		sql`select id::text from stations where code = 'HQ'`
	);
	await db.execute(sql`
		insert into users (station_id, login, name, role)
		values (${home.id}::uuid, 'region', 'Region', 'region_manager')
		on conflict (station_id, login) do nothing`);
	const [user] = await queryRows<{ id: string }>(
		db,
		sql`select id::text from users where station_id = ${home.id}::uuid and login = 'region'`
	);
	const codes = Array.from({ length: STATIONS }, (_, index) => `R${index + 1}`);
	await setRegionStations(
		db,
		{ stationId: home.id, userId: user.id, stationCodes: codes },
		{ actor: COMMAND_LINE }
	);
	return {
		id: user.id,
		stationId: home.id,
		stationCode: 'HQ',
		stationName: 'region HQ',
		timeZone: 'Asia/Shanghai',
		recordPositions: false,
		completionRequiresSignature: false,
		reworkWindowDays: 30,
		login: 'region',
		name: 'Region',
		role: 'region_manager'
	};
}

/** One station after another: what each station's own pages read, then best and worst in JS. */
async function naiveComparison(handle: DatabaseHandle, stationIds: readonly string[]) {
	const stations = [];
	const technicians = [];
	for (const stationId of stationIds) {
		const period = { stationId, ...QUARTER };
		stations.push({
			row: await computeStationKpis(handle.db, period),
			trend: await monthlyStationKpis(handle.db, { stationId, ...TREND })
		});
		for (const row of await computeScorecard(handle.db, period)) {
			if (row.rank !== null) technicians.push({ stationId, row });
		}
	}
	technicians.sort((a, b) => b.row.score! - a.row.score!);
	return {
		stations,
		best: technicians.slice(0, REGION_BEST_AND_WORST),
		worst: technicians.slice(-REGION_BEST_AND_WORST)
	};
}

console.log(
	`Region comparison benchmark: ${STATIONS} stations × ${JOBS.toLocaleString()} jobs, ` +
		`${TECHNICIANS} technicians each; quarter ${QUARTER.from} … ${QUARTER.to}, PostgreSQL, ` +
		`jit ${options.jit ?? 'as the server sets it'}`
);
const handle = await prepare();
try {
	const manager = await regionManager(handle);
	const stationIds = (
		await queryRows<{ id: string }>(
			handle.db,
			sql`select id::text from stations where name = ${GENERATOR_MARK} order by code`
		)
	).map((row) => row.id);
	const [quarterJobs] = await queryRows<{ n: number }>(
		handle.db,
		sql`select count(*)::int as n from job_kpi_facts
			where day >= ${QUARTER.from}::date and day < ${QUARTER.to}::date`
	);
	console.log(`  completed jobs in the quarter, all stations: ${quarterJobs.n.toLocaleString()}`);
	await timeRuns(2, () => regionComparison(handle.db, manager, QUARTER));
	const region = await timeRuns(RUNS, () => regionComparison(handle.db, manager, QUARTER));
	const naive = await timeRuns(NAIVE_RUNS, () => naiveComparison(handle, stationIds));
	const checked = await regionComparison(handle.db, manager, QUARTER);
	const slow = await naiveComparison(handle, stationIds);
	const same =
		JSON.stringify(checked.stations.map((s) => s.kpis)) ===
			JSON.stringify(slow.stations.map((s) => s.row)) &&
		JSON.stringify(checked.best.map((t) => t.row.score)) ===
			JSON.stringify(slow.best.map((t) => t.row.score));
	console.log(`  same station rows and best scores both ways: ${same ? 'yes' : 'NO'}`);
	console.log(
		`  region (one statement each): median ${ms(percentile(region, 50))}, p95 ${ms(percentile(region, 95))} (${RUNS} runs)`
	);
	console.log(
		`  naive (station after station): median ${ms(percentile(naive, 50))}, p95 ${ms(percentile(naive, 95))} (${NAIVE_RUNS} runs)`
	);
	const ratio = (p: number) => percentile(naive, p) / percentile(region, p);
	console.log(
		`  ratio naive/region: median ${ratio(50).toFixed(1)}x, p95 ${ratio(95).toFixed(1)}x ` +
			`(target >= 10x: ${ratio(95) >= 10 ? 'met' : 'NOT met'}); ` +
			`target p95 <= 200 ms: ${percentile(region, 95) <= 200 ? 'met' : 'NOT met'}`
	);
	if (!same) process.exitCode = 1;
} finally {
	await handle.close();
}
