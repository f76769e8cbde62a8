/**
 * Dependencies run one way: routes → trpc → domain services → db, with sync beside trpc. The
 * sync engine (and its fast path, sync/bulk) may import the domain services and the database
 * layer; a domain service or the database layer importing sync or trpc would make a loop.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER = join(import.meta.dirname, '..');
const BELOW_SYNC = ['db', 'jobs', 'catalog', 'follow-ups', 'stations', 'kpi', 'review', 'auth'];

function sourceFiles(folder: string): string[] {
	return readdirSync(folder, { withFileTypes: true, recursive: true })
		.filter(
			(entry) => entry.isFile() && /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)
		)
		.map((entry) => join(entry.parentPath, entry.name));
}

/** The lib/server folders (sync, trpc, …) a file's relative imports reach into. */
function importedServerFolders(file: string): string[] {
	const specifiers = [...readFileSync(file, 'utf8').matchAll(/from '([^']*)'/g)].map(
		([, specifier]) => specifier
	);
	return specifiers.flatMap((specifier) => {
		if (specifier.startsWith('$lib/server/')) return [specifier.split('/')[2]];
		if (!specifier.startsWith('.')) return [];
		const folder = relative(SERVER, join(file, '..', specifier)).split('/')[0];
		return folder.startsWith('..') ? [] : [folder];
	});
}

describe('layering', () => {
	it('no domain service or database module imports sync or trpc', () => {
		const files = BELOW_SYNC.flatMap((folder) => sourceFiles(join(SERVER, folder)));
		expect(files.length).toBeGreaterThan(BELOW_SYNC.length);
		const wrong = files.flatMap((file) =>
			importedServerFolders(file)
				.filter((folder) => folder === 'sync' || folder === 'trpc')
				.map((folder) => `${relative(SERVER, file)} imports ${folder}/`)
		);
		expect(wrong).toEqual([]);
	});
});
