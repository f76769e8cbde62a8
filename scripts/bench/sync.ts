/**
 * Benchmark: the sync engine (docs/sync.md) on embedded PGlite and on the PostgreSQL server.
 *
 * - push: mutations per second, in batches of 200 versus one request per mutation: the
 *   server's work per request. Each request body is encoded beforehand, as a phone encodes it
 *   (src/lib/client/sync/wire.ts: superjson's format), since that work is the phone's; then
 *   tRPC's real fetch handler (the one src/routes/api/trpc serves) is called in-process: body
 *   parsing, superjson decoding, input/output validation, the push itself and the encoded
 *   answer are all timed, and so is decoding the answer; only the socket is not. A new
 *   technician pushes into the demo station, which holds months of history, as a station's
 *   server would; a few rounds are run and the median reported.
 * - first sync: a technician's whole history (500 jobs with part lines and follow-ups) onto a
 *   new phone: bytes on the wire and time until stored on the phone (benchFirstSync), in the
 *   phone's columns and, in turn with it, as sync.pull's objects (phones with an older app).
 * - pull: a technician's first (full) pull of 90 days of demo history, and a pull with
 *   nothing new; median and p95.
 *
 * It runs on both engines the app supports, one after the other: embedded PGlite (in memory)
 * and the PostgreSQL server (DATABASE_URL, BENCH_DATABASE_URL, TEST_DATABASE_URL or the local
 * server), in a scratch database it creates and drops (the database the URL names is left
 * untouched). `--engine pglite` or `--engine postgres` runs one of them.
 * Targets: >= 5,000 mutations/s batched, >= 20x one-per-request, full pull <= 300 ms, first
 * sync <= 100 KB on the wire and <= 500 ms.
 *
 *   npx tsx scripts/bench/sync.ts [--mutations 4000] [--single 300] [--rounds 5] [--pulls 20]
 *     [--first-syncs 5] [--history-jobs 500] [--first-sync-only] [--engine pglite|postgres|both]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { createTRPCClient, httpLink } from '@trpc/client';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { eq, sql } from 'drizzle-orm';
import superjson from 'superjson';
import {
	openMigratedDatabase,
	type Database,
	type DatabaseHandle
} from '../../src/lib/server/db/index';
import { queryRows } from '../../src/lib/server/db/rows';
import { stations } from '../../src/lib/server/db/schema';
import { resetDemoStation } from '../../src/lib/server/demo/index';
import type { SessionUser } from '../../src/lib/server/auth/session-user';
import { DEFAULT_REWORK_WINDOW_DAYS } from '../../src/lib/server/stations/settings/ranking';
import { appRouter, type AppRouter } from '../../src/lib/server/trpc/router';
import { createPart, createUser } from '../../src/lib/server/testing/fixtures';
import {
	PUSH_BATCH_LIMIT,
	type MutationEnvelope,
	type MutationResult
} from '../../src/lib/shared/sync';
import { decodeSuperjson, encodeSuperjson } from '../../src/lib/client/sync/wire';
import { BROTLI_PARAMS } from '../http-compression.mjs';
import { pullOutputSchema } from '../../src/lib/shared/sync-records';
import { trpcTransport } from '../../src/lib/client/sync/trpc-transport';
import { applyPull } from '../../src/lib/client/sync/apply-pull';
import { fakeBrowser, openDeviceStore } from '../../src/lib/client/testing/browser';

const { values: options } = parseArgs({
	options: {
		mutations: { type: 'string', default: '4000' },
		single: { type: 'string', default: '300' },
		pulls: { type: 'string', default: '20' },
		rounds: { type: 'string', default: '5' },
		'first-syncs': { type: 'string', default: '5' },
		'history-jobs': { type: 'string', default: '500' },
		'first-sync-only': { type: 'boolean', default: false },
		engine: { type: 'string', default: 'both' }
	}
});
if (!['pglite', 'postgres', 'both'].includes(options.engine)) {
	console.error(`--engine must be pglite, postgres or both (not ${options.engine}).`);
	process.exit(2);
}
const BATCHED_MUTATIONS = Number(options.mutations);
const SINGLE_MUTATIONS = Number(options.single);
const PULLS = Number(options.pulls);
const ROUNDS = Number(options.rounds);
const FIRST_SYNCS = Number(options['first-syncs']);
const HISTORY_JOBS = Number(options['history-jobs']);
const SERVER_URL =
	process.env.DATABASE_URL ||
	process.env.BENCH_DATABASE_URL ||
	process.env.TEST_DATABASE_URL ||
	'postgres://postgres@127.0.0.1:5432/test';
const PULL_DAYS = 90;
const TARGETS = {
	batchedPerSecond: 5_000,
	ratio: 20,
	fullPullMs: 300,
	firstSyncBytes: 100_000,
	firstSyncMs: 500
};

/** The tRPC client a device uses, its requests answered in-process by the real handler. */
function deviceClient(db: Database, user: SessionUser) {
	return createTRPCClient<AppRouter>({
		links: [
			httpLink({
				url: 'http://bench.local/api/trpc',
				transformer: superjson,
				fetch: (url, init) =>
					fetchRequestHandler({
						endpoint: '/api/trpc',
						req: new Request(url, init as RequestInit),
						router: appRouter,
						createContext: () => ({ db, user })
					})
			})
		]
	});
}

