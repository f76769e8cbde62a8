/**
 * Many instances, PgBouncer and a read replica, proven on real servers (docs/scaling.md): two
 * instances (two connection pools, one of them through PgBouncer in transaction pooling mode)
 * on one database: both migrate at once, a user signs in on one and syncs on the other, both
 * run maintenance at once without doing its work twice; and a hot-standby replica serves the
 * board with what the primary wrote once replayed, refuses writes, and says how far behind it is.
 *
 * Needs the servers of scripts/test-infra.sh (run by `npm test` and .ci/run): without them the
 * suite fails with the command that makes them. Runs only with TEST_DATABASE_URL, as every
 * real-Postgres suite.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password';
import { validateSessionToken } from '../auth/sessions';
import { signIn } from '../auth/sign-in';
import { runMaintenance } from '../maintenance';
import { TestDevice } from '../sync/testing';
import { createStation, createUser } from '../testing/fixtures';
import { createCallerFactory, router } from '../trpc/core';
import { boardRouter } from '../trpc/routers/board';
import { migrateDatabase, openDatabase, type Database, type DatabaseHandle } from './index';
import { onReadReplica, replicaLagSeconds } from './read-replica';
import { queryRows } from './rows';
import { jobs, syncTombstones } from './schema';

const serverUrl = process.env.TEST_DATABASE_URL;
const SETUP = 'sudo bash scripts/test-infra.sh';

function sibling(port: string, database: string): string {
	const url = new URL(serverUrl!);
	url.port = port;
	url.pathname = `/${database}`;
	return url.toString();
}

function answers(url: string): Promise<boolean> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve) => {
		const socket = net.connect({ host: hostname, port: Number(port) });
		socket.setTimeout(2000);
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('timeout', () => (socket.destroy(), resolve(false)));
		socket.once('error', () => resolve(false));
	});
}

const createCaller = createCallerFactory(router({ board: boardRouter }));

/** A database handle whose every use fails: proves a read never reached the primary. */
const unusedPrimary = new Proxy({} as Database, {
	get() {
		throw new Error('the primary was asked for a read the replica should have served');
	}
});

