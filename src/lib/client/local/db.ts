/**
 * The technician's device store: one IndexedDB database (Dexie) per signed-in user, so signing in
 * as someone else never shows or sends the previous person's jobs or unsent changes.
 *
 * Two copies of the synced rows are kept:
 * - `serverJobs`, `serverJobParts`, `serverFollowUps`: exactly what the last pulls said the server
 *   holds (the rebase base);
 * - `jobs`, `jobParts`, `followUps`: what the technician sees, i.e. the server copy with the
 *   still-unacknowledged outbox applied on top.
 * Without the server copy a change the server rejected, or decided differently, would stay on
 * the screen for ever: a pull only carries rows that changed on the server, so the optimistic
 * row would never be replaced (shared/spec/sync.md, "rebase").
 *
 * Schema changes add a new `this.version(n)` with an `upgrade` that carries the old rows over;
 * the outbox is never cleared by an upgrade.
 */
import { Dexie, type EntityTable, type Table } from 'dexie';
import type {
	FaultCategoryRecord,
	FollowUpRecord,
	JobPartRecord,
	JobRecord,
	MutationName,
	PartRecord,
	RejectionReason
} from '../../shared/sync';
import type { Signature } from '../../shared/signature';
import type { PhotoFile, PhotoRecord } from '../photos/records';
import { uuidv4 } from './ids';
import { DATABASE_PREFIX } from './names';

/** One unsent (or sent but not yet acknowledged) change; `id` is the mutation id the server sees. */
export interface OutboxEntry {
	id: number;
	name: MutationName;
	/** Arguments as parsed by `mutationArgs[name]` (dates are Date objects). */
	args: Record<string, unknown>;
	madeAt: Date;
	/** The job the change concerns, so a job can show that it has unsent changes. */
	jobId: string;
}

/**
 * A job the technician has opened on this device: a dispatched job shows as new until then.
 * Kept on the device only (the server has no use for it); a job never opened has no row.
 */
export interface OpenedJob {
	/** The job's id. */
	id: string;
}

/** A change the server refused for good, kept so the technician sees what and why. */
export interface RejectedChange {
	mutationId: number;
	name: MutationName;
	args: Record<string, unknown>;
	madeAt: Date;
	jobId: string;
	/** The job number when the change was made, so the notice can name the job even if it is gone. */
	jobNo: string | null;
	code: string;
	/** The server's English message: shown only for a refusal recorded before `reason` existed. */
	message: string;
	/** Why, as a stable key and parameters the app says in its user's language. */
	reason?: RejectionReason;
	rejectedAt: Date;
	/** Set when the technician has read the notice; the record stays so a resend cannot revive it. */
	dismissedAt: Date | null;
}

/**
 * The customer's signature taken at a job's completion on this device, kept beside the
 * `job.complete` that carries it to the server (which never sends it back in a pull): the
 * service receipt shows it offline. Written with the completion's view change (local/apply.ts).
 */
export interface KeptSignature extends Signature {
	/** The job's id. */
	jobId: string;
}

interface MetaValues {
	/** Made with the database: a wiped database is a new client to the server. */
	clientId: string;
	/** The user this database belongs to. */
	ownerId: string;
	/** The pull cursor; null until the first pull. */
	cursor: string | null;
	/** The highest mutation id a pull has acknowledged. */
	lastMutationId: number;
	/** When a full sync (push + pull) last succeeded. */
	lastSyncedAt: Date | null;
	/** The last per-device job number sequence value handed out (see job-number.ts). */
	jobCounter: number;
	/** The shape of the stored rows; a newer app forgets the cursor to pull everything again. */
	dataVersion: number;
	/** Who may sync now, where the browser has no Web Locks (sync/lock.ts). */
	syncLease: { holder: string; until: number } | null;
	/**
	 * The public half of the owner's key pair, which seals unsent changes at sign-out
	 * (sealing/seal.ts); null until the server has been asked once. It can lock, never unlock.
	 */
	sealingKey: PublicDeviceKey | null;
	/**
	 * The owner's survey key and station (sync/trpc-transport.ts fetchDeviceKeys): signs a
	 * completed job's customer survey link offline. Absent until the server has been asked once;
	 * null for an account that makes no surveys.
	 */
	surveyKey?: SurveyKey | null;
}

/** What signs a customer survey link on this device (shared/survey-token.ts). */
export interface SurveyKey {
	key: string;
	stationId: string;
}

/** The public half of a P-256 key pair, JWK members (server: auth/device-key.ts). */
export interface PublicDeviceKey {
	x: string;
	y: string;
}
type MetaKey = keyof MetaValues;
interface MetaRow {
	key: MetaKey;
	value: unknown;
}

/**
 * Bump when the meaning or shape of pulled rows changes: the next pull then starts from scratch
 * (cursor null) while the outbox stays and is re-applied on top.
 */
const LOCAL_DATA_VERSION = 2;

export function databaseNameFor(userId: string): string {
	return `${DATABASE_PREFIX}${userId}`;
}

export interface LocalDatabaseOptions {
	/** For tests: fake-indexeddb's factory and key range. */
	indexedDB?: IDBFactory;
	IDBKeyRange?: typeof IDBKeyRange;
	/** Another tab is upgrading the schema: this connection is closed first, then this is called. */
	onVersionChange?: () => void;
}

