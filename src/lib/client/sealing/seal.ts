/**
 * A signed-out person's unsent changes on a shared device: sealed, kept, and brought back
 * when they sign in here again (docs/pwa.md, "Shared phones and tablets").
 * Parcels wait in an IndexedDB database of their own, one per owner, which exists only while
 * a parcel does. This module is loaded only at sign-out and when that database exists, outside
 * the technician page's scripts: most starts need neither.
 *
 * At sign-out the person's device store is deleted. If it still holds changes the server has not
 * confirmed (or refusals they have not read), those are first encrypted into a parcel: an
 * ephemeral P-256 ECDH key agrees a secret with the owner's public key (kept in their store),
 * HKDF turns it into an AES-GCM key, and the owner's id is bound as additional data. The device
 * never holds the private key, so nobody using it afterwards can read the parcel; the server
 * hands the private key to its owner only, when they are signed in (auth.deviceKey).
 *
 * A parcel holds what resending needs: the store's client id and the server's last confirmed
 * mutation id, so the same mutations go out under the same ids and the server's exactly-once
 * bookkeeping recognises any it already applied; the job counter, so job numbers never repeat.
 */
import { Dexie, type EntityTable } from 'dexie';
import { applyToView } from '../local/apply';
import {
	LocalDatabase,
	openLocalDatabase,
	type LocalDatabaseOptions,
	type OutboxEntry,
	type PublicDeviceKey,
	type RejectedChange
} from '../local/db';
import { PARKED_DATABASE } from '../local/names';
import { decodeSuperjson, encodeSuperjson } from '../sync/wire';

/** The owner's whole key pair, as the server gives it to them (never stored on the device). */
export interface DeviceKeyPair extends PublicDeviceKey {
	d: string;
}

/** Readable: the owner's id and when. Sealed: everything else. */
interface Parcel {
	ownerId: string;
	parkedAt: Date;
	/** The ephemeral public key of the key agreement. */
	ephemeral: PublicDeviceKey;
	iv: Uint8Array<ArrayBuffer>;
	sealed: ArrayBuffer;
}

class ParkedDatabase extends Dexie {
	parcels!: EntityTable<Parcel, 'ownerId'>;

	constructor(options: LocalDatabaseOptions) {
		const { indexedDB, IDBKeyRange } = options;
		super(PARKED_DATABASE, indexedDB && IDBKeyRange ? { indexedDB, IDBKeyRange } : {});
		this.version(1).stores({ parcels: 'ownerId' });
	}
}

async function withParked<T>(
	options: LocalDatabaseOptions,
	use: (parked: ParkedDatabase) => Promise<T>
): Promise<T> {
	const parked = new ParkedDatabase(options);
	try {
		return await use(parked);
	} finally {
		parked.close();
	}
}

/** Whether `ownerId` has sealed changes waiting on this device. */
export function hasParcel(ownerId: string, options: LocalDatabaseOptions = {}): Promise<boolean> {
	return withParked(options, async (parked) => (await parked.parcels.get(ownerId)) !== undefined);
}

/** How many other accounts have sealed changes waiting here (never whose, never what). */
export function otherAccountsWaiting(
	ownerId: string,
	options: LocalDatabaseOptions = {}
): Promise<number> {
	return withParked(options, (parked) => parked.parcels.where('ownerId').notEqual(ownerId).count());
}

