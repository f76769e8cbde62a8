/**
 * The direction of dependencies (docs/ARCHITECTURE.md), checked on every import of every source
 * file, .svelte components and tests included, whether written with `$lib/` or a relative path,
 * type-only imports too:
 * - lib/shared (used by server and browser) imports neither lib/server, lib/client nor routes,
 *   and no Node module;
 * - lib/server imports neither lib/client nor routes;
 * - browser code (lib/client, every .svelte component, the universal +page.ts/+layout.ts)
 *   imports no lib/server module;
 * - the domain services and the database layer never import the transports that call them
 *   (trpc, sync): routes → trpc → domain services → db, with sync beside trpc;
 * - only the transports (trpc, sync) import @trpc/server: services refuse with the one domain
 *   error (lib/server/refusal.ts), which trpc/ maps for the API and for form actions.
 * Tests and test support (*.test.ts, testing/, testing.ts) are exempt: an integration test exercises a
 * layer through the ones that call it (the sync client against the real server, a service
 * through its router). Each violation is listed as "file: import (rule)".
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');

const BELOW_THE_TRANSPORTS = [
	'db',
	'jobs',
	'catalog',
	'follow-ups',
	'stations',
	'kpi',
	'review',
	'auth',
	'interchange',
	'files'
];

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : sourceFiles(full);
		return /\.(ts|js|svelte)$/.test(entry.name) ? [full] : [];
	});
}

const IMPORT_PATTERNS = [
	// import … from '…', export … from '…' (also across lines, `type` included)
	/^\s*(?:import|export)\s[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm,
	// import '…'
	/^\s*import\s*['"]([^'"]+)['"]/gm,
	// import('…')
	/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g
];

/** Every module a file imports, as written. */
function importsOf(code: string): string[] {
	return IMPORT_PATTERNS.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]));
}

/**
 * Where an import lands, relative to src/ ('lib/server/db/index', 'node:fs'), 'package:<name>'
 * for a package.
 */
function target(file: string, specifier: string): string {
	if (specifier.startsWith('node:')) return specifier;
	let resolved: string;
	if (specifier.startsWith('$lib/') || specifier === '$lib') {
		resolved = path.join(src, 'lib', specifier.slice('$lib'.length));
	} else if (specifier.startsWith('.')) {
		resolved = path.resolve(path.dirname(file), specifier);
	} else {
		return `package:${specifier}`;
	}
	return path.relative(src, resolved).split(path.sep).join('/');
}

const under = (place: string, folder: string) => place === folder || place.startsWith(`${folder}/`);

const NODE_BUILTINS = new Set(['fs', 'path', 'os', 'crypto', 'url', 'child_process', 'net']);

interface Rule {
	name: string;
	/** Whether the rule applies to the file (relative to src/). */
	appliesTo: (file: string) => boolean;
	forbids: (place: string) => boolean;
}

const isBrowserCode = (file: string) =>
	under(file, 'lib/client') ||
	file.endsWith('.svelte') ||
	/^routes\/(.*\/)?\+(page|layout)\.(ts|js)$/.test(file);

const RULES: Rule[] = [
	{
		name: 'lib/shared imports no server, client, route or Node module',
		appliesTo: (file) => under(file, 'lib/shared'),
		forbids: (place) =>
			under(place, 'lib/server') ||
			under(place, 'lib/client') ||
			under(place, 'routes') ||
			place.startsWith('node:')
	},
	{
		name: 'lib/server imports neither lib/client nor routes',
		appliesTo: (file) => under(file, 'lib/server'),
		forbids: (place) => under(place, 'lib/client') || under(place, 'routes')
	},
	{
		name: 'browser code and components import no lib/server module',
		appliesTo: isBrowserCode,
		forbids: (place) => under(place, 'lib/server')
	},
	{
		name: 'domain services and the database layer import neither trpc nor sync',
		appliesTo: (file) => BELOW_THE_TRANSPORTS.some((folder) => under(file, `lib/server/${folder}`)),
		forbids: (place) => under(place, 'lib/server/trpc') || under(place, 'lib/server/sync')
	},
	{
		name: 'only trpc and sync import @trpc/server',
		appliesTo: (file) =>
			under(file, 'lib/server') &&
			!under(file, 'lib/server/trpc') &&
			!under(file, 'lib/server/sync'),
		forbids: (place) => place.startsWith('package:@trpc/server')
	}
];

const isTestCode = (file: string) => /\.test\.ts$|(^|\/)testing(\/|\.ts$)/.test(file);

/** Every broken rule of the source tree, "file: import (rule)". */
function violations(): string[] {
	const found: string[] = [];
	for (const file of sourceFiles(src)) {
		const relative = path.relative(src, file).split(path.sep).join('/');
		if (isTestCode(relative)) continue;
		const rules = RULES.filter((rule) => rule.appliesTo(relative));
		if (rules.length === 0) continue;
		for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
			const place = NODE_BUILTINS.has(specifier) ? `node:${specifier}` : target(file, specifier);
			for (const rule of rules) {
				if (rule.forbids(place)) found.push(`src/${relative}: ${specifier} (${rule.name})`);
			}
		}
	}
	return found;
}

describe('layering', () => {
	it('reads every kind of import', () => {
		const code = [
			"import { a } from '$lib/server/a';",
			"import type {\n\tB,\n\tC\n} from '../b';",
			"export { d } from './d';",
			"export * from './e';",
			"import './f.css';",
			"const g = await import('./g');",
			' * the module of `x` from "nowhere" is not an import'
		].join('\n');
		expect(importsOf(code)).toEqual(['$lib/server/a', '../b', './d', './e', './f.css', './g']);
	});

	it('holds for every source file', () => {
		expect(violations()).toEqual([]);
	});
});
