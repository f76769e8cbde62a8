/**
 * Every `npm run` script must be runnable on a fresh clone: each file it names exists and
 * each command it starts is installed (`npm run db:migrate` once pointed to a missing file).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const scripts: Record<string, string> = JSON.parse(readFileSync('package.json', 'utf8')).scripts;
/** Shell built-ins and tools that come with Node or the system, not from node_modules. */
const SYSTEM_COMMANDS = new Set(['node', 'npm', 'npx', 'echo']);

/** The commands of a script line: `a && b || c; (d)` → a, b, c, d with their arguments. */
function commands(line: string): string[][] {
	return line
		.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '')
		.split(/&&|\|\||;|\|/)
		.map((part) => part.replace(/[()]/g, '').trim().split(/\s+/).filter(Boolean))
		.filter((words) => words.length > 0);
}

describe('package.json scripts', () => {
	it('has scripts to check', () => {
		expect(Object.keys(scripts).length).toBeGreaterThan(5);
	});

	for (const [name, line] of Object.entries(scripts)) {
		it(`${name}: every file it names exists and its commands are installed`, () => {
			const parts = commands(line);
			expect(parts.length).toBeGreaterThan(0);
			for (const [command, ...args] of parts) {
				if (!SYSTEM_COMMANDS.has(command)) {
					expect(existsSync(`node_modules/.bin/${command}`), `${command} in "${line}"`).toBe(true);
				}
				for (const arg of args) {
					const isFile = /\.(m?[jt]s|cjs|json)$/.test(arg) || arg.startsWith('./');
					if (isFile) expect(existsSync(arg), `${arg} in "${line}"`).toBe(true);
				}
			}
		});
	}
});
