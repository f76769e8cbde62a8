/**
 * Everything the technician pages share while open: whose device store it is, the store, the
 * change recorder, the sync engine and its status. Made once per page load for the identity
 * the page resolved (local/identity.ts), handed to components through Svelte context.
 */
import { getContext, setContext } from 'svelte';
import { LocalChanges } from '../local/changes';
import { openLocalDatabase, requestPersistentStorage, type LocalDatabase } from '../local/db';
import type { TechnicianIdentity } from '../local/identity';
import { SyncEngine } from '../sync/engine';
import type { SyncTransport } from '../sync/transport';
import { SyncStatus } from './sync-status.svelte';

export class TechnicianSession {
	readonly changes: LocalChanges;
	readonly status: SyncStatus;

	private constructor(
		readonly user: TechnicianIdentity,
		readonly db: LocalDatabase,
		readonly engine: SyncEngine
	) {
		this.changes = new LocalChanges(db, () => engine.notifyLocalWrite());
		this.status = new SyncStatus(db, engine);
	}

	static async open(
		user: TechnicianIdentity,
		transport: SyncTransport,
		onVersionChange: () => void
	): Promise<TechnicianSession> {
		const db = await openLocalDatabase(user.id, { onVersionChange });
		void requestPersistentStorage();
		const session = new TechnicianSession(user, db, new SyncEngine({ db, transport }));
		session.engine.start();
		return session;
	}

	close(): void {
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
