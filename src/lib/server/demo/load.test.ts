import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/password';
import type { Database, DatabaseHandle } from '../db';
import { queryRows } from '../db/rows';
import { sessions } from '../db/schema';
import { testEngines } from '../testing/databases';
import { createStation, createUser } from '../testing/fixtures';
import { passwordProblem } from '../auth/password-policy';
import { DEMO_ACCOUNTS } from './catalog';
import { ensureDemoStation, resetDemoStation, type EnsureDemoResult } from './load';

const NOW = new Date('2026-11-20T06:30:00Z');
const SEED = 11;

interface TableCounts {
	stations: number;
	users: number;
	categories: number;
	parts: number;
	jobs: number;
	job_parts: number;
	follow_ups: number;
}

async function demoCounts(db: Database): Promise<TableCounts> {
	const [counts] = await queryRows<TableCounts>(
		db,
		sql`
			WITH demo AS (SELECT id FROM stations WHERE code = 'DEMO')
			SELECT
				(SELECT count(*) FROM demo)::int AS stations,
				(SELECT count(*) FROM users WHERE station_id IN (SELECT id FROM demo))::int AS users,
				(SELECT count(*) FROM fault_categories WHERE station_id IN (SELECT id FROM demo))::int
					AS categories,
				(SELECT count(*) FROM parts WHERE station_id IN (SELECT id FROM demo))::int AS parts,
				(SELECT count(*) FROM jobs WHERE station_id IN (SELECT id FROM demo))::int AS jobs,
				(SELECT count(*) FROM job_parts WHERE station_id IN (SELECT id FROM demo))::int
					AS job_parts,
				(SELECT count(*) FROM follow_ups WHERE station_id IN (SELECT id FROM demo))::int
					AS follow_ups
		`
	);
	return counts;
}

/** One number from a query over the demo station's rows (`demo` names the station). */
async function scalar(db: Database, query: ReturnType<typeof sql>): Promise<number> {
	const [row] = await queryRows<{ value: number }>(
		db,
		sql`WITH demo AS (SELECT id FROM stations WHERE code = 'DEMO') SELECT (${query})::float8 AS value`
	);
	return row.value;
}

/** kpi.md's data-quality flags of a completed job `j`. */
const FLAGS = {
	missingArrival: sql`j.arrived_at IS NULL`,
	missingStart: sql`j.started_at IS NULL`,
	outOfOrder: sql`(j.arrived_at < j.reported_at
		OR j.started_at < coalesce(j.arrived_at, j.reported_at)
		OR j.completed_at < coalesce(j.started_at, j.arrived_at, j.reported_at))`,
	longRepair: sql`j.completed_at - j.started_at > interval '720 minutes'`
};

/**
 * Repairs with both times in order and no forgotten closing: their minutes against the
 * standard show a technician's pace, which the duration index blurs with long repairs.
 */
const REGULAR_REPAIR = sql`j.completed_at >= j.started_at
	AND j.completed_at - j.started_at <= interval '720 minutes'`;

