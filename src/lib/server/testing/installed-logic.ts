/**
 * The functions and triggers a database has, each as its name and the definition PostgreSQL
 * prints for it, to compare one database with another (logic.test.ts, upgrade.test.ts).
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { queryRows } from '../db/rows';

interface InstalledDefinition {
	name: string;
	definition: string;
}

interface InstalledLogic {
	functions: InstalledDefinition[];
	triggers: InstalledDefinition[];
}

/** Every function of schema public and every trigger a user made (not a foreign key's). */
export async function installedLogic(db: Queryable): Promise<InstalledLogic> {
	const functions = await queryRows<InstalledDefinition>(
		db,
		sql`SELECT p.oid::regprocedure::text AS name, pg_get_functiondef(p.oid) AS definition
			FROM pg_proc p
			WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
			ORDER BY 1`
	);
	const triggers = await queryRows<InstalledDefinition>(
		db,
		sql`SELECT t.tgrelid::regclass::text || '.' || t.tgname::text AS name,
				pg_get_triggerdef(t.oid) || ' -- enabled: ' || t.tgenabled::text AS definition
			FROM pg_trigger t
			WHERE NOT t.tgisinternal
			ORDER BY 1`
	);
	return { functions, triggers };
}
