/**
 * `npm run db:sql -- <name>`: after an edit to src/lib/server/db/sql/*.sql, writes the next
 * migration, drizzle/NNNN_<name>.sql, which applies those files as they are now (README.md
 * in that folder).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { migrationOfSqlFiles, readSqlFiles } from '../src/lib/server/db/sql';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name) || process.argv.length > 3) {
	console.error('Usage: npm run db:sql -- <name>   (snake_case, says what changed)');
	process.exit(2);
}

// drizzle-kit numbers the migration, lists it in its journal and copies the schema snapshot.
execFileSync('npx', ['drizzle-kit', 'generate', '--custom', `--name=${name}`], {
	stdio: 'inherit'
});
const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as {
	entries: { tag: string }[];
};
const migration = `drizzle/${journal.entries[journal.entries.length - 1].tag}.sql`;
writeFileSync(migration, migrationOfSqlFiles(readSqlFiles()));
console.log(`Wrote ${migration}. To drop a function or trigger, add its DROP there by hand.`);
