/**
 * The one place that decides which database RepairScore talks to.
 *
 * - `DATABASE_URL` set: a real PostgreSQL server through postgres.js; `DATABASE_POOLING=transaction`
 *   when that URL is a pooler in transaction mode (PgBouncer): no prepared statements and no
 *   session state (docs/scaling.md).
 * - unset: embedded PGlite (the same Postgres, compiled to WASM) with its files in
 *   `PGLITE_DIR` (default `./data/pglite`).
 *
 * The server, every CLI and the tests open databases through `openDatabase`, and every
 * caller gets the same drizzle API and the same migrations whichever engine is behind it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { logicStatements } from './logic';
import { queryRows } from './rows';
import * as schema from './schema';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Anything that can run queries: the database or a transaction inside it. */
export type Queryable = Database | Transaction;

export interface DatabaseHandle {
	db: Database;
	kind: 'postgres' | 'pglite';
	target: DatabaseTarget;
	/** Where the data lives, for messages: the URL without its password, or the folder. */
	location: string;
	close(): Promise<void>;
}

export type DatabaseTarget =
	| {
			kind: 'postgres';
			url: string;
			maxConnections?: number;
			/**
			 * The URL is a pooler in transaction mode (PgBouncer `pool_mode = transaction`): each
			 * transaction may run on another server connection, so nothing may outlive one.
			 */
			transactionPooling?: boolean;
	  }
	| { kind: 'pglite'; dir: string | null };

/** The target named by the environment: `DATABASE_URL`, else `PGLITE_DIR` or ./data/pglite. */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
	if (env.DATABASE_URL) {
		return {
			kind: 'postgres',
			url: env.DATABASE_URL,
			transactionPooling: poolingOf(env.DATABASE_POOLING, 'DATABASE_POOLING')
		};
	}
	return { kind: 'pglite', dir: path.resolve(env.PGLITE_DIR || 'data/pglite') };
}

/**
 * The read replica named by `READ_DATABASE_URL` (a hot standby of DATABASE_URL's server, or a
 * pooler in front of one: `READ_DATABASE_POOLING=transaction`), or null: reads go to the primary.
 */
export function readTargetFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseTarget | null {
	if (!env.READ_DATABASE_URL) return null;
	if (!env.DATABASE_URL) {
		throw new Error('READ_DATABASE_URL names a replica of DATABASE_URL: set DATABASE_URL too.');
	}
	return {
		kind: 'postgres',
		url: env.READ_DATABASE_URL,
		transactionPooling: poolingOf(env.READ_DATABASE_POOLING, 'READ_DATABASE_POOLING')
	};
}

function poolingOf(value: string | undefined, name: string): boolean {
	if (!value || value === 'session') return false;
	if (value === 'transaction') return true;
	throw new Error(
		`${name} is "${value}": use "transaction" (PgBouncer's pool_mode) or leave it unset.`
	);
}

export function migrationsFolder(): string {
	return path.resolve(process.env.MIGRATIONS_DIR || 'drizzle');
}

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
	if (target.kind === 'postgres') {
		const { default: postgres } = await import('postgres');
		const { drizzle } = await import('drizzle-orm/postgres-js');
		const pooled = target.transactionPooling === true;
		const client = postgres(target.url, {
			max: target.maxConnections ?? 10,
			onnotice: () => {},
			// A named prepared statement lives on one server connection, which a transaction pooler
			// hands to another client after each transaction.
			prepare: !pooled,
			// numeric stays a string (exact money); timestamptz arrives as Date via drizzle.
			// JIT compiles the KPI statement with LLVM on every call (its estimated cost is far
			// above the threshold) and made the scorecard ~10x slower; see docs/kpi.md. PgBouncer
			// refuses a `jit` start-up parameter (it cannot carry it to its pooled connections):
			// behind one, set it on the role instead (docs/scaling.md).
			connection: pooled
				? { application_name: 'repairscore' }
				: { application_name: 'repairscore', jit: 'off' }
		});
		const db = drizzle(client, { schema }) as unknown as Database;
		return {
			db,
			kind: 'postgres',
			target,
			location: redactUrl(target.url),
			close: () => client.end({ timeout: 5 })
		};
	}

	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	let release = () => {};
	if (target.dir) {
		mkdirSync(target.dir, { recursive: true });
		release = lockDataDir(target.dir);
	}
	try {
		const client = target.dir ? await PGlite.create(target.dir) : await PGlite.create();
		const db = drizzle(client, { schema }) as unknown as Database;
		return {
			db,
			kind: 'pglite',
			target,
			location: target.dir ?? 'memory',
			close: async () => {
				await client.close();
				release();
			}
		};
	} catch (error) {
		release();
		throw error;
	}
}

