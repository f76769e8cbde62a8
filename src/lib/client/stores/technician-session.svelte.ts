/**
 * Everything the technician pages share while open: whose device store it is, the store, the
 * change recorder, the sync engine and its status. Made once per page load for the identity
 * the page resolved (local/identity.ts), handed to components through Svelte context.
 */
import { getContext, setContext } from 'svelte';
import { LocalChanges } from '../local/changes';
import {
	openLocalDatabase,
	requestPersistentStorage,
	type LocalDatabase,
	type SurveyKey
} from '../local/db';
import type { TechnicianIdentity } from '../local/identity';
import { parcelsMayWait } from '../local/device-session';
import type { PhotoQueue } from '../photos/queue';
import type { DeviceKeyPair } from '../sealing/seal';
import { SyncEngine } from '../sync/engine';
import type { SyncTransport } from '../sync/transport';
import { SyncStatus } from './sync-status.svelte';

export class TechnicianSession {
	readonly changes: LocalChanges;
	readonly status: SyncStatus;
	private photos: Promise<PhotoQueue> | null = null;

	private constructor(
		readonly user: TechnicianIdentity,
		readonly db: LocalDatabase,
		readonly engine: SyncEngine,
		/** How many other accounts have sealed changes waiting on this device (never whose). */
		readonly othersWaiting: number
	) {
		this.changes = new LocalChanges(db, () => engine.notifyLocalWrite());
		this.status = new SyncStatus(db, engine);
	}

	/**
	 * Opens `user`'s device store. Changes sealed at their last sign-out on this device come back
	 * first, under their old client id (sealing/seal.ts); that needs their key from the server, so
	 * offline it fails (SyncFailure 'offline') and the store stays closed: new changes made now
	 * would start another sequence that the sealed ones could not join.
	 */
	static async open(
		user: TechnicianIdentity,
		transport: SyncTransport,
		deviceKeys: () => Promise<DeviceKeyPair & { survey: SurveyKey | null }>,
		onVersionChange: () => void
	): Promise<TechnicianSession> {
		let othersWaiting = 0;
		if (await parcelsMayWait()) {
			const sealing = await import('../sealing/seal');
			if (await sealing.hasParcel(user.id))
				await sealing.restoreParcel(user.id, await deviceKeys());
			othersWaiting = await sealing.otherAccountsWaiting(user.id);
		}
		const db = await openLocalDatabase(user.id, { onVersionChange });
		void requestPersistentStorage();
		// The public key seals this store's waiting changes if they sign out, offline too; the
		// survey key, asked with it, signs the customer survey of a job completed offline (a store
		// made before it existed gets it when a completed job's survey is first shown online).
		if (!(await db.meta.get('sealingKey'))?.value) {
			deviceKeys()
				.then(({ x, y, survey }) =>
					Promise.all([db.setMeta('sealingKey', { x, y }), db.setMeta('surveyKey', survey)])
				)
				.catch(() => undefined);
		}
		const session = new TechnicianSession(
			user,
			db,
			new SyncEngine({ db, transport }),
			othersWaiting
		);
		session.engine.start();
		// Photos left to send from an earlier visit go without the job page being opened.
		void db.photos
			.where('state')
			.anyOf('waiting', 'uploading')
			.count()
			.then((pending) => {
				if (pending > 0) void session.photoQueue();
			});
		return session;
	}

	/** The photos' upload queue (photos/queue.ts), loaded and started on first use. */
	photoQueue(): Promise<PhotoQueue> {
		this.photos ??= import('../photos/queue').then(({ startPhotoQueue }) =>
			startPhotoQueue(this.db, this.engine)
		);
		return this.photos;
	}

	close(): void {
		void this.photos?.then((queue) => queue.stop());
		this.engine.stop();
		this.status.dispose();
		this.db.close();
	}
}

const CONTEXT_KEY = Symbol('technician-session');

export function provideTechnicianSession(session: TechnicianSession): void {
	setContext(CONTEXT_KEY, session);
}

export function technicianSession(): TechnicianSession {
	const session = getContext<TechnicianSession | undefined>(CONTEXT_KEY);
	if (!session) throw new Error('Technician components must be inside the technician app');
	return session;
}
