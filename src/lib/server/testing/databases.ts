/**
 * Integration tests run every suite on each database engine RepairScore supports:
 * in-memory PGlite always, and the PostgreSQL server named by TEST_DATABASE_URL when set.
 * Each suite on Postgres gets a database of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import {
	openDatabase,
	openMigratedDatabase,
	type DatabaseHandle,
	type DatabaseTarget
} from '../db';

export interface OpenOptions {
	/** false: an empty database with no migration applied (an upgrade test restores into it). */
	migrated?: boolean;
}

export interface TestEngine {
	name: 'pglite' | 'postgres';
	open(options?: OpenOptions): Promise<DatabaseHandle>;
}

function opener({ migrated = true }: OpenOptions = {}) {
	return (target: DatabaseTarget) =>
		migrated ? openMigratedDatabase(target) : openDatabase(target);
}

export function testEngines(): TestEngine[] {
	const engines: TestEngine[] = [
		{ name: 'pglite', open: (options) => opener(options)({ kind: 'pglite', dir: null }) }
	];
	const serverUrl = process.env.TEST_DATABASE_URL;
	if (serverUrl) {
		engines.push({ name: 'postgres', open: (options) => openScratchPostgres(serverUrl, options) });
	}
	return engines;
}

async function openScratchPostgres(
	serverUrl: string,
	options?: OpenOptions
): Promise<DatabaseHandle> {
	const name = `rs_test_${randomBytes(6).toString('hex')}`;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`create database ${name}`);
	} finally {
		await admin.end();
	}
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	const handle = await opener(options)({
		kind: 'postgres',
		url: url.toString(),
		maxConnections: 5
	});
	return {
		...handle,
		close: async () => {
			await handle.close();
			const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
			try {
				await dropper.unsafe(`drop database if exists ${name} with (force)`);
			} finally {
				await dropper.end();
			}
		}
	};
}
