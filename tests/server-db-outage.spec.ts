/**
 * The server survives its database (issue 10, item 10): a production server on a real
 * Postgres database has all its connections terminated while phones push and pull. The process
 * stays up, the requests that failed on it were answered 503 + Retry-After with the tRPC code
 * SERVICE_UNAVAILABLE (which the phone's sync engine retries), and later requests succeed.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import {
	scratchPostgres,
	startServer,
	type ScratchDatabase,
	type ServerProcess
} from './helpers/server-process';

const SERVER_URL = process.env.TEST_DATABASE_URL;
const PORT = Number(process.env.E2E_PORT ?? 4173) + 100;

test.describe('a server whose database connections are cut', () => {
	test.skip(!SERVER_URL, 'needs a PostgreSQL server (TEST_DATABASE_URL)');
	test.setTimeout(120_000);

	let database: ScratchDatabase;
	let server: ServerProcess;

	test.beforeAll(async () => {
		database = await scratchPostgres(SERVER_URL!);
		server = await startServer(PORT, { DATABASE_URL: database.url });
	});

	// eslint-disable-next-line no-empty-pattern -- Playwright reads fixtures from a destructuring
	test.afterEach(async ({}, testInfo) => {
		// What the server said is the first thing to read when this fails.
		if (testInfo.status !== testInfo.expectedStatus) {
			const path = testInfo.outputPath('server.log');
			writeFileSync(path, server.log());
			await testInfo.attach('server log', { path, contentType: 'text/plain' });
		}
	});

	test.afterAll(async () => {
		await server?.stop();
		await database?.drop();
	});

	const clientId = randomUUID();
	/** Every job the phone created, as its outbox holds them until they are applied. */
	const outbox: unknown[] = [];

	function call(procedure: 'sync.push' | 'sync.pull', input: unknown) {
		return fetch(`${server.url}/api/trpc/${procedure}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: database.technicianCookie },
			body: JSON.stringify({ json: input })
		});
	}

	/** Sends a new job; `everything` re-sends the whole outbox, as the phone does after a failure. */
	function push(everything = false) {
		const id = outbox.length + 1;
		outbox.push({
			id,
			name: 'job.create',
			args: {
				id: randomUUID(),
				jobNo: `OUT-${id}`,
				reportedAt: new Date().toISOString(),
				// What a technician's job must name, or the server refuses it (job-completeness.ts).
				customerName: '王女士',
				productModel: 'KFR-35GW',
				faultDescription: '不制冷'
			},
			madeAt: new Date().toISOString()
		});
		return call('sync.push', { clientId, mutations: everything ? outbox : outbox.slice(-1) });
	}

	const pull = () => call('sync.pull', { clientId, cursor: null });

	test('requests in flight get a retryable 503, the process lives on, later requests succeed', async () => {
		expect((await push()).status).toBe(200);

		const admin = postgres(SERVER_URL!.replace(/\/[^/]*$/, `/${database.name}`), {
			max: 2,
			onnotice: () => {}
		});
		try {
			// Hold the phone's sync client row: the next pushes wait for it inside the server's
			// transactions, so they are certainly in flight when the connections are cut.
			const holder = await admin.reserve();
			await holder`begin`;
			await holder`select 1 from sync_clients where id = ${clientId} for update`;

			const inFlight = [push(), push(), push(), pull(), pull()].map((answer) =>
				answer.then(async (response) => ({
					status: response.status,
					retryAfter: response.headers.get('retry-after'),
					body: await response.json()
				}))
			);
			await expect
				.poll(
					async () =>
						(
							await admin`select count(*)::int as waiting from pg_stat_activity
							where datname = ${database.name} and application_name = 'repairscore'
							and wait_event_type = 'Lock'`
						)[0].waiting,
					{ timeout: 20_000 }
				)
				.toBeGreaterThanOrEqual(3);

			const cut = await admin`select count(*)::int as cut from (
				select pg_terminate_backend(pid) from pg_stat_activity
				where datname = ${database.name} and application_name = 'repairscore') terminated`;
			expect(cut[0].cut).toBeGreaterThanOrEqual(3);
			await holder`rollback`;
			holder.release();

			const answers = await Promise.all(inFlight);
			const refused = answers.filter((answer) => answer.status !== 200);
			expect(refused.length).toBeGreaterThanOrEqual(3);
			for (const answer of refused) {
				expect(answer.status).toBe(503);
				expect(answer.retryAfter).toMatch(/^\d+$/);
				expect(answer.body.error.json.data.code).toBe('SERVICE_UNAVAILABLE');
				// No SQL, driver or file detail in what the phone receives.
				expect(JSON.stringify(answer.body)).not.toMatch(/terminat|select|insert|\.ts|\.js|at /i);
			}

			// Cut again, several times, while pulls and pushes keep arriving: the connections die
			// at every stage of their queries, and none of it may bring the process down.
			for (let round = 0; round < 5; round++) {
				const storm = Array.from({ length: 30 }, (_, i) => (i % 2 ? pull() : push()));
				await new Promise((resolve) => setTimeout(resolve, 20 * round));
				await admin`select pg_terminate_backend(pid) from pg_stat_activity
					where datname = ${database.name} and application_name = 'repairscore'`;
				for (const response of await Promise.all(storm)) {
					expect([200, 503]).toContain(response.status);
				}
			}
		} finally {
			await admin.end();
		}

		expect(server.child.exitCode).toBeNull();
		// Reconnected: the outbox sent again is applied whole, and every job is pulled back.
		await expect.poll(async () => (await push(true)).status, { timeout: 20_000 }).toBe(200);
		const pushed = await (await push(true)).json();
		expect(pushed.result.data.json.lastMutationId).toBe(outbox.length);
		for (const result of pushed.result.data.json.results)
			expect(result.status).not.toBe('rejected');
		const answer = await (await pull()).json();
		expect(answer.result.data.json.changes.jobs).toHaveLength(outbox.length);
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		expect(server.log()).toMatch(/RepairScore error [0-9a-f]{8} \(database unavailable\)/);
	});
});