/** A day's work on one job, as a technician's phone records it: five mutations. */
function jobMutations(partId: string, jobNo: string, madeAt: Date) {
	const jobId = randomUUID();
	const minutes = (n: number) => new Date(madeAt.getTime() + n * 60_000);
	return [
		{ name: 'job.create', args: { id: jobId, jobNo, reportedAt: madeAt, customerName: '王先生' } },
		{ name: 'job.arrive', args: { jobId, at: minutes(30) } },
		{ name: 'job.start', args: { jobId, at: minutes(35) } },
		{ name: 'part.add', args: { id: randomUUID(), jobId, partId, qty: '1' } },
		{ name: 'job.complete', args: { jobId, at: minutes(90), outcome: 'fixed' } }
	] as const;
}

function outbox(count: number, partId: string, prefix: string): MutationEnvelope[] {
	const envelopes: MutationEnvelope[] = [];
	const madeAt = new Date('2026-11-02T01:00:00Z');
	for (let job = 0; envelopes.length < count; job++) {
		for (const mutation of jobMutations(partId, `${prefix}-${job}`, madeAt)) {
			envelopes.push({ id: envelopes.length + 1, madeAt, ...mutation });
		}
	}
	return envelopes.slice(0, count);
}

/** A push request's body as a phone sends it. */
function pushBody(clientId: string, mutations: MutationEnvelope[]): string {
	return JSON.stringify(encodeSuperjson({ clientId, mutations }));
}

/** One push through tRPC's fetch handler, its answer decoded as the phone decodes it. */
async function sendPush(db: Database, user: SessionUser, body: string) {
	const response = await fetchRequestHandler({
		endpoint: '/api/trpc',
		req: new Request('http://bench.local/api/trpc/sync.push', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body
		}),
		router: appRouter,
		createContext: () => ({ db, user })
	});
	const envelope = (await response.json()) as { result?: { data: unknown }; error?: unknown };
	if (!envelope.result) throw new Error(`Push failed: ${JSON.stringify(envelope.error)}`);
	return decodeSuperjson(envelope.result.data) as { results: MutationResult[] };
}

/**
 * Push throughput into a station that already holds history (the demo station, as benchPull
 * left it: 90 days, statistics current), as a new technician's phone sends its outbox. Each
 * round uses a new client, so that every round starts from an empty outbox; the median round
 * is reported, with the slowest and fastest, since a single run on a shared two-core machine
 * varies by a fifth from one run to the next.
 */
