/**
 * Helpers for the interchange tests: CSV text by lines, workbooks, and a dump of the whole
 * database.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';

/** CSV text from its lines, LF line ends, with a final line break. */
export function csv(...lines: string[]): string {
	return lines.map((line) => `${line}\n`).join('');
}

/** A workbook's bytes (exceljs): sheet name → rows (an undefined row stays empty). */
export async function workbookBytes(
	sheets: Record<string, (ExcelJS.CellValue[] | undefined)[]>,
	shape: (workbook: ExcelJS.Workbook) => void = () => {}
): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	for (const [name, rows] of Object.entries(sheets)) {
		const sheet = workbook.addWorksheet(name);
		rows.forEach((row, index) => {
			if (row) sheet.getRow(index + 1).values = row;
		});
	}
	shape(workbook);
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/**
 * Every row of every table, as JSON text per table: two dumps are equal exactly when the
 * database holds the same data (ids, timestamps and all).
 */
export async function dumpDatabase(db: Queryable): Promise<Record<string, string>> {
	const tables = await queryRows<{ name: string }>(
		db,
		sql`SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`
	);
	const dump: Record<string, string> = {};
	for (const { name } of tables) {
		const [row] = await queryRows<{ rows: string }>(
			db,
			sql`SELECT coalesce(json_agg(t ORDER BY t::text), '[]')::text AS rows FROM ${sql.identifier(name)} t`
		);
		dump[name] = row.rows;
	}
	return dump;
}