describe.skipIf(!serverUrl)('many instances, PgBouncer and a read replica (real servers)', () => {
	const name = `rs_scale_${randomBytes(6).toString('hex')}`;
	const bouncerPort = process.env.TEST_PGBOUNCER_PORT || '6432';
	const replicaPort = process.env.TEST_REPLICA_PORT || '5433';
	let direct: DatabaseHandle;
	let pooled: DatabaseHandle;
	let replica: DatabaseHandle;

	beforeAll(async () => {
		const primaryUrl = sibling(new URL(serverUrl!).port || '5432', name);
		const bouncerUrl = sibling(bouncerPort, name);
		const replicaUrl = sibling(replicaPort, name);
		for (const [what, url] of [
			['PgBouncer', bouncerUrl],
			['the hot-standby replica', replicaUrl]
		]) {
			if (!(await answers(url))) {
				throw new Error(`${what} does not answer at ${new URL(url).host}. Run:  ${SETUP}`);
			}
		}
		const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
		try {
			await admin.unsafe(`create database ${name}`);
		} finally {
			await admin.end();
		}
		direct = await openDatabase({ kind: 'postgres', url: primaryUrl, maxConnections: 4 });
		pooled = await openDatabase({
			kind: 'postgres',
			url: bouncerUrl,
			maxConnections: 4,
			transactionPooling: true
		});
		replica = await openDatabase({ kind: 'postgres', url: replicaUrl, maxConnections: 2 });
	});

	afterAll(async () => {
		await Promise.all([direct?.close(), pooled?.close(), replica?.close()]);
		const dropper = postgres(serverUrl!, { max: 1, onnotice: () => {} });
		try {
			await dropper.unsafe(`drop database if exists ${name} with (force)`);
		} finally {
			await dropper.end();
		}
	});

	it('two instances migrate at once, one through PgBouncer, and leave no lock behind', async () => {
		await Promise.all([migrateDatabase(direct), migrateDatabase(pooled)]);
		// A session-level lock taken through the pooler would stay on a pooled server connection:
		// the next instance to start would wait on it for good.
		await migrateDatabase(pooled);
		await migrateDatabase(direct);
		const [locks] = await queryRows<{ held: number }>(
			direct.db,
			sql`SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory'
				AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`
		);
		expect(locks.held).toBe(0);
	});

	it('signs in on one instance and syncs on the other, through PgBouncer', async () => {
		const station = await createStation(direct.db, 'SCALE');
		await createUser(direct.db, station, 'lin', 'technician', await hashPassword('lin pw 1'));

		const signedIn = await signIn(direct.db, { login: 'lin', password: 'lin pw 1' });
		if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.reason}`);
		const session = await validateSessionToken(pooled.db, signedIn.token);
		expect(session?.user.login).toBe('lin');

		const phone = new TestDevice(pooled.db, session!.user);
		const jobId = randomUUID();
		const pushed = await phone.send('job.create', {
			id: jobId,
			jobNo: 'SC-1',
			reportedAt: new Date()
		});
		expect(pushed.status).toBe('applied');
		await phone.pull();
		expect(phone.rows.jobs.has(jobId)).toBe(true);
		// Again from its cursor, now that the pooler may hand it another server connection (a row
		// may come twice by design, docs/sync.md; it must not reset the device).
		expect((await phone.pull()).reset).toBe(false);
		expect(phone.rows.jobs.has(jobId)).toBe(true);

		const otherPhone = new TestDevice(direct.db, session!.user);
		await otherPhone.pull();
		expect(otherPhone.rows.jobs.get(jobId)).toMatchObject({ jobNo: 'SC-1' });

		// And the other way round: sign-in through the pooler.
		expect(await signIn(pooled.db, { login: 'lin', password: 'lin pw 1' })).toMatchObject({
			ok: true
		});
	});

	it('runs maintenance on both instances at once without doing its work twice', async () => {
		const [station] = await queryRows<{ id: string }>(
			direct.db,
			sql`SELECT id::text FROM stations WHERE code = 'SCALE'`
		);
		const old = new Date(Date.now() - 365 * 86_400_000);
		await direct.db.insert(syncTombstones).values(
			Array.from({ length: 6 }, () => ({
				stationId: station.id,
				tableName: 'jobs' as const,
				rowId: randomUUID(),
				deletedAt: old
			}))
		);
		const reports = await Promise.all([runMaintenance(direct.db), runMaintenance(pooled.db)]);
		expect(reports.map((report) => report.tombstonesPruned).sort()).toEqual([0, 6]);
		const [stale] = await queryRows<{ left: number }>(
			direct.db,
			sql`SELECT count(*)::int AS left FROM job_kpi_stale`
		);
		expect(stale.left).toBe(0);
	});

	it('serves the board from the replica once it has replayed the primary’s write, and refuses writes there', async () => {
		const station = await createStation(direct.db, 'REPL');
		const boss = await createUser(direct.db, station, 'zhou', 'supervisor');
		const tech = await createUser(direct.db, station, 'wu');
		const jobId = randomUUID();
		const pushed = await new TestDevice(direct.db, tech).send('job.create', {
			id: jobId,
			jobNo: 'RP-1',
			reportedAt: new Date()
		});
		expect(pushed.status).toBe('applied');

		const [{ lsn }] = await queryRows<{ lsn: string }>(
			direct.db,
			sql`SELECT pg_current_wal_lsn()::text AS lsn`
		);
		await expect
			.poll(
				async () =>
					(
						await queryRows<{ replayed: boolean }>(
							replica.db,
							sql`SELECT pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn AS replayed`
						)
					)[0].replayed,
				{ timeout: 20_000, interval: 100 }
			)
			.toBe(true);

		const board = await createCaller({
			db: unusedPrimary,
			readDb: replica.db,
			user: boss
		}).board.openJobs({});
		expect(JSON.stringify(board)).toContain('RP-1');

		await expect(
			replica.db.update(jobs).set({ customerName: 'x' }).where(eq(jobs.id, jobId))
		).rejects.toMatchObject({ cause: { code: '25006' } });
		// A read that writes on the way (a KPI refresh, today) is answered by the primary.
		const written = await onReadReplica({ db: direct.db, readDb: replica.db }, (db) =>
			queryRows<{ one: number }>(
				db,
				sql`UPDATE stations SET name = name WHERE id = ${station.id}::uuid RETURNING 1 AS one`
			)
		);
		expect(written).toEqual([{ one: 1 }]);

		const lag = await replicaLagSeconds(replica.db);
		expect(lag).toBeGreaterThanOrEqual(0);
		expect(lag).toBeLessThan(60);
		expect(await replicaLagSeconds(direct.db)).toBeNull();
	});
});