for (const engine of testEngines()) {
	describe(`demo station on ${engine.name}`, () => {
		let handle: DatabaseHandle;
		let db: Database;
		let first: EnsureDemoResult;

		beforeAll(async () => {
			handle = await engine.open();
			db = handle.db;
			first = await ensureDemoStation(db, { now: NOW, seed: SEED });
		});

		afterAll(async () => {
			await handle?.close();
		});

		it('is created on an empty database, with what its counts say', async () => {
			expect(first.created).toBe(true);
			if (!first.created) return;
			const [station] = await queryRows<{ name: string; time_zone: string }>(
				db,
				sql`SELECT name, time_zone FROM stations WHERE code = 'DEMO'`
			);
			expect(station).toEqual({ name: '示范服务站', time_zone: 'Asia/Shanghai' });
			expect(await demoCounts(db)).toEqual({
				stations: 1,
				users: first.counts.users,
				categories: first.counts.categories,
				parts: 40,
				jobs: first.counts.jobs,
				job_parts: first.counts.jobParts,
				follow_ups: first.counts.followUps
			});
		});

		it('has an admin, a supervisor, a desk and eight technicians, each with a random password of its own', async () => {
			const roles = await queryRows<{ role: string; accounts: number; with_password: number }>(
				db,
				sql`
					SELECT u.role::text AS role, count(*)::int AS accounts,
						count(u.password_hash)::int AS with_password
					FROM users u JOIN stations s ON s.id = u.station_id
					WHERE s.code = 'DEMO' GROUP BY u.role ORDER BY u.role::text
				`
			);
			expect(roles).toEqual([
				{ role: 'admin', accounts: 1, with_password: 1 },
				{ role: 'dispatcher', accounts: 1, with_password: 1 },
				{ role: 'supervisor', accounts: 1, with_password: 1 },
				{ role: 'technician', accounts: 8, with_password: 8 }
			]);
			if (!first.created) throw new Error('the demo was not created');
			const passwords = first.passwords;
			expect([...passwords.keys()].sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.login).sort());
			expect(new Set(passwords.values()).size).toBe(DEMO_ACCOUNTS.length);
			for (const account of DEMO_ACCOUNTS) {
				const password = passwords.get(account.login) as string;
				expect(password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
				expect(passwordProblem(password, account)).toBeNull();
			}
			const hashes = await queryRows<{ login: string; password_hash: string }>(
				db,
				sql`SELECT login, password_hash FROM users WHERE login IN ('supervisor', 'zhangwei')`
			);
			// The bulk insert names its columns: every account still gets its own local data key.
			const keys = await queryRows<{ keys: number; well_formed: number }>(
				db,
				sql`SELECT count(DISTINCT local_data_key)::int AS keys,
					count(*) FILTER (WHERE local_data_key ~ '^[0-9a-f]{64}$')::int AS well_formed
					FROM users u JOIN stations s ON s.id = u.station_id WHERE s.code = 'DEMO'`
			);
			expect(keys).toEqual([{ keys: 11, well_formed: 11 }]);
			expect(hashes).toHaveLength(2);
			for (const { login, password_hash } of hashes) {
				expect(password_hash).toMatch(/^\$argon2id\$/);
				expect(await verifyPassword(password_hash, passwords.get(login) as string)).toBe(true);
				expect(await verifyPassword(password_hash, 'demo1234')).toBe(false);
			}
		});

		it('gives every account one password when asked (DEMO_PASSWORD of the e2e tests), if strong', async () => {
			const shared = 'e2e-Zq8vK3mW9pLx';
			const rebuilt = await resetDemoStation(db, { now: NOW, seed: SEED, password: shared });
			expect(new Set(rebuilt.passwords.values())).toEqual(new Set([shared]));
			const [row] = await queryRows<{ password_hash: string }>(
				db,
				sql`SELECT password_hash FROM users WHERE login = 'lina'`
			);
			expect(await verifyPassword(row.password_hash, shared)).toBe(true);
			await expect(
				resetDemoStation(db, { now: NOW, seed: SEED, password: 'demo1234' })
			).rejects.toThrow(/DEMO_PASSWORD is refused/);
		});

		it('holds about 2,000 jobs over six months up to now', async () => {
			const jobs = await scalar(
				db,
				sql`SELECT count(*) FROM jobs WHERE station_id IN (SELECT id FROM demo)`
			);
			expect(jobs).toBeGreaterThan(1800);
			expect(jobs).toBeLessThan(2300);
			const spanDays = await scalar(
				db,
				sql`SELECT extract(epoch FROM max(reported_at) - min(reported_at)) / 86400
					FROM jobs WHERE station_id IN (SELECT id FROM demo)`
			);
			expect(spanDays).toBeGreaterThan(179);
			expect(spanDays).toBeLessThan(182);
			const future = await scalar(
				db,
				sql`SELECT count(*) FROM jobs WHERE greatest(reported_at, arrived_at, started_at,
					completed_at, verified_at) > ${NOW.toISOString()}::timestamptz`
			);
			expect(future).toBe(0);
		});

		it('contains reworks linked to the earlier job and reworks found by a differently typed serial', async () => {
			const linked = await scalar(
				db,
				sql`SELECT count(*) FROM jobs r JOIN jobs j
					ON j.station_id = r.station_id AND j.id = r.previous_job_id
					WHERE r.station_id IN (SELECT id FROM demo) AND j.completed_at < r.reported_at`
			);
			expect(linked).toBeGreaterThan(50);
			// kpi.md's serial rule, where the later job has no link and its serial is typed differently.
			const bySerialVariant = await scalar(
				db,
				sql`SELECT count(*) FROM jobs r JOIN jobs j
					ON j.station_id = r.station_id AND j.device_serial_key = r.device_serial_key
					WHERE r.station_id IN (SELECT id FROM demo)
						AND j.device_serial_key <> '' AND r.status <> 'cancelled' AND j.status = 'completed'
						AND r.previous_job_id IS NULL AND r.device_serial <> j.device_serial
						AND r.reported_at > j.completed_at
						AND r.reported_at <= j.completed_at + interval '30 days'`
			);
			expect(bySerialVariant).toBeGreaterThan(5);
			const paddedOrLowerCase = await scalar(
				db,
				sql`SELECT count(*) FROM jobs WHERE station_id IN (SELECT id FROM demo)
					AND (device_serial <> upper(device_serial) OR device_serial <> btrim(device_serial))`
			);
			expect(paddedOrLowerCase).toBeGreaterThan(5);
		});

		it('has follow-ups of every kind, several for some jobs and none for others', async () => {
			const [facts] = await queryRows<{
				unresolved: number;
				satisfactions: number[];
				channels: string[];
				jobs_with_several: number;
				completed_without: number;
			}>(
				db,
				sql`
					WITH demo AS (SELECT id FROM stations WHERE code = 'DEMO'),
					per_job AS (
						SELECT j.id, count(f.id) AS follow_ups FROM jobs j
						LEFT JOIN follow_ups f ON f.station_id = j.station_id AND f.job_id = j.id
						WHERE j.station_id IN (SELECT id FROM demo) AND j.status = 'completed'
						GROUP BY j.id
					)
					SELECT
						(SELECT count(*) FROM follow_ups WHERE station_id IN (SELECT id FROM demo)
							AND issue_resolved = false)::int AS unresolved,
						(SELECT array_agg(DISTINCT satisfaction ORDER BY satisfaction)::int[] FROM follow_ups
							WHERE station_id IN (SELECT id FROM demo) AND satisfaction IS NOT NULL) AS satisfactions,
						(SELECT array_agg(DISTINCT channel::text ORDER BY channel::text) FROM follow_ups
							WHERE station_id IN (SELECT id FROM demo)) AS channels,
						(SELECT count(*) FROM per_job WHERE follow_ups >= 2)::int AS jobs_with_several,
						(SELECT count(*) FROM per_job WHERE follow_ups = 0)::int AS completed_without
				`
			);
			expect(facts.unresolved).toBeGreaterThan(20);
			expect(facts.satisfactions).toEqual([1, 2, 3, 4, 5]);
			expect(facts.channels).toEqual(['onsite', 'other', 'phone', 'sms']);
			expect(facts.jobs_with_several).toBeGreaterThan(20);
			expect(facts.completed_without).toBeGreaterThan(50);
			const recentFollowedUpShare = await scalar(
				db,
				sql`SELECT avg((EXISTS (SELECT 1 FROM follow_ups f
						WHERE f.station_id = j.station_id AND f.job_id = j.id))::int)
					FROM jobs j WHERE j.station_id IN (SELECT id FROM demo) AND j.status = 'completed'
						AND j.completed_at > ${NOW.toISOString()}::timestamptz - interval '2 days'`
			);
			expect(recentFollowedUpShare).toBeLessThan(0.5);
		});

		it('has open, in-progress and cancelled jobs, and each data-quality problem', async () => {
			const statuses = await queryRows<{ status: string; jobs: number; oldest_days: number }>(
				db,
				sql`SELECT status::text AS status, count(*)::int AS jobs,
						(extract(epoch FROM ${NOW.toISOString()}::timestamptz - min(reported_at)) / 86400)::float8
							AS oldest_days
					FROM jobs WHERE station_id IN (SELECT id FROM stations WHERE code = 'DEMO')
					GROUP BY status ORDER BY status::text`
			);
			const byStatus = Object.fromEntries(statuses.map((s) => [s.status, s]));
			expect(byStatus.open.jobs).toBeGreaterThan(0);
			expect(byStatus.in_progress.jobs).toBeGreaterThan(0);
			expect(byStatus.open.oldest_days).toBeLessThan(7);
			expect(byStatus.in_progress.oldest_days).toBeLessThan(7);
			expect(byStatus.cancelled.jobs).toBeGreaterThan(10);
			expect(byStatus.cancelled.jobs).toBeLessThan(byStatus.completed.jobs / 20);

			for (const [flag, condition] of Object.entries(FLAGS)) {
				const flagged = await scalar(
					db,
					sql`SELECT count(*) FROM jobs j
						WHERE j.station_id IN (SELECT id FROM demo) AND j.status = 'completed' AND ${condition}`
				);
				expect(flagged, flag).toBeGreaterThan(0);
				expect(flagged, flag).toBeLessThan(60);
			}
		});

		it('makes technicians differ in the facts behind their KPIs', async () => {
			const rows = await queryRows<{
				login: string;
				jobs: number;
				fixed_share: number;
				response_hours: number;
				pace: number;
				flagged_share: number;
			}>(
				db,
				sql`
					SELECT u.login, count(*)::int AS jobs,
						avg((j.outcome = 'fixed')::int)::float8 AS fixed_share,
						(avg(extract(epoch FROM j.arrived_at - j.reported_at) / 3600)
							FILTER (WHERE j.arrived_at >= j.reported_at))::float8 AS response_hours,
						(sum(extract(epoch FROM j.completed_at - j.started_at) / 60) FILTER (WHERE ${REGULAR_REPAIR})
						/ sum(c.standard_minutes) FILTER (WHERE ${REGULAR_REPAIR}))::float8 AS pace,
						avg((${FLAGS.missingArrival} OR ${FLAGS.missingStart} OR ${FLAGS.outOfOrder}
							OR coalesce(${FLAGS.longRepair}, false))::int)::float8 AS flagged_share
					FROM jobs j
					JOIN users u ON u.station_id = j.station_id AND u.id = j.technician_id
					JOIN fault_categories c ON c.station_id = j.station_id AND c.id = j.fault_category_id
					WHERE j.station_id IN (SELECT id FROM stations WHERE code = 'DEMO')
						AND j.status = 'completed'
					GROUP BY u.login
				`
			);
			const of = Object.fromEntries(rows.map((r) => [r.login, r]));
			expect(rows).toHaveLength(8);
			// The newcomer joined six weeks ago; the others worked the whole period.
			expect(of.zhaomin.jobs).toBeLessThan(100);
			for (const row of rows.filter((r) => r.login !== 'zhaomin')) {
				expect(row.jobs, row.login).toBeGreaterThan(150);
			}
			expect(of.zhangwei.fixed_share).toBeGreaterThan(of.wangqiang.fixed_share);
			expect(of.chenjing.response_hours).toBeLessThan(of.yanglei.response_hours);
			expect(of.yanglei.response_hours).toBeGreaterThan(12);
			expect(of.wangqiang.pace).toBeLessThan(of.lina.pace);
			const sloppiest = [...rows].sort((a, b) => b.flagged_share - a.flagged_share)[0];
			expect(sloppiest.login).toBe('huangtao');
		});

		it('keeps part costs as they were when used, and never more than three lines per job', async () => {
			const maxLines = await scalar(
				db,
				sql`SELECT max(lines) FROM (SELECT count(*) AS lines FROM job_parts
					WHERE station_id IN (SELECT id FROM demo) GROUP BY job_id) per_job`
			);
			expect(maxLines).toBe(3);
			const cheaperBefore = await scalar(
				db,
				sql`SELECT count(*) FROM job_parts l
					JOIN parts p ON p.station_id = l.station_id AND p.id = l.part_id
					WHERE l.station_id IN (SELECT id FROM demo) AND l.unit_cost < p.unit_cost
						AND l.created_at < ${NOW.toISOString()}::timestamptz - interval '60 days'`
			);
			expect(cheaperBefore).toBeGreaterThan(10);
			const cheaperRecently = await scalar(
				db,
				sql`SELECT count(*) FROM job_parts l
					JOIN parts p ON p.station_id = l.station_id AND p.id = l.part_id
					WHERE l.station_id IN (SELECT id FROM demo) AND l.unit_cost <> p.unit_cost
						AND l.created_at > ${NOW.toISOString()}::timestamptz - interval '60 days'`
			);
			expect(cheaperRecently).toBe(0);
		});

		it('ensure leaves a database that has stations alone', async () => {
			const before = await demoCounts(db);
			expect(await ensureDemoStation(db, { now: NOW, seed: SEED + 1 })).toEqual({ created: false });
			expect(await demoCounts(db)).toEqual(before);
		});

		it('reset rebuilds station DEMO to the same counts and leaves other stations alone', async () => {
			const before = await demoCounts(db);
			const other = await createStation(db, 'OTHER');
			await createUser(db, other, 'someone');
			const [supervisor] = await queryRows<{ station_id: string; id: string }>(
				db,
				sql`SELECT station_id::text, id::text FROM users WHERE login = 'supervisor'`
			);
			await db.insert(sessions).values({
				id: 'demo-session',
				stationId: supervisor.station_id,
				userId: supervisor.id,
				expiresAt: new Date(NOW.getTime() + 86_400_000)
			});

			const result = await resetDemoStation(db, { now: NOW, seed: SEED });
			expect(result.replaced).toBe(true);
			expect(await demoCounts(db)).toEqual(before);
			const remaining = await scalar(
				db,
				sql`SELECT count(*) FROM users u JOIN stations s ON s.id = u.station_id
					WHERE s.code = 'OTHER' AND u.login = 'someone'`
			);
			expect(remaining).toBe(1);
			const sessionsLeft = await scalar(
				db,
				sql`SELECT count(*) FROM sessions WHERE id = 'demo-session'`
			);
			expect(sessionsLeft).toBe(0);
		});

		it('ensure adds no demo when only another station exists', async () => {
			await db.execute(sql`DELETE FROM stations WHERE code = 'DEMO'`);
			expect(await ensureDemoStation(db, { now: NOW, seed: SEED })).toEqual({ created: false });
			expect((await demoCounts(db)).stations).toBe(0);
		});
	});
}
