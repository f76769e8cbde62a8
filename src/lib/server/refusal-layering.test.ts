/**
 * Where the domain error may be turned into a transport's: domain services throw a Refusal
 * (refusal.ts) and never import tRPC; only trpc/ (and sync/, which stands beside it) may. And
 * no Svelte component imports a server module, not even for a type (shared/ holds those).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

function filesUnder(folder: string, extension: string): string[] {
	return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
		.filter((name) => name.endsWith(extension))
		.map((name) => relative(ROOT, join(ROOT, folder, name)));
}

/** Folders whose code speaks tRPC: the API itself, and the sync engine beside it. */
const TRANSPORTS = ['src/lib/server/trpc/', 'src/lib/server/sync/'];

describe('layering of refusals', () => {
	it('no domain service imports @trpc/server', () => {
		const importers = filesUnder('src/lib/server', '.ts')
			.filter((file) => !file.endsWith('.test.ts'))
			.filter((file) => !TRANSPORTS.some((folder) => file.startsWith(folder)))
			.filter((file) => /from '@trpc\/server/.test(readFileSync(join(ROOT, file), 'utf8')));
		expect(importers).toEqual([]);
	});

	it('no Svelte component imports a server module', () => {
		const importers = [
			...filesUnder('src/routes', '.svelte'),
			...filesUnder('src/lib', '.svelte')
		].filter((file) => /from '\$lib\/server\//.test(readFileSync(join(ROOT, file), 'utf8')));
		expect(importers).toEqual([]);
	});
});
