/**
 * The database's own logic (sync versions, tombstones, job history, KPI staleness) as it is
 * now: one SQL file per concern in drizzle/sql/, each function beside its triggers
 * (drizzle/sql/README.md). Every migration run ends by applying them, so a new and an upgraded
 * database both run exactly what the files say, and a change is an edit of one file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Separates a file's statements: each is sent on its own, as drizzle sends a migration's. */
const STATEMENT_BREAKPOINT = '--> statement-breakpoint';

/** Every statement of the files, in a fixed order (files by name, statements as written). */
export function logicStatements(migrationsDir: string): string[] {
	const folder = path.join(migrationsDir, 'sql');
	return readdirSync(folder)
		.filter((name) => name.endsWith('.sql'))
		.sort()
		.flatMap((name) => readFileSync(path.join(folder, name), 'utf8').split(STATEMENT_BREAKPOINT))
		.filter((statement) => /\S/.test(statement.replace(/^\s*--.*$/gm, '')));
}
