/** Tests only: a browser profile's IndexedDB (fake-indexeddb), separate per call. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openLocalDatabase, type LocalDatabaseOptions } from '../local/db';

export interface FakeBrowser {
	indexedDB: IDBFactory;
	IDBKeyRange: typeof IDBKeyRange;
}

export function fakeBrowser(): FakeBrowser {
	return { indexedDB: new IDBFactory(), IDBKeyRange };
}

export function openDeviceStore(
	ownerId: string,
	browser: FakeBrowser,
	options: Omit<LocalDatabaseOptions, 'indexedDB' | 'IDBKeyRange'> = {}
) {
	return openLocalDatabase(ownerId, { ...browser, ...options });
}
