/**
 * Upgrades keep data: a station made by the previous release (2026-11-23, migrations up to
 * 0013; fixtures/release-2026-11-23: its pg_dump, and what its `npm run export` wrote) migrates
 * on both engines and exports exactly as before. The station was imported from the spreadsheet
 * fixture, given a supervisor and an administrator by the user CLI, and had a part line and a
 * follow-up deleted (tombstones of the old shape).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, type DatabaseHandle } from '.';
import { queryRows } from './rows';
import { installedLogic } from '../testing/installed-logic';
import { testEngines } from '../testing/databases';
import { exportStationFiles } from '../interchange/export';

const RELEASE = path.join(
	path.dirname(fileURLToPath(import.meta.url)),
	'fixtures/release-2026-11-23'
);

/** Runs the dump's statements as psql would (both drivers take many statements in one text). */
async function restore(handle: DatabaseHandle, dump: string): Promise<void> {
	const client = (handle.db as unknown as { $client: unknown }).$client;
	if (handle.kind === 'pglite')
		await (client as { exec(text: string): Promise<unknown> }).exec(dump);
	else
		await (client as { unsafe(text: string): { simple(): Promise<unknown> } })
			.unsafe(dump)
			.simple();
}

for (const engine of testEngines()) {
	describe(`upgrade from the 2026-11-23 release on ${engine.name}`, () => {
		let handle: DatabaseHandle;

		beforeAll(async () => {
			handle = await engine.open({ migrated: false });
			await restore(handle, readFileSync(path.join(RELEASE, 'station.sql'), 'utf8'));
			await migrateDatabase(handle);
		});
		afterAll(async () => {
			await handle?.close();
		});

		it('exports every file byte for byte as the previous release did', async () => {
			const exported = await exportStationFiles(handle.db, 'PREV');
			if (!exported) throw new Error('the upgraded database has no station PREV');
			const files = readdirSync(path.join(RELEASE, 'export')).sort();
			expect(files.length).toBe(6);
			expect(Object.keys(exported.files).sort()).toEqual(files);
			for (const file of files) {
				const before = readFileSync(path.join(RELEASE, 'export', file), 'utf8');
				expect(exported.files[file as keyof typeof exported.files], file).toBe(before);
			}
		});

		it('ends with the functions and triggers of a new database', async () => {
			const fresh = await engine.open();
			try {
				expect(await installedLogic(handle.db)).toEqual(await installedLogic(fresh.db));
			} finally {
				await fresh.close();
			}
		}, 120_000);

		it('gives every existing account a local data key of its own', async () => {
			const rows = await queryRows<{ login: string; key: string }>(
				handle.db,
				sql`SELECT login, local_data_key AS key FROM users ORDER BY login`
			);
			expect(rows.length).toBe(5);
			for (const row of rows) expect(row.key, row.login).toMatch(/^[0-9a-f]{64}$/);
			expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
		});

		it('drops the tombstones that do not know their job, and makes old cursors start again', async () => {
			const [tombstones] = await queryRows<{ left: number }>(
				handle.db,
				sql`SELECT count(*)::int AS left FROM sync_tombstones WHERE table_name IN ('job_parts', 'follow_ups')`
			);
			expect(tombstones.left).toBe(0);
			const horizon = await queryRows<{ through: string }>(
				handle.db,
				sql`SELECT pruned_through::text AS through FROM sync_retention`
			);
			// The newer of the two deletes the old release recorded.
			expect(horizon).toEqual([{ through: '20873' }]);
		});
	});
}
