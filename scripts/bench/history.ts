/**
 * Generated history for the KPI benchmarks (kpi.ts, region.ts): stations of technicians with
 * two years of jobs, follow-ups and parts, made inside PostgreSQL, and their facts computed.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/lib/server/db/index';
import { queryRows } from '../../src/lib/server/db/rows';
import {
	factsFreshness,
	refreshStaleFacts,
	refreshStationHeld
} from '../../src/lib/server/kpi/fact-refresh';
import { insertFirstSettingsVersion } from '../../src/lib/server/stations/settings/versions';

/**
 * After a migration that marks every completed job (`remark`), or after generating: the first
 * read of each station (`firstRead`, timed) answers from the facts as they are, with their
 * freshness, while the background refresh computes them in batches (kpi/fact-refresh.ts); then
 * the steady state a deployment reaches by itself: autovacuum has cleared the processed stale
 * rows and gathered statistics.
 */
export async function materialiseFacts(
	db: Database,
	{
		remark = false,
		firstRead
	}: { remark?: boolean; firstRead?: (stationId: string) => Promise<unknown> } = {}
): Promise<void> {
	if (remark) {
		await db.execute(sql`
			insert into job_kpi_stale (station_id, job_id)
			select station_id, id from jobs where status = 'completed'
			on conflict do nothing`);
	}
	const pending = await queryRows<{ id: string; jobs: number }>(
		db,
		sql`select station_id::text as id, count(*)::int as jobs from job_kpi_stale group by station_id`
	);
	for (const station of firstRead ? pending : []) {
		const readStarted = performance.now();
		await firstRead!(station.id);
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

/**
 * For benchmarks that only read: each station's facts in one refresh of its whole queue
 * (fact-refresh.ts refreshStationHeld, the rules of job-facts.ts, set-based over the station)
 * rather than the background worker's small batches, then vacuum and statistics.
 */
export async function materialiseFactsAtOnce(db: Database): Promise<void> {
	const pending = await queryRows<{ id: string }>(
		db,
		sql`select distinct station_id::text as id from job_kpi_stale order by 1`
	);
	for (const station of pending) {
		await db.transaction(async (tx) => {
			await tx.execute(
				sql`select 1 from stations where id = ${station.id}::uuid for no key update`
			);
			await refreshStationHeld(tx, station.id);
		});
	}
	await db.execute(sql`vacuum analyze`);
}

/**
 * The tables a station's generated history fills, in an order that keeps every reference
 * behind its target (only the order: cloneStation writes without foreign-key checks).
 */
const STATION_TABLES = [
	'kpi_settings_versions',
	'users',
	'fault_categories',
	'parts',
	'jobs',
	'follow_ups',
	'job_parts',
	'job_kpi_facts',
	'job_kpi_daily',
	'job_kpi_monthly',
	'job_kpi_monthly_station'
] as const;

/**
 * A copy of a generated station under a new code: what generateStation and the facts' refresh
 * would make of the same size, since both are deterministic (setseed), in one INSERT … SELECT
 * per table. Every uuid but the station's is mapped to md5(new station id || old id), so the
 * copy's references point inside the copy; the facts and rollups are copied with them rather
 * than recomputed (the same rules over the same history give the same rows).
 */
export async function cloneStation(
	db: Database,
	templateId: string,
	station: { code: string; name: string }
): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.execute(sql`set local session_replication_role = replica`);
		const [created] = await queryRows<{ id: string }>(
			tx,
			sql`select gen_random_uuid()::text as id`
		);
		const newId = created.id;
		const copyOf = async (table: string, overrides: Record<string, ReturnType<typeof sql>>) => {
			const columns = await queryRows<{ name: string; type: string }>(
				tx,
				sql`select column_name::text as name, data_type::text as type
					from information_schema.columns
					where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER'
					order by ordinal_position`
			);
			const values = columns.map(({ name, type }) => {
				if (name in overrides) return overrides[name];
				if (name === 'station_id') return sql`${newId}::uuid`;
				const column = sql.identifier(name);
				return type === 'uuid' ? sql`md5(${newId} || ${column}::text)::uuid` : sql`${column}`;
			});
			await tx.execute(sql`
				insert into ${sql.identifier(table)} (${sql.join(
					columns.map(({ name }) => sql.identifier(name)),
					sql`, `
				)})
				select ${sql.join(values, sql`, `)}
				from ${sql.identifier(table)}
				where ${sql.identifier(table === 'stations' ? 'id' : 'station_id')} = ${templateId}::uuid`);
		};
		await copyOf('stations', {
			id: sql`${newId}::uuid`,
			code: sql`${station.code}`,
			name: sql`${station.name}`
		});
		for (const table of STATION_TABLES) await copyOf(table, {});
	});
}

/** What generateStation makes: a station `code` of `technicians` and `jobCount` jobs. */
export interface GeneratedStation {
	code: string;
	/** The station's name: the benchmarks mark their generator's version with it. */
	name: string;
	jobCount: number;
	technicians: number;
	/** The history's two years end on this date ('YYYY-MM-DD'). */
	historyEnd: string;
}

/**
 * One station's two years, generated inside Postgres (no rows cross the wire); deterministic
 * (setseed), so every station of the same size gets the same history under its own ids.
 */
export async function generateStation(db: Database, station: GeneratedStation): Promise<void> {
	const { code, name, jobCount, technicians, historyEnd } = station;
	await db.transaction(async (tx) => {
		// Generated rows are consistent by construction: without the triggers (history, sync
		// versions, fact marks) and foreign-key checks a station is written several times faster.
		// Its completed jobs are marked for the refresh at the end, as the triggers would.
		await tx.execute(sql`set local session_replication_role = replica`);
		await tx.execute(sql`select setseed(0.42)`);
		const [station] = await queryRows<{ id: string }>(
			tx,
			sql`insert into stations (code, name) values (${code}, ${name})
				returning id::text`
		);
		const stationId = station.id;
		await insertFirstSettingsVersion(tx, stationId);
		await tx.execute(sql`
			insert into users (station_id, id, login, name, role)
			select ${stationId}::uuid, md5(${code} || 'u' || g)::uuid, 'tech' || lpad(g::text, 2, '0'),
				'技师' || g, 'technician'
			from generate_series(1, ${technicians}) g`);
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
				md5(${code} || 'u' || (1 + (g::bigint * 7919) % ${technicians}))::uuid,
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
				from (select (${historyEnd}::date - interval '730 days')
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
		await tx.execute(sql`
			insert into job_kpi_stale (station_id, job_id)
			select station_id, id from jobs
			where station_id = ${stationId}::uuid and status = 'completed'`);
	});
}
