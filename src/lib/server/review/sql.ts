import { sql, type SQL } from 'drizzle-orm';

/** A timestamptz expression as ISO 8601 text in UTC, identical on every driver. */
export function isoUtc(expression: SQL): SQL {
	return sql`to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