async function benchPush(handle: DatabaseHandle, stationId: string) {
	const [station] = await handle.db.select().from(stations).where(eq(stations.id, stationId));
	const technician = await createUser(
		handle.db,
		station,
		`bench-${randomBytes(3).toString('hex')}`
	);
	const part = await createPart(handle.db, station.id, `BENCH-${randomBytes(3).toString('hex')}`);
	const push = (body: string) => sendPush(handle.db, technician, body);

	// Warm-up: prepared statements, JIT, PGlite's first queries.
	await push(pushBody(randomUUID(), outbox(200, part.id, 'W')));

	const batchedRates: number[] = [];
	const singleRates: number[] = [];
	for (let round = 1; round <= ROUNDS; round++) {
		const batchedClient = randomUUID();
		const batched = outbox(BATCHED_MUTATIONS, part.id, `B${round}`);
		const batchedBodies: string[] = [];
		for (let i = 0; i < batched.length; i += PUSH_BATCH_LIMIT) {
			batchedBodies.push(pushBody(batchedClient, batched.slice(i, i + PUSH_BATCH_LIMIT)));
		}
		let started = performance.now();
		for (const body of batchedBodies) assertAllApplied((await push(body)).results);
		batchedRates.push(batched.length / ((performance.now() - started) / 1000));

		const singleClient = randomUUID();
		const single = outbox(SINGLE_MUTATIONS, part.id, `S${round}`);
		const singleBodies = single.map((mutation) => pushBody(singleClient, [mutation]));
		started = performance.now();
		for (const body of singleBodies) assertAllApplied((await push(body)).results);
		singleRates.push(single.length / ((performance.now() - started) / 1000));
	}
	const ratios = batchedRates.map((rate, i) => rate / singleRates[i]);
	return {
		batched: spread(batchedRates),
		single: spread(singleRates),
		ratio: spread(ratios),
		batchedRounds: batchedRates
	};
}

/** The session of one of the demo station's technicians, as signing in would give it. */
function demoTechnician(stationId: string, user: { id: string; login: string }): SessionUser {
	return {
		id: user.id,
		stationId,
		stationCode: 'DEMO',
		stationName: 'DEMO',
		timeZone: 'Asia/Shanghai',
		recordPositions: false,
		completionRequiresSignature: false,
		reworkWindowDays: DEFAULT_REWORK_WINDOW_DAYS,
		login: user.login,
		name: user.login,
		role: 'technician'
	};
}

/** Median, lowest and highest of a few rounds' figures. */
function spread(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	return {
		median: sorted[Math.floor(sorted.length / 2)],
		low: sorted[0],
		high: sorted[sorted.length - 1]
	};
}

function assertAllApplied(results: { id: number; status: string; error: unknown }[]) {
	const refused = results.find((result) => result.status !== 'applied');
	if (refused)
		throw new Error(
			`Mutation ${refused.id} was ${refused.status}: ${JSON.stringify(refused.error)}`
		);
}

/**
 * A technician's first sync on a new phone: their whole history (the demo station's busiest
 * technician, given other technicians' jobs until they hold HISTORY_JOBS, with their part lines
 * and follow-ups). Timed from the request to the rows stored in the device store: the phone's
 * own transport (client/sync/trpc-transport.ts: decoding, the protocol's schema) over tRPC's
 * real fetch handler, the answer brotli-compressed as scripts/serve.mjs sends it and
 * decompressed as the browser does, then applyPull into IndexedDB (fake-indexeddb, so the
 * browser's own IndexedDB would differ). Bytes: the answer as JSON, and compressed as served.
 */
