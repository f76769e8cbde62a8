/** How full the phone is, as the photo section says it (library.ts storageReport). */
import { describe, expect, it } from 'vitest';
import { megabytes, storageReport } from './library';

const MB = 1024 * 1024;

describe('the phone storage report', () => {
	it('shows what is free, and is calm while there is room', () => {
		expect(storageReport({ usage: 100 * MB, quota: 2000 * MB }, 12 * MB)).toEqual({
			photoBytes: 12 * MB,
			freeBytes: 1900 * MB,
			nearlyFull: false
		});
	});

	it('warns below 50 MB free, and above 90 % used', () => {
		expect(storageReport({ usage: 140 * MB, quota: 200 * MB }, 0).nearlyFull).toBe(false);
		expect(storageReport({ usage: 151 * MB, quota: 200 * MB }, 0).nearlyFull).toBe(true);
		expect(storageReport({ usage: 9100 * MB, quota: 10_000 * MB }, 0).nearlyFull).toBe(true);
		expect(storageReport({ usage: 8900 * MB, quota: 10_000 * MB }, 0).nearlyFull).toBe(false);
	});

	it('says only what the phone holds when the browser gives no estimate', () => {
		expect(storageReport(null, 3 * MB)).toEqual({
			photoBytes: 3 * MB,
			freeBytes: null,
			nearlyFull: false
		});
		expect(storageReport({ usage: 5 }, 0).freeBytes).toBeNull();
	});

	it('writes megabytes with one decimal below 10', () => {
		expect([0.25 * MB, 9.96 * MB, 123.4 * MB].map(megabytes)).toEqual(['0.3', '10.0', '123']);
	});
});
