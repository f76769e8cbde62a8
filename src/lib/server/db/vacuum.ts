/**
 * Autovacuum for the embedded database. PGlite runs Postgres as a single backend with no
 * background workers, so nothing ever vacuums or analyzes its tables: dead rows pile up and,
 * worse, the planner keeps the statistics of the day a table was last analyzed (often: never).
 * Without them it cannot tell a job id from a technician id, and a lookup by key becomes a scan
 * of the technician's jobs, which grows with every job the station records.
 *
 * `vacuumWhereDue` does what the autovacuum launcher does on a server, with the server's own
 * settings: a table is vacuumed once its dead rows (or rows inserted since the last vacuum)
 * pass the threshold plus the scale factor times its size, or when its oldest transaction id
 * gets old enough to need freezing; it is analyzed once the rows changed since the last
 * analyze pass theirs. The PostgreSQL server does this itself and is never asked to.
 */
import { sql } from 'drizzle-orm';
import type { Database } from './index';
import { queryRows } from './rows';

interface VacuumReport {
	vacuumed: string[];
	analyzed: string[];
}

export async function vacuumWhereDue(db: Database): Promise<VacuumReport> {
	const due = await queryRows<{ table_name: string; vacuum: boolean; analyze: boolean }>(
		db,
		sql`
		WITH settings AS (
			SELECT
				current_setting('autovacuum_vacuum_threshold')::float8 AS vacuum_base,
				current_setting('autovacuum_vacuum_scale_factor')::float8 AS vacuum_scale,
				current_setting('autovacuum_vacuum_insert_threshold')::float8 AS insert_base,
				current_setting('autovacuum_vacuum_insert_scale_factor')::float8 AS insert_scale,
				current_setting('autovacuum_analyze_threshold')::float8 AS analyze_base,
				current_setting('autovacuum_analyze_scale_factor')::float8 AS analyze_scale,
				current_setting('autovacuum_freeze_max_age')::float8 AS freeze_max_age
		),
		tables AS (
			SELECT format('%I.%I', t.schemaname, t.relname) AS table_name,
				greatest(c.reltuples, 0) AS size, t.n_dead_tup, t.n_ins_since_vacuum,
				t.n_mod_since_analyze, age(c.relfrozenxid) AS xid_age
			FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid
		)
		SELECT * FROM (
			SELECT table_name,
				n_dead_tup > vacuum_base + vacuum_scale * size
					OR n_ins_since_vacuum > insert_base + insert_scale * size
					OR xid_age > freeze_max_age AS vacuum,
				n_mod_since_analyze > analyze_base + analyze_scale * size AS analyze
			FROM tables, settings
		) AS verdicts
		WHERE vacuum OR "analyze"
		ORDER BY table_name`
	);
	const report: VacuumReport = { vacuumed: [], analyzed: [] };
	for (const table of due) {
		// Identifiers come quoted from format('%I') above; VACUUM takes no bind parameters.
		const name = sql.raw(table.table_name);
		if (table.vacuum) {
			await db.execute(table.analyze ? sql`VACUUM (ANALYZE) ${name}` : sql`VACUUM ${name}`);
			report.vacuumed.push(table.table_name);
		} else {
			await db.execute(sql`ANALYZE ${name}`);
		}
		if (table.analyze) report.analyzed.push(table.table_name);
	}
	return report;
}
