/**
 * The database runs exactly the functions and triggers that src/lib/server/db/sql/ defines:
 * a database brought up by every migration is compared with the same tables given only the
 * files. A file edited without a migration that applies it, or a migration that changes,
 * adds or leaves behind a function or trigger the files do not say, fails here.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DatabaseHandle } from '..';
import { queryRows } from '../rows';
import { testEngines } from '../../testing/databases';
import { readSqlFiles, STATEMENT_BREAKPOINT } from '.';

interface Definition {
	name: string;
	definition: string;
}

/** Every function of schema public and every trigger a user made (not a foreign key's). */
async function functionsAndTriggers(db: Database) {
	const functions = await queryRows<Definition>(
		db,
		sql`SELECT p.oid::regprocedure::text AS name, pg_get_functiondef(p.oid) AS definition
			FROM pg_proc p
			WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
			ORDER BY 1`
	);
	const triggers = await queryRows<Definition>(
		db,
		sql`SELECT t.tgrelid::regclass::text || '.' || t.tgname::text AS name,
				pg_get_triggerdef(t.oid) || ' -- enabled: ' || t.tgenabled::text AS definition
			FROM pg_trigger t
			WHERE NOT t.tgisinternal
			ORDER BY 1`
	);
	return { functions, triggers };
}

/** Leaves the tables alone; fails, rather than cascading, should anything else use a function. */
async function dropFunctionsAndTriggers(db: Database): Promise<void> {
	const { functions, triggers } = await functionsAndTriggers(db);
	for (const trigger of triggers) {
		const [table, name] = trigger.name.split('.');
		await db.execute(sql`DROP TRIGGER ${sql.identifier(name)} ON ${sql.identifier(table)}`);
	}
	for (const fn of functions) await db.execute(sql.raw(`DROP FUNCTION ${fn.name}`));
}

/** Statement by statement, as the migrator sends a migration. */
async function applySqlFiles(db: Database): Promise<void> {
	for (const file of readSqlFiles()) {
		for (const statement of file.text.split(STATEMENT_BREAKPOINT)) {
			await db.execute(sql.raw(statement));
		}
	}
}

for (const engine of testEngines()) {
	describe(`functions and triggers on ${engine.name}`, () => {
		let handle: DatabaseHandle;

		beforeAll(async () => {
			handle = await engine.open();
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('are exactly what the files in src/lib/server/db/sql define', async () => {
			const migrated = await functionsAndTriggers(handle.db);
			expect(migrated.functions.length).toBeGreaterThan(0);
			expect(migrated.triggers.length).toBeGreaterThan(0);

			await dropFunctionsAndTriggers(handle.db);
			expect(await functionsAndTriggers(handle.db)).toEqual({ functions: [], triggers: [] });
			await applySqlFiles(handle.db);
			const fromFiles = await functionsAndTriggers(handle.db);

			// Names first, so a function or trigger only one side has is named plainly.
			expect(migrated.functions.map((fn) => fn.name)).toEqual(
				fromFiles.functions.map((fn) => fn.name)
			);
			expect(migrated.triggers.map((trigger) => trigger.name)).toEqual(
				fromFiles.triggers.map((trigger) => trigger.name)
			);
			expect(migrated).toEqual(fromFiles);
		});
	});
}
