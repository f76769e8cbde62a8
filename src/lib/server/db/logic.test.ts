/**
 * The database runs exactly the functions and triggers that drizzle/sql/ defines: a database
 * brought up by every migration is compared with the same tables given only the files. A
 * migration that adds or leaves behind a function or trigger the files do not say (one the
 * files no longer define, without the migration that drops it) fails here.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder, type Database, type DatabaseHandle } from '.';
import { testEngines } from '../testing/databases';
import { installedLogic } from '../testing/installed-logic';
import { logicStatements } from './logic';

/** Leaves the tables alone; fails, rather than cascading, should anything else use a function. */
async function dropFunctionsAndTriggers(db: Database): Promise<void> {
	const { functions, triggers } = await installedLogic(db);
	for (const trigger of triggers) {
		const [table, name] = trigger.name.split('.');
		await db.execute(sql`DROP TRIGGER ${sql.identifier(name)} ON ${sql.identifier(table)}`);
	}
	for (const fn of functions) await db.execute(sql.raw(`DROP FUNCTION ${fn.name}`));
}

/** Statement by statement, as the migrator sends a migration. */
async function applySqlFiles(db: Database): Promise<void> {
	for (const statement of logicStatements(migrationsFolder())) {
		await db.execute(sql.raw(statement));
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

		it('are exactly what the files in drizzle/sql define', async () => {
			const migrated = await installedLogic(handle.db);
			expect(migrated.functions.length).toBeGreaterThan(0);
			expect(migrated.triggers.length).toBeGreaterThan(0);

			await dropFunctionsAndTriggers(handle.db);
			expect(await installedLogic(handle.db)).toEqual({ functions: [], triggers: [] });
			await applySqlFiles(handle.db);
			const fromFiles = await installedLogic(handle.db);

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
