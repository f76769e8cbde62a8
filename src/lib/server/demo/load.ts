/**
 * Puts the demo station into a database: on first start of an empty database, or on
 * request to rebuild it. Rows go in with one INSERT ... SELECT per table from a JSON
 * parameter, inside one transaction, so a failed load leaves nothing behind.
 */
import { count, eq, sql } from 'drizzle-orm';
import { hashPassword } from '../auth/password';
import type { Database, Queryable } from '../db';
import { bulkInsert } from '../db/bulk';
import {
	faultCategories,
	followUps,
	jobParts,
	jobs,
	parts,
	stations,
	surveyAnswers,
	users
} from '../db/schema';
import { insertFirstSettingsVersion } from '../stations/settings/versions';
import { DEMO_STATION } from './catalog';
import { generateDemo, type DemoData } from './generate';
import { demoPasswords } from './passwords';
import { refreshStation } from '../kpi/fact-refresh';

/** The seed of the demo everyone sees; any other seed gives another, equally valid history. */
const DEMO_SEED = 20_260_523;

interface DemoLoadOptions {
	/** The end of the history; default: the current time. */
	now?: Date;
	seed?: number;
	/** One password for every account (the end-to-end tests' DEMO_PASSWORD); default: a random one each. */
	password?: string;
}

export interface DemoCounts {
	users: number;
	categories: number;
	parts: number;
	jobs: number;
	jobParts: number;
	followUps: number;
	surveyAnswers: number;
}

export interface DemoLoadResult {
	stationId: string;
	counts: DemoCounts;
	/** Login → password, to be shown once: the database keeps only their hashes. */
	passwords: ReadonlyMap<string, string>;
	/** Milliseconds spent in each step, for the seed script's report. */
	timings: { generate: number; hashPasswords: number; insert: number };
}

export type EnsureDemoResult = { created: false } | ({ created: true } & DemoLoadResult);

// Another server instance may be checking at the same moment; one waits for the other.
const DEMO_LOCK_KEY = 7_310_551_002;

/** Creates the demo station when the database has no station at all; otherwise does nothing. */
export async function ensureDemoStation(
	db: Database,
	options: DemoLoadOptions = {}
): Promise<EnsureDemoResult> {
	if (await hasAnyStation(db)) return { created: false };
	const prepared = await prepareDemo(options);
	const inserted = await db.transaction(async (tx) => {
		await tx.execute(sql`SELECT pg_advisory_xact_lock(${DEMO_LOCK_KEY})`);
		if (await hasAnyStation(tx)) return false;
		await insertDemo(tx, prepared);
		return true;
	});
	if (!inserted) return { created: false };
	// Its KPI facts with it, as a write's own request refreshes (kpi/fact-refresh.ts): the
	// demo's first scorecard then shows its history, not an "as of" of an empty station.
	await refreshStation(db, prepared.data.station.id);
	return { created: true, ...finish(prepared) };
}

/**
 * Deletes station DEMO with everything in it (the foreign keys cascade) and builds it
 * afresh. Other stations are left alone.
 */
export async function resetDemoStation(
	db: Database,
	options: DemoLoadOptions = {}
): Promise<DemoLoadResult & { replaced: boolean }> {
	const prepared = await prepareDemo(options);
	const replaced = await db.transaction(async (tx) => {
		await tx.execute(sql`SELECT pg_advisory_xact_lock(${DEMO_LOCK_KEY})`);
		const deleted = await tx
			.delete(stations)
			.where(eq(stations.code, DEMO_STATION.code))
			.returning({ id: stations.id });
		await insertDemo(tx, prepared);
		return deleted.length > 0;
	});
	await refreshStation(db, prepared.data.station.id);
	return { replaced, ...finish(prepared) };
}

interface PreparedDemo {
	data: DemoData;
	/** Login → the password made for it. */
	passwords: Map<string, string>;
	/** One argon2 hash per user id, each with its own salt. */
	passwordHashes: Map<string, string>;
	timings: DemoLoadResult['timings'];
}

/** The slow parts that need no database: generating rows and hashing passwords. */
async function prepareDemo(options: DemoLoadOptions): Promise<PreparedDemo> {
	const started = performance.now();
	const data = generateDemo({ now: options.now ?? new Date(), seed: options.seed ?? DEMO_SEED });
	const generated = performance.now();
	const passwords = demoPasswords(data.users, options.password);
	const hashes = await Promise.all(
		data.users.map((user) => hashPassword(passwords.get(user.login) as string))
	);
	const hashed = performance.now();
	return {
		data,
		passwords,
		passwordHashes: new Map(data.users.map((user, i) => [user.id, hashes[i]])),
		timings: { generate: generated - started, hashPasswords: hashed - generated, insert: 0 }
	};
}

async function insertDemo(db: Queryable, prepared: PreparedDemo): Promise<void> {
	const started = performance.now();
	const { data, passwordHashes } = prepared;
	const stationId = data.station.id;
	await bulkInsert(db, stations, [data.station]);
	await insertFirstSettingsVersion(db, stationId);
	await bulkInsert(
		db,
		users,
		data.users.map((user) => ({
			...user,
			stationId,
			passwordHash: passwordHashes.get(user.id) ?? null
		}))
	);
	await bulkInsert(
		db,
		faultCategories,
		data.categories.map((category) => ({ ...category, stationId }))
	);
	await bulkInsert(
		db,
		parts,
		data.parts.map((part) => ({ ...part, stationId }))
	);
	await bulkInsert(
		db,
		jobs,
		data.jobs.map((job) => ({ ...job, stationId }))
	);
	await bulkInsert(
		db,
		jobParts,
		data.jobParts.map((line) => ({ ...line, stationId }))
	);
	await bulkInsert(
		db,
		followUps,
		data.followUps.map((followUp) => ({ ...followUp, stationId }))
	);
	await bulkInsert(
		db,
		surveyAnswers,
		data.surveyAnswers.map((answer) => ({ ...answer, stationId }))
	);
	// PGlite runs no autovacuum, so without this the planner would never learn the tables
	// grew from empty to thousands of rows (a rework self-join went from 3 s to 80 ms).
	await db.execute(
		sql`ANALYZE stations, users, fault_categories, parts, jobs, job_parts, follow_ups, survey_answers`
	);
	prepared.timings.insert = performance.now() - started;
}

function finish(prepared: PreparedDemo): DemoLoadResult {
	const { data, timings, passwords } = prepared;
	return {
		stationId: data.station.id,
		passwords,
		counts: {
			users: data.users.length,
			categories: data.categories.length,
			parts: data.parts.length,
			jobs: data.jobs.length,
			jobParts: data.jobParts.length,
			followUps: data.followUps.length,
			surveyAnswers: data.surveyAnswers.length
		},
		timings
	};
}

async function hasAnyStation(db: Queryable): Promise<boolean> {
	const [row] = await db.select({ stations: count() }).from(stations);
	return row.stations > 0;
}