export class LocalDatabase extends Dexie {
	jobs!: EntityTable<JobRecord, 'id'>;
	jobParts!: EntityTable<JobPartRecord, 'id'>;
	followUps!: EntityTable<FollowUpRecord, 'id'>;
	serverJobs!: EntityTable<JobRecord, 'id'>;
	serverJobParts!: EntityTable<JobPartRecord, 'id'>;
	serverFollowUps!: EntityTable<FollowUpRecord, 'id'>;
	parts!: EntityTable<PartRecord, 'id'>;
	faultCategories!: EntityTable<FaultCategoryRecord, 'id'>;
	meta!: Table<MetaRow, MetaKey>;
	outbox!: EntityTable<OutboxEntry, 'id'>;
	rejected!: EntityTable<RejectedChange, 'mutationId'>;
	opened!: EntityTable<OpenedJob, 'id'>;
	photos!: EntityTable<PhotoRecord, 'id'>;
	photoFiles!: EntityTable<PhotoFile, 'id'>;
	signatures!: EntityTable<KeptSignature, 'jobId'>;

	readonly ownerId: string;
	/** This database's clientId, read once when it is opened (it never changes). */
	clientId = '';

	constructor(ownerId: string, options: LocalDatabaseOptions = {}) {
		// Only when given: an explicit undefined would hide the browser's own IndexedDB from Dexie.
		const { indexedDB, IDBKeyRange } = options;
		super(databaseNameFor(ownerId), indexedDB && IDBKeyRange ? { indexedDB, IDBKeyRange } : {});
		this.ownerId = ownerId;
		this.version(1).stores({
			jobs: 'id, status, reportedAt, completedAt',
			jobParts: 'id, jobId',
			followUps: 'id, jobId',
			serverJobs: 'id',
			serverJobParts: 'id, jobId',
			serverFollowUps: 'id, jobId',
			parts: 'id, sku',
			faultCategories: 'id',
			meta: 'key',
			outbox: '++id, jobId',
			rejected: 'mutationId, jobId'
		});
		// Version 2 adds the fields the technician searches and the job page's earlier jobs match
		// on (local/job-search.ts: indexes only) and the opened jobs (tech list's "new"); every
		// earlier table and row stays as it is.
		this.version(2).stores({
			jobs: 'id, status, reportedAt, completedAt, jobNo, customerName, customerPhone, deviceSerial',
			opened: 'id'
		});
		// Version 3 adds a job's photos (photos/records.ts): their description, thumbnail and upload
		// state, and apart from them the full-size file, freed once the server has stored it.
		this.version(3).stores({
			photos: 'id, jobId, state',
			photoFiles: 'id'
		});
		// Version 4 adds the customers' signatures taken at completion on this device.
		this.version(4).stores({ signatures: 'jobId' });
		this.on('populate', (tx) => {
			const initial: MetaValues = {
				clientId: uuidv4(),
				ownerId,
				cursor: null,
				lastMutationId: 0,
				lastSyncedAt: null,
				jobCounter: 0,
				dataVersion: LOCAL_DATA_VERSION,
				syncLease: null,
				sealingKey: null
			};
			return tx
				.table('meta')
				.bulkAdd(Object.entries(initial).map(([key, value]) => ({ key, value })));
		});
		this.on('ready', async () => {
			this.clientId = await this.getMeta('clientId');
		});
		// An old tab must not block another tab's upgrade: let go at once, then reload (the app's
		// choice) so this tab comes back on the new schema with nothing lost.
		this.on('versionchange', () => {
			this.close();
			options.onVersionChange?.();
			return false;
		});
	}

	async getMeta<K extends MetaKey>(key: K): Promise<MetaValues[K]> {
		const row = await this.meta.get(key);
		if (!row)
			throw new Error(`The local database has no "${key}" (it was not created by this app)`);
		return row.value as MetaValues[K];
	}

	async setMeta<K extends MetaKey>(key: K, value: MetaValues[K]): Promise<void> {
		await this.meta.put({ key, value });
	}
}

/**
 * Opens (creating on first use) the database of `ownerId`. A database written by an older app
 * version whose row format differs forgets its cursor, so the next pull brings everything again.
 */
export async function openLocalDatabase(
	ownerId: string,
	options: LocalDatabaseOptions = {}
): Promise<LocalDatabase> {
	const db = new LocalDatabase(ownerId, options);
	await db.open();
	const owner = await db.getMeta('ownerId');
	if (owner !== ownerId) {
		db.close();
		throw new Error(`Local database ${db.name} belongs to another user`);
	}
	await db.transaction('rw', db.meta, async () => {
		if ((await db.getMeta('dataVersion')) < LOCAL_DATA_VERSION) {
			await db.setMeta('cursor', null);
			await db.setMeta('dataVersion', LOCAL_DATA_VERSION);
		}
	});
	return db;
}

/** Ask the browser not to evict this origin's storage under pressure (best effort). */
export async function requestPersistentStorage(): Promise<boolean> {
	if (typeof navigator === 'undefined' || !navigator.storage?.persist) return false;
	try {
		return (await navigator.storage.persisted()) || (await navigator.storage.persist());
	} catch {
		return false;
	}
}
