/**
 * The tests' Code 128 encoder, checked against the standard's structure and read back by the
 * reader the phone uses (ZXing-C++, zxing-wasm), which refuses a symbol it does not know and a
 * wrong check symbol: every pattern of the table is read at least once below.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { code128Modules, code128Values, QUIET_ZONE_MODULES } from './code128';

/** The modules drawn as a picture ZXing reads: one pixel per module, black bars on white. */
async function read(modules: boolean[]): Promise<string[]> {
	const width = modules.length;
	const height = 20;
	const data = new Uint8ClampedArray(width * height * 4).fill(255);
	for (let y = 0; y < height; y++) {
		modules.forEach((bar, x) => {
			if (bar) data.fill(0, (y * width + x) * 4, (y * width + x) * 4 + 3);
		});
	}
	const found = await readBarcodes({ data, width, height } as ImageData, {
		formats: ['Code128'],
		maxNumberOfSymbols: 1
	});
	return found.filter((result) => result.isValid).map((result) => result.text);
}

beforeAll(async () => {
	const wasm = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
	await prepareZXingModule({
		overrides: { wasmBinary: readFileSync(wasm).buffer as ArrayBuffer },
		fireImmediately: true
	});
});

describe('Code 128 (code set B)', () => {
	it('computes the check symbol as the standard does: start + Σ position × value, mod 103', () => {
		// "AC-CAP-35": 104 + 33·1 + 35·2 + 13·3 + 35·4 + 33·5 + 48·6 + 13·7 + 19·8 + 21·9 = 1271,
		// and 1271 mod 103 = 35.
		expect(code128Values('AC-CAP-35')).toEqual([104, 33, 35, 13, 35, 33, 48, 13, 19, 21, 35, 106]);
		expect(code128Values(' ')).toEqual([104, 0, 1, 106]);
	});

	it('draws start B, the data, check and stop between ten-module quiet zones', () => {
		const modules = code128Modules('A');
		// Start B 211214, "A" (33) 111323, check (104 + 33) mod 103 = 34: 131123, stop 2331112.
		const pattern = '211214' + '111323' + '131123' + '2331112';
		const expected = [...pattern].flatMap((width, element) =>
			Array<boolean>(Number(width)).fill(element % 2 === 0)
		);
		const quiet = Array<boolean>(QUIET_ZONE_MODULES).fill(false);
		expect(modules).toEqual([...quiet, ...expected, ...quiet]);
		// Eleven modules a symbol, thirteen for the stop.
		expect(modules.length).toBe(2 * QUIET_ZONE_MODULES + 3 * 11 + 13);
	});

	it('is read back by ZXing: part codes, serials and every character of set B', async () => {
		expect(await read(code128Modules('AC-CAP-35'))).toEqual(['AC-CAP-35']);
		expect(await read(code128Modules('SN-2026-c128-0001'))).toEqual(['SN-2026-c128-0001']);
		// Values 0 to 94 as data (DEL, 95, is no printable character), in chunks of a label's length.
		const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
		for (let start = 0; start < printable.length; start += 24) {
			// A leading or trailing space would be a space to the reader too: kept inside.
			const text = `[${printable.slice(start, start + 24)}]`;
			expect(await read(code128Modules(text))).toEqual([text]);
		}
	});

	it('reads back with every check symbol, the values only a check reaches in set B included', async () => {
		// The first two-character label (no spaces) of each check value.
		const visible = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i));
		const labelOfCheck = new Map<number, string>();
		for (const first of visible) {
			for (const second of visible) {
				const check = code128Values(first + second).at(-2)!;
				if (!labelOfCheck.has(check)) labelOfCheck.set(check, first + second);
			}
		}
		expect(labelOfCheck.size).toBe(103);
		for (const label of labelOfCheck.values()) {
			expect(await read(code128Modules(label))).toEqual([label]);
		}
	});

	it('refuses what code set B cannot hold', () => {
		expect(() => code128Modules('')).toThrow(RangeError);
		expect(() => code128Modules('零件')).toThrow(/cannot encode "零"/);
		expect(() => code128Modules('A\tB')).toThrow(RangeError);
	});
});
