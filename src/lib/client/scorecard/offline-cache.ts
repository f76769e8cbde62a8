/**
 * The last viewed scorecards, kept in localStorage so they stay readable offline. Each entry is
 * one page's JSON (a station scorecard or a technician's) under a key naming the station, the
 * signed-in user and the period; only the most recent entries are kept.
 *
 * localStorage rather than IndexedDB: entries are small, read once per page load, and reading
 * them synchronously keeps the offline fallback inside the page's load function simple.
 */
const PREFIX = 'repairscore.scorecard.v1:';
/** Technician pages carry their jobs (up to a few hundred KB per quarter); 5 MB is the usual quota. */
export const MAX_ENTRIES = 24;

interface Entry<T> {
	savedAt: string;
	data: T;
}

function storage(): Storage | null {
	try {
		return globalThis.localStorage ?? null;
	} catch {
		// Access throws when storage is disabled (some private modes).
		return null;
	}
}

/** Keys of the stored entries, oldest first. */
function entriesByAge(store: Storage): string[] {
	const entries: { key: string; savedAt: string }[] = [];
	for (let index = 0; index < store.length; index++) {
		const key = store.key(index);
		if (!key?.startsWith(PREFIX)) continue;
		entries.push({ key, savedAt: readEntry(store, key)?.savedAt ?? '' });
	}
	return entries.sort((a, b) => a.savedAt.localeCompare(b.savedAt)).map((entry) => entry.key);
}

function readEntry<T>(store: Storage, key: string): Entry<T> | null {
	try {
		const text = store.getItem(key);
		return text ? (JSON.parse(text) as Entry<T>) : null;
	} catch {
		return null;
	}
}

export function saveSnapshot<T>(key: string, data: T, savedAt = new Date()): void {
	const store = storage();
	if (!store) return;
	const text = JSON.stringify({ savedAt: savedAt.toISOString(), data } satisfies Entry<T>);
	const others = entriesByAge(store).filter((existing) => existing !== PREFIX + key);
	while (others.length > MAX_ENTRIES - 1) store.removeItem(others.shift()!);
	for (;;) {
		try {
			store.setItem(PREFIX + key, text);
			return;
		} catch {
			// Over quota: make room by dropping the oldest copies; give up when none is left.
			const oldest = others.shift();
			if (!oldest) return;
			store.removeItem(oldest);
		}
	}
}

export function readSnapshot<T>(key: string): Entry<T> | null {
	const store = storage();
	return store ? readEntry<T>(store, PREFIX + key) : null;
}

/** Forgets every stored scorecard, e.g. when the user signs out of a shared tablet. */
export function clearSnapshots(): void {
	const store = storage();
	if (!store) return;
	for (const key of entriesByAge(store)) store.removeItem(key);
}