async function benchFirstSync(handle: DatabaseHandle) {
	const demo = await resetDemoStation(handle.db);
	const [busiest] = await queryRows<{ id: string; login: string }>(
		handle.db,
		sql`SELECT u.id::text, u.login FROM jobs j
			JOIN users u ON u.station_id = j.station_id AND u.id = j.technician_id
			WHERE j.station_id = ${demo.stationId}::uuid
			GROUP BY u.id, u.login ORDER BY count(*) DESC LIMIT 1`
	);
	await handle.db.execute(sql`
		UPDATE jobs SET technician_id = ${busiest.id}::uuid
		WHERE station_id = ${demo.stationId}::uuid AND id IN (
			SELECT id FROM jobs
			WHERE station_id = ${demo.stationId}::uuid AND technician_id <> ${busiest.id}::uuid
			ORDER BY reported_at DESC
			LIMIT greatest(0, ${HISTORY_JOBS} - (
				SELECT count(*) FROM jobs
				WHERE station_id = ${demo.stationId}::uuid AND technician_id = ${busiest.id}::uuid)))`);
	await handle.db.execute(sql`ANALYZE jobs, job_parts, follow_ups`);
	const technician = demoTechnician(demo.stationId, busiest);
	let wire = { json: 0, gzip: 0, brotli: 0 };
	const browserFetch = async (url: string | URL | Request, init?: RequestInit) => {
		const answer = await fetchRequestHandler({
			endpoint: '/api/trpc',
			req: new Request(url, init),
			router: appRouter,
			createContext: () => ({ db: handle.db, user: technician })
		});
		const json = Buffer.from(await answer.arrayBuffer());
		const sent = brotliCompressSync(json, { params: BROTLI_PARAMS });
		wire = { json: json.length, gzip: gzipSync(json).length, brotli: sent.length };
		return new Response(brotliDecompressSync(sent), {
			status: answer.status,
			headers: answer.headers
		});
	};
	const transport = trpcTransport('http://bench.local/api/trpc');
	/** What phones with an older app do: sync.pull's objects, each time annotated by superjson. */
	const asObjects = async (input: { clientId: string; cursor: null }) => {
		const answer = await fetch('http://bench.local/api/trpc/sync.pull', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(encodeSuperjson(input))
		});
		const envelope = (await answer.json()) as { result: { data: unknown } };
		return pullOutputSchema.parse(decodeSuperjson(envelope.result.data));
	};
	const ways = { columns: transport.pull, objects: asObjects };
	const results = {
		columns: { times: [] as number[], wire },
		objects: { times: [] as number[], wire }
	};
	let rows = { jobs: 0, jobParts: 0, followUps: 0 };
	const realFetch = globalThis.fetch;
	globalThis.fetch = browserFetch as typeof fetch;
	try {
		// Both ways in turn, so that the machine's load weighs on both alike; the first round
		// warms up and is not counted.
		for (let run = 0; run < FIRST_SYNCS + 1; run++) {
			for (const way of ['columns', 'objects'] as const) {
				const store = await openDeviceStore(technician.id, fakeBrowser());
				const started = performance.now();
				const answer = await ways[way]({ clientId: randomUUID(), cursor: null });
				if ((await applyPull(store, answer, null)) !== 'applied') throw new Error('Not applied');
				if (run > 0) results[way].times.push(performance.now() - started);
				results[way].wire = wire;
				rows = {
					jobs: await store.jobs.count(),
					jobParts: await store.jobParts.count(),
					followUps: await store.followUps.count()
				};
				store.close();
			}
		}
	} finally {
		globalThis.fetch = realFetch;
	}
	return {
		rows,
		wire: results.columns.wire,
		time: stats(results.columns.times),
		objects: { wire: results.objects.wire, time: stats(results.objects.times) }
	};
}

