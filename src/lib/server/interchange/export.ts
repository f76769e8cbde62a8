/**
 * Exporting a station as the interchange files (import-format.md): the same six files an
 * import reads, so an export imported into another station gives the same KPIs.
 *
 * - Text a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`) gets a leading
 *   apostrophe (csv.ts, neutraliseFormula), which the import takes off again; numbers are
 *   written as they are.
 * - Files start with a UTF-8 BOM: Excel (the tool stations use) reads a CSV without one in
 *   the system code page and garbles Chinese text. Imports accept and drop the BOM.
 * - Timestamps are ISO 8601 in the station's wall-clock time with that instant's offset
 *   (`2026-03-02T09:30:00+08:00`), with fractions of a second only when there are any, to the
 *   microsecond Postgres keeps.
 * - Every row of the station is written, inactive parts, categories and people included
 *   (their jobs refer to them), except admin accounts, which the format cannot express.
 * - A follow-up's `source` (who recorded it; docs/kpi-rules.md) is written only when some
 *   follow-up was not imported, so the copy scores exactly as the original.
 * - Follow-ups of a job are written oldest first with ties in the order the KPI rules use,
 *   so the one that counts as latest is still the latest after a re-import.
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';
import { toCsv, type CsvValue } from './csv';
import { INTERCHANGE_FILES, WRITTEN_WHEN_USED, type InterchangeFile } from './format';
import { formatTimestampInZone } from './time';

export interface StationExport {
	station: { code: string; name: string; timeZone: string };
	/** File name → CSV text (with BOM), for every file of the format. */
	files: Record<InterchangeFile, string>;
	counts: Record<InterchangeFile, number>;
}

type TextRow = Record<string, string | null>;

/** Timestamp column as UTC text with microseconds, formatted in the station's zone later. */
const utc = (column: string) =>
	sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`);

/** The station's files, or null when no station has this code. */
export async function exportStationFiles(
	db: Queryable,
	stationCode: string
): Promise<StationExport | null> {
	const [station] = await queryRows<{ id: string; code: string; name: string; timeZone: string }>(
		db,
		sql`SELECT id::text AS id, code, name, time_zone AS "timeZone"
			FROM stations WHERE code = ${stationCode.trim().toUpperCase()}`
	);
	if (!station) return null;
	const id = sql`${station.id}::uuid`;

	const rowsOf: Record<InterchangeFile, TextRow[]> = {
		'technicians.csv': await queryRows<TextRow>(
			db,
			sql`SELECT login, name, role::text AS role
				FROM users
				WHERE station_id = ${id} AND role IN ('technician', 'supervisor')
				ORDER BY login COLLATE "C"`
		),
		'fault_categories.csv': await queryRows<TextRow>(
			db,
			sql`SELECT code, name, standard_minutes::text AS standard_minutes
				FROM fault_categories
				WHERE station_id = ${id}
				ORDER BY code COLLATE "C"`
		),
		'parts.csv': await queryRows<TextRow>(
			db,
			sql`SELECT sku, name, unit_cost::text AS unit_cost, unit
				FROM parts
				WHERE station_id = ${id}
				ORDER BY sku COLLATE "C"`
		),
		'jobs.csv': await queryRows<TextRow>(
			db,
			sql`SELECT
					j.job_no,
					coalesce(u.login, '') AS technician_login,
					${utc('j.reported_at')} AS reported_at,
					j.status::text AS status,
					j.customer_name,
					j.customer_phone,
					j.customer_address,
					j.product_model,
					j.device_serial,
					fc.code AS fault_category,
					j.fault_description,
					${utc('j.arrived_at')} AS arrived_at,
					${utc('j.started_at')} AS started_at,
					${utc('j.completed_at')} AS completed_at,
					j.outcome::text AS outcome,
					pj.job_no AS previous_job_no,
					j.notes
				FROM jobs j
				LEFT JOIN users u ON u.station_id = j.station_id AND u.id = j.technician_id
				LEFT JOIN fault_categories fc
					ON fc.station_id = j.station_id AND fc.id = j.fault_category_id
				LEFT JOIN jobs pj ON pj.station_id = j.station_id AND pj.id = j.previous_job_id
				WHERE j.station_id = ${id}
				ORDER BY j.reported_at, j.job_no COLLATE "C"`
		),
		'job_parts.csv': await queryRows<TextRow>(
			db,
			sql`SELECT
					j.job_no,
					p.sku,
					trim_scale(jp.qty)::text AS qty,
					jp.unit_cost::text AS unit_cost
				FROM job_parts jp
				JOIN jobs j ON j.station_id = jp.station_id AND j.id = jp.job_id
				JOIN parts p ON p.station_id = jp.station_id AND p.id = jp.part_id
				WHERE jp.station_id = ${id}
				ORDER BY j.reported_at, j.job_no COLLATE "C", jp.created_at, jp.id`
		),
		'follow_ups.csv': await queryRows<TextRow>(
			db,
			sql`SELECT
					j.job_no,
					${utc('f.visited_at')} AS visited_at,
					f.channel::text AS channel,
					f.satisfaction::text AS satisfaction,
					f.issue_resolved::text AS issue_resolved,
					f.comment,
					nullif(f.source::text, 'import') AS source
				FROM follow_ups f
				JOIN jobs j ON j.station_id = f.station_id AND j.id = f.job_id
				WHERE f.station_id = ${id}
				ORDER BY j.reported_at, j.job_no COLLATE "C", f.visited_at, f.created_at, f.id`
		)
	};

	const files = {} as StationExport['files'];
	const counts = {} as StationExport['counts'];
	for (const [file, rows] of Object.entries(rowsOf) as [InterchangeFile, TextRow[]][]) {
		const columns = INTERCHANGE_FILES[file].columns.filter(
			(column: string) => !WRITTEN_WHEN_USED.has(column) || rows.some((row) => row[column] !== null)
		);
		const numeric: readonly string[] = INTERCHANGE_FILES[file].numeric;
		const records: CsvValue[][] = rows.map((row) =>
			columns.map((column) => {
				const value = row[column];
				if (value === null || !TIMESTAMP_COLUMNS.has(column)) return value;
				return formatTimestampInZone(value, station.timeZone);
			})
		);
		const literalColumns = new Set(
			columns.flatMap((column, i) => (numeric.includes(column) ? [i] : []))
		);
		files[file] = toCsv([columns, ...records], { bom: true, literalColumns });
		counts[file] = rows.length;
	}
	return {
		station: { code: station.code, name: station.name, timeZone: station.timeZone },
		files,
		counts
	};
}

const TIMESTAMP_COLUMNS = new Set([
	'reported_at',
	'arrived_at',
	'started_at',
	'completed_at',
	'visited_at'
]);
