import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ENTRIES, clearSnapshots, readSnapshot, saveSnapshot } from './offline-cache';

/** localStorage as browsers implement it, with a quota in characters. */
class MemoryStorage implements Storage {
	private items = new Map<string, string>();
	constructor(private quota = Infinity) {}
	get length() {
		return this.items.size;
	}
	key(index: number) {
		return [...this.items.keys()][index] ?? null;
	}
	getItem(key: string) {
		return this.items.get(key) ?? null;
	}
	setItem(key: string, value: string) {
		const used = [...this.items].reduce(
			(sum, [k, v]) => sum + (k === key ? 0 : k.length + v.length),
			0
		);
		if (used + key.length + value.length > this.quota) {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		}
		this.items.set(key, value);
	}
	removeItem(key: string) {
		this.items.delete(key);
	}
	clear() {
		this.items.clear();
	}
}

const at = (minute: number) => new Date(Date.UTC(2026, 6, 1, 8, minute));

describe('offline scorecard copies', () => {
	let store: MemoryStorage;
	beforeEach(() => {
		store = new MemoryStorage();
		globalThis.localStorage = store;
	});
	afterEach(() => {
		Reflect.deleteProperty(globalThis, 'localStorage');
	});

	it('gives back what was saved, with the time it was saved', () => {
		saveSnapshot('DEMO/boss/2026-07', { rows: [1, 2] }, at(5));
		expect(readSnapshot('DEMO/boss/2026-07')).toEqual({
			savedAt: at(5).toISOString(),
			data: { rows: [1, 2] }
		});
		expect(readSnapshot('DEMO/boss/2026-06')).toBeNull();
	});

	it('keeps the most recent copies only, and leaves other data alone', () => {
		store.setItem('PARAGLIDE_LOCALE', 'en');
		for (let i = 0; i < MAX_ENTRIES + 5; i++) saveSnapshot(`key-${i}`, i, at(i));
		expect(readSnapshot('key-4')).toBeNull();
		expect(readSnapshot('key-5')?.data).toBe(5);
		expect(readSnapshot(`key-${MAX_ENTRIES + 4}`)?.data).toBe(MAX_ENTRIES + 4);
		expect(store.length).toBe(MAX_ENTRIES + 1);
		// Saving a period again replaces its copy rather than adding one.
		saveSnapshot('key-5', 'again', at(59));
		expect(store.length).toBe(MAX_ENTRIES + 1);
		expect(readSnapshot('key-5')?.data).toBe('again');
	});

	it('drops the oldest copies when storage is full', () => {
		store = new MemoryStorage(600);
		globalThis.localStorage = store;
		const big = 'x'.repeat(150);
		saveSnapshot('a', big, at(1));
		saveSnapshot('b', big, at(2));
		saveSnapshot('c', big, at(3));
		saveSnapshot('d', big, at(4));
		expect(readSnapshot('a')).toBeNull();
		expect(readSnapshot('d')?.data).toBe(big);
		// Larger than the whole quota: nothing is stored, nothing throws.
		expect(() => saveSnapshot('e', 'y'.repeat(1000), at(5))).not.toThrow();
		expect(readSnapshot('e')).toBeNull();
	});

	it('forgets every copy on request, and works without storage at all', () => {
		store.setItem('PARAGLIDE_LOCALE', 'en');
		saveSnapshot('a', 1);
		saveSnapshot('b', 2);
		clearSnapshots();
		expect(readSnapshot('a')).toBeNull();
		expect(store.getItem('PARAGLIDE_LOCALE')).toBe('en');

		Reflect.deleteProperty(globalThis, 'localStorage');
		expect(() => saveSnapshot('a', 1)).not.toThrow();
		expect(readSnapshot('a')).toBeNull();
	});

	it('ignores a damaged copy', () => {
		store.setItem('repairscore.scorecard.v1:broken', '{not json');
		expect(readSnapshot('broken')).toBeNull();
	});
});