async function benchPull(handle: DatabaseHandle) {
	const demo = await resetDemoStation(handle.db);
	// The demo holds half a year; keep the last 90 days (older jobs linked as "previous" first lose the link).
	await handle.db.execute(sql`
		UPDATE jobs SET previous_job_id = NULL
		WHERE station_id = ${demo.stationId}::uuid AND previous_job_id IN (
			SELECT id FROM jobs WHERE station_id = ${demo.stationId}::uuid
				AND reported_at < now() - make_interval(days => ${PULL_DAYS})
		)`);
	await handle.db.execute(sql`
		DELETE FROM jobs WHERE station_id = ${demo.stationId}::uuid
			AND reported_at < now() - make_interval(days => ${PULL_DAYS})`);
	await handle.db.execute(sql`ANALYZE jobs, job_parts, follow_ups, sync_tombstones`);
	const [busiest] = await queryRows<{ id: string; login: string; jobs: number }>(
		handle.db,
		sql`SELECT u.id::text, u.login, count(*)::int AS jobs
			FROM jobs j JOIN users u ON u.station_id = j.station_id AND u.id = j.technician_id
			WHERE j.station_id = ${demo.stationId}::uuid
			GROUP BY u.id, u.login ORDER BY count(*) DESC LIMIT 1`
	);
	const technician = demoTechnician(demo.stationId, busiest);
	const client = deviceClient(handle.db, technician);
	const clientId = randomUUID();
	let rows = 0;
	const full: number[] = [];
	const empty: number[] = [];
	for (let run = 0; run < PULLS + 1; run++) {
		let started = performance.now();
		const first = await client.sync.pull.mutate({ clientId, cursor: null });
		const fullMs = performance.now() - started;
		started = performance.now();
		await client.sync.pull.mutate({ clientId, cursor: first.cursor });
		const emptyMs = performance.now() - started;
		rows =
			first.changes.jobs.length + first.changes.jobParts.length + first.changes.followUps.length;
		// The first run warms up and is not counted.
		if (run > 0) {
			full.push(fullMs);
			empty.push(emptyMs);
		}
	}
	return {
		stationId: demo.stationId,
		jobs: busiest.jobs,
		rows,
		full: stats(full),
		empty: stats(empty)
	};
}

/** A trivial query's round trip, to read the other figures against (the machine may be busy). */
async function roundTrip(handle: DatabaseHandle) {
	const samples: number[] = [];
	for (let i = 0; i < 200; i++) {
		const started = performance.now();
		await handle.db.execute(sql`SELECT 1`);
		samples.push(performance.now() - started);
	}
	return stats(samples);
}

function stats(samples: number[]) {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
	return { median: at(0.5), p95: at(0.95) };
}

async function scratchPostgres(): Promise<DatabaseHandle> {
	const name = `rs_bench_sync_${randomBytes(4).toString('hex')}`;
	const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const url = new URL(SERVER_URL);
	url.pathname = `/${name}`;
	const handle = await openMigratedDatabase({ kind: 'postgres', url: url.toString() });
	return {
		...handle,
		close: async () => {
			await handle.close();
			const dropper = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
			await dropper.unsafe(`drop database if exists ${name} with (force)`);
			await dropper.end();
		}
	};
}

