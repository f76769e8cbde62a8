import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serialKey } from './serial';

/** The characters the database's generated device_serial_key trims (db/schema.ts). */
function databaseTrimmedCharacters(): Set<string> {
	const schema = readFileSync(new URL('../server/db/schema.ts', import.meta.url), 'utf8');
	const constant = /const SERIAL_TRIMMED_CHARACTERS = String\.raw`([^`]*)`/.exec(schema);
	if (!constant) throw new Error('SERIAL_TRIMMED_CHARACTERS is no longer in db/schema.ts');
	const escapes = constant[1].match(/\\u[0-9a-f]{4}/gi) ?? [];
	return new Set(escapes.map((escape) => String.fromCharCode(parseInt(escape.slice(2), 16))));
}

describe('serialKey', () => {
	it('trims exactly the characters the database trims from a serial, at both ends', () => {
		const trimmed = databaseTrimmedCharacters();
		expect(trimmed.size).toBeGreaterThan(20);
		const disagreements: string[] = [];
		for (let code = 0; code <= 0xffff; code++) {
			const character = String.fromCharCode(code);
			if (/[a-z0-9]/i.test(character)) continue;
			const trimmedHere = serialKey(`${character}sn1${character}`) === 'sn1';
			if (trimmedHere !== trimmed.has(character)) disagreements.push(`U+${code.toString(16)}`);
		}
		expect(disagreements).toEqual([]);
	});

	it('ignores case and keeps inner spaces and punctuation', () => {
		expect(serialKey('\u3000SN-Ab 12\u00a0\t')).toBe('sn-ab 12');
		expect(serialKey('sn-ab 12')).toBe(serialKey('SN-AB 12'));
		expect(serialKey('SN-AB12')).not.toBe(serialKey('SN-AB 12'));
	});

	it('is empty for a serial of white space alone', () => {
		expect(serialKey(' \u3000\ufeff')).toBe('');
	});
});