/**
 * Applies pending migrations from drizzle/, then the current functions and triggers of
 * drizzle/sql/ (logic.ts). On a real server several instances may start at once, so they queue
 * on an advisory lock; the lock is the transaction's own and the whole upgrade one transaction,
 * because behind a transaction pooler a session-level lock would stay behind on a pooled server
 * connection and block the next instance for good.
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
	const migrationsDir = migrationsFolder();
	const logic = logicStatements(migrationsDir);
	if (handle.kind === 'pglite') {
		const { migrate } = await import('drizzle-orm/pglite/migrator');
		await migrate(handle.db as never, { migrationsFolder: migrationsDir });
		await handle.db.transaction(async (tx) => {
			for (const statement of logic) await tx.execute(sql.raw(statement));
		});
		return;
	}
	const { readMigrationFiles } = await import('drizzle-orm/migrator');
	const migrations = readMigrationFiles({ migrationsFolder: migrationsDir });
	await handle.db.transaction(async (tx) => {
		await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
		// Drizzle's own bookkeeping (drizzle-orm's migrator keeps the same table), so a database
		// migrated by either stays readable by both.
		await tx.execute(sql`CREATE SCHEMA IF NOT EXISTS drizzle`);
		await tx.execute(sql`
			CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (
				id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint
			)`);
		const [last] = await queryRows<{ created_at: string }>(
			tx,
			sql`SELECT created_at::text FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`
		);
		for (const migration of migrations) {
			if (last && Number(last.created_at) >= migration.folderMillis) continue;
			for (const statement of migration.sql) await tx.execute(sql.raw(statement));
			await tx.execute(
				sql`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (${migration.hash}, ${migration.folderMillis})`
			);
		}
		for (const statement of logic) await tx.execute(sql.raw(statement));
	});
}

/** Opens the database named by the environment and brings its schema up to date. */
export async function openMigratedDatabase(
	target: DatabaseTarget = targetFromEnv()
): Promise<DatabaseHandle> {
	const handle = await openDatabase(target);
	try {
		await migrateDatabase(handle);
	} catch (error) {
		await handle.close();
		throw error;
	}
	return handle;
}

const MIGRATION_LOCK_KEY = 7_310_551_001;

function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'postgres';
	}
}

/** The embedded database's folder is held by another live process (the server, usually). */
export class DataDirectoryInUse extends Error {
	constructor(
		readonly dir: string,
		readonly holder: number
	) {
		super(
			`The embedded database in ${dir} is in use by process ${holder} (the server?). ` +
				'Stop that process first, or set DATABASE_URL to use a PostgreSQL server that many processes can share.'
		);
		this.name = 'DataDirectoryInUse';
	}
}

/**
 * PGlite is a single-process database: two processes writing one folder corrupt it. A pid
 * file makes the second opener (a CLI while the server runs, say) stop with a clear message.
 */
function lockDataDir(dir: string): () => void {
	const lockFile = path.join(dir, 'repairscore.pid');
	let holder: number | null = null;
	try {
		holder = Number(readFileSync(lockFile, 'utf8').trim()) || null;
	} catch {
		holder = null;
	}
	if (holder && holder !== process.pid && processIsAlive(holder)) {
		throw new DataDirectoryInUse(dir, holder);
	}
	writeFileSync(lockFile, String(process.pid));
	return () => {
		try {
			if (readFileSync(lockFile, 'utf8').trim() === String(process.pid)) rmSync(lockFile);
		} catch {
			// Already gone: nothing to release.
		}
	};
}

function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export { schema };