const engines: { name: 'pglite' | 'postgres'; open: () => Promise<DatabaseHandle> }[] = [
	{ name: 'pglite', open: () => openMigratedDatabase({ kind: 'pglite', dir: null }) },
	{ name: 'postgres', open: scratchPostgres }
];

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
let missed = false;
for (const engine of engines.filter(
	(e) => options.engine === 'both' || e.name === options.engine
)) {
	const handle = await engine.open();
	try {
		const baseline = await roundTrip(handle);
		console.log(`\n${engine.name} (${handle.location})`);
		console.log(
			`  SELECT 1 round trip: median ${baseline.median.toFixed(3)} ms, p95 ${baseline.p95.toFixed(3)} ms`
		);
		const firstSync = await benchFirstSync(handle);
		const firstBytesOk = firstSync.wire.brotli <= TARGETS.firstSyncBytes;
		const firstTimeOk = firstSync.time.median <= TARGETS.firstSyncMs;
		missed ||= !firstBytesOk || !firstTimeOk;
		const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
		console.log(
			`  first sync of a technician's history (${firstSync.rows.jobs} jobs, ${firstSync.rows.jobParts} part lines, ${firstSync.rows.followUps} follow-ups), median of ${FIRST_SYNCS}:`
		);
		console.log(
			`    on the wire: ${kb(firstSync.wire.brotli)} brotli as served (target <= ${kb(TARGETS.firstSyncBytes)}: ${verdict(firstBytesOk)}); ` +
				`gzip ${kb(firstSync.wire.gzip)}, JSON ${kb(firstSync.wire.json)}`
		);
		console.log(
			`    request to stored on the phone: median ${firstSync.time.median.toFixed(0)} ms, p95 ${firstSync.time.p95.toFixed(0)} ms ` +
				`(target <= ${TARGETS.firstSyncMs} ms: ${verdict(firstTimeOk)})`
		);
		console.log(
			`    as objects (sync.pull, phones with an older app), in turn with the above: ` +
				`${kb(firstSync.objects.wire.brotli)} brotli, gzip ${kb(firstSync.objects.wire.gzip)}, JSON ${kb(firstSync.objects.wire.json)}; ` +
				`median ${firstSync.objects.time.median.toFixed(0)} ms, p95 ${firstSync.objects.time.p95.toFixed(0)} ms`
		);
		if (options['first-sync-only']) continue;
		const pull = await benchPull(handle);
		const push = await benchPush(handle, pull.stationId);
		const [stationJobs] = await queryRows<{ jobs: number }>(
			handle.db,
			sql`SELECT count(*)::int AS jobs FROM jobs WHERE station_id = ${pull.stationId}::uuid`
		);
		const batchedOk = push.batched.median >= TARGETS.batchedPerSecond;
		const ratioOk = push.ratio.median >= TARGETS.ratio;
		const pullOk = pull.full.median <= TARGETS.fullPullMs;
		missed ||= !batchedOk || !ratioOk || !pullOk;
		const range = ({ low, high }: { low: number; high: number }, digits = 0) =>
			digits ? `${low.toFixed(digits)}–${high.toFixed(digits)}` : `${fmt(low)}–${fmt(high)}`;
		console.log(
			`  push into the demo station (${fmt(stationJobs.jobs)} jobs at the end), median of ${ROUNDS} rounds (lowest–highest):`
		);
		console.log(
			`    batches of ${PUSH_BATCH_LIMIT}: ${fmt(push.batched.median)} mutations/s (${range(push.batched)}; ` +
				`${BATCHED_MUTATIONS} mutations a round; target >= ${fmt(TARGETS.batchedPerSecond)}: ${verdict(batchedOk)})`
		);
		console.log(`      each round, in order: ${push.batchedRounds.map(fmt).join(', ')}`);
		console.log(
			`    one per request: ${fmt(push.single.median)} mutations/s (${range(push.single)}; ${SINGLE_MUTATIONS} mutations a round; the ratio's baseline)`
		);
		console.log(
			`    ratio batched / one per request: ${push.ratio.median.toFixed(1)}x (${range(push.ratio, 1)}; target >= ${TARGETS.ratio}x: ${verdict(ratioOk)})`
		);
		console.log(
			`  pull, technician with ${PULL_DAYS} days (${pull.jobs} jobs, ${pull.rows} rows with parts and follow-ups):`
		);
		console.log(
			`    full: median ${pull.full.median.toFixed(1)} ms, p95 ${pull.full.p95.toFixed(1)} ms ` +
				`(target <= ${TARGETS.fullPullMs} ms: ${verdict(pullOk)})`
		);
		console.log(
			`    nothing new: median ${pull.empty.median.toFixed(1)} ms, p95 ${pull.empty.p95.toFixed(1)} ms`
		);
	} finally {
		await handle.close();
	}
}
if (missed) process.exitCode = 1;