interface ParcelContents {
	clientId: string;
	lastMutationId: number;
	jobCounter: number;
	outbox: OutboxEntry[];
	rejected: RejectedChange[];
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const HKDF_INFO = new TextEncoder().encode('repairscore parked changes v1');

function jwk(key: PublicDeviceKey & { d?: string }): JsonWebKey {
	return { kty: 'EC', crv: 'P-256', x: key.x, y: key.y, ...(key.d ? { d: key.d } : {}) };
}

async function agreedKey(
	privateKey: CryptoKey,
	publicKey: CryptoKey,
	usage: 'encrypt' | 'decrypt'
): Promise<CryptoKey> {
	const secret = await crypto.subtle.deriveBits(
		{ name: 'ECDH', public: publicKey },
		privateKey,
		256
	);
	const hkdf = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
	return crypto.subtle.deriveKey(
		{ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: HKDF_INFO },
		hkdf,
		{ name: 'AES-GCM', length: 256 },
		false,
		[usage]
	);
}

async function seal(
	ownerId: string,
	contents: ParcelContents,
	owner: PublicDeviceKey
): Promise<Parcel> {
	const recipient = await crypto.subtle.importKey('jwk', jwk(owner), ECDH, false, []);
	const ephemeral = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
	const key = await agreedKey(ephemeral.privateKey, recipient, 'encrypt');
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const plain = new TextEncoder().encode(JSON.stringify(encodeSuperjson(contents)));
	const sealed = await crypto.subtle.encrypt(
		{ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(ownerId) },
		key,
		plain
	);
	const { x, y } = await crypto.subtle.exportKey('jwk', ephemeral.publicKey);
	return { ownerId, parkedAt: new Date(), ephemeral: { x: x!, y: y! }, iv, sealed };
}

async function unseal(parcel: Parcel, keys: DeviceKeyPair): Promise<ParcelContents> {
	const privateKey = await crypto.subtle.importKey('jwk', jwk(keys), ECDH, false, ['deriveBits']);
	const ephemeral = await crypto.subtle.importKey('jwk', jwk(parcel.ephemeral), ECDH, false, []);
	const key = await agreedKey(privateKey, ephemeral, 'decrypt');
	const plain = await crypto.subtle.decrypt(
		{
			name: 'AES-GCM',
			iv: parcel.iv,
			additionalData: new TextEncoder().encode(parcel.ownerId)
		},
		key,
		parcel.sealed
	);
	return decodeSuperjson(JSON.parse(new TextDecoder().decode(plain))) as ParcelContents;
}

type SealOutcome =
	/** Nothing was waiting: the store is gone. */
	| 'deleted'
	/** Its waiting changes are sealed in a parcel; the store is gone. */
	| 'parked'
	/**
	 * Kept as it is: changes wait but no public key is known (the server was never asked since
	 * this version), or a parcel of this owner is already waiting, or photos wait to be sent
	 * (too large for a parcel). Losing changes is worse.
	 */
	| 'kept';

/**
 * Seals what still waits in `ownerId`'s device store into a parcel, then deletes the store.
 * The store must not be open elsewhere in this page; other tabs are asked to close it
 * (db.ts: versionchange).
 */
export async function sealAndDeleteStore(
	ownerId: string,
	options: LocalDatabaseOptions = {}
): Promise<SealOutcome> {
	const db = new LocalDatabase(ownerId, options);
	await db.open();
	let contents: ParcelContents;
	let owner: PublicDeviceKey | null;
	let photosWaiting: number;
	try {
		const meta = new Map((await db.meta.toArray()).map((row) => [row.key, row.value]));
		contents = {
			clientId: meta.get('clientId') as string,
			lastMutationId: meta.get('lastMutationId') as number,
			jobCounter: meta.get('jobCounter') as number,
			outbox: await db.outbox.toArray(),
			rejected: await db.rejected.filter((change) => change.dismissedAt === null).toArray()
		};
		owner = (meta.get('sealingKey') as PublicDeviceKey | null | undefined) ?? null;
		photosWaiting = await db.photos.where('state').anyOf('waiting', 'uploading').count();
	} finally {
		db.close();
	}
	if (photosWaiting > 0) return 'kept';
	if (contents.outbox.length > 0 || contents.rejected.length > 0) {
		if (!owner) return 'kept';
		const parcel = await seal(ownerId, contents, owner);
		const added = await withParked(options, async (parked) => {
			if (await parked.parcels.get(ownerId)) return false;
			await parked.parcels.add(parcel);
			return true;
		});
		if (!added) return 'kept';
		await db.delete();
		return 'parked';
	}
	await db.delete();
	return 'deleted';
}

/**
 * Opens `ownerId`'s parcel with their key pair and puts its changes back into their device store
 * (created anew), ready to be sent; the parcel is removed only once the store holds them. A wrong
 * key or a tampered parcel throws and leaves the parcel as it was.
 */
export async function restoreParcel(
	ownerId: string,
	keys: DeviceKeyPair,
	options: LocalDatabaseOptions = {}
): Promise<void> {
	await withParked(options, async (parked) => {
		const parcel = await parked.parcels.get(ownerId);
		if (!parcel) return;
		const contents = await unseal(parcel, keys);
		const db = await openLocalDatabase(ownerId, options);
		try {
			await db.transaction('rw', db.tables, async () => {
				// Another client id's changes cannot be merged into this store's sequence.
				if ((await db.outbox.count()) > 0) {
					throw new Error('This device store already has unsent changes of its own');
				}
				await db.setMeta('clientId', contents.clientId);
				await db.setMeta('lastMutationId', contents.lastMutationId);
				await db.setMeta('jobCounter', contents.jobCounter);
				// The next pull brings everything the server holds, and rebases these changes on it.
				await db.setMeta('cursor', null);
				await db.outbox.bulkAdd(contents.outbox);
				await db.rejected.bulkPut(contents.rejected);
				for (const entry of contents.outbox) await applyToView(db, entry);
			});
		} finally {
			db.close();
		}
		await parked.parcels.delete(ownerId);
		// Gone with its last parcel, so that a start can tell from the database list alone.
		if ((await parked.parcels.count()) === 0) await parked.delete();
	});
}
