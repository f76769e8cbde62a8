/**
 * The database's own logic (versions, tombstones, history, KPI staleness) as it is now: one
 * SQL file per concern in this folder, each function beside its triggers (README.md). The
 * migrations apply copies of these files, and logic.test.ts proves the database runs exactly
 * what they say.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SqlFile {
	name: string;
	text: string;
}

const SQL_FOLDER = path.dirname(fileURLToPath(import.meta.url));

/** The files in a fixed order (by name): the order a migration applies them in. */
export function readSqlFiles(): SqlFile[] {
	return readdirSync(SQL_FOLDER)
		.filter((name) => name.endsWith('.sql'))
		.sort()
		.map((name) => ({ name, text: readFileSync(path.join(SQL_FOLDER, name), 'utf8') }));
}

/** drizzle's separator between a migration's statements (each is sent on its own). */
export const STATEMENT_BREAKPOINT = '--> statement-breakpoint';

/** The text of a migration that brings a database to the files' definitions. */
export function migrationOfSqlFiles(files: SqlFile[]): string {
	const header =
		'-- Written by `npm run db:sql` from src/lib/server/db/sql/ (see README.md there): the\n' +
		'-- current functions and triggers. Edit those files, not this copy.\n';
	const bodies = files.map(
		(file) => `-- src/lib/server/db/sql/${file.name}\n${file.text.trimEnd()}\n`
	);
	return header + '\n' + bodies.join(`${STATEMENT_BREAKPOINT}\n\n`);
}
