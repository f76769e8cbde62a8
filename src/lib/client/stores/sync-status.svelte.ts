/**
 * What the technician always sees about syncing (sync status bar): how many changes wait, when
 * the last sync succeeded, whether the device is online, whether a sync is running, the changes
 * the server refused and why, and whether the session expired.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { LocalDatabase, RejectedChange } from '../local/db';
import type { SyncEngine, SyncState } from '../sync/engine';
import { LiveQuery } from './live.svelte';

export class SyncStatus {
	#engineState = $state<SyncState>({
		phase: 'idle',
		lastError: null,
		failures: 0,
		nextAttemptAt: null
	});
	readonly #pending: LiveQuery<number>;
	readonly #lastSyncedAt: LiveQuery<Date | null>;
	readonly #rejected: LiveQuery<RejectedChange[]>;
	readonly #stopListening: () => void;
	// Not `online` from svelte/reactivity/window: importing it keeps that module's nine other
	// window values in the bundle (their constructors are not marked as free of side effects).
	readonly #subscribeOnline = createSubscriber((update) => {
		addEventListener('online', update);
		addEventListener('offline', update);
		return () => {
			removeEventListener('online', update);
			removeEventListener('offline', update);
		};
	});

	constructor(db: LocalDatabase, engine: SyncEngine) {
		this.#pending = new LiveQuery(() => db.outbox.count(), 0);
		this.#lastSyncedAt = new LiveQuery(() => db.getMeta('lastSyncedAt'), null);
		this.#rejected = new LiveQuery(
			() =>
				db.rejected
					.filter((change) => change.dismissedAt === null)
					.reverse()
					.sortBy('mutationId'),
			[]
		);
		this.#stopListening = engine.subscribe((state) => {
			this.#engineState = state;
		});
	}

	/** Changes saved on this device that the server has not yet confirmed. */
	get pendingCount(): number {
		return this.#pending.current;
	}

	get lastSyncedAt(): Date | null {
		return this.#lastSyncedAt.current;
	}

	/** The browser's own idea of connectivity; a failed request also shows as offline below. */
	get online(): boolean {
		this.#subscribeOnline();
		return navigator.onLine;
	}

	get phase(): SyncState['phase'] {
		return this.#engineState.phase;
	}

	get syncing(): boolean {
		return this.#engineState.phase === 'syncing';
	}

	/** The server could not be reached on the last attempt, though the browser thinks it is online. */
	get unreachable(): boolean {
		return this.#engineState.phase === 'offline';
	}

	get failing(): boolean {
		return this.#engineState.phase === 'failing';
	}

	get authExpired(): boolean {
		return this.#engineState.phase === 'signedOut';
	}

	get wrongUser(): boolean {
		return this.#engineState.phase === 'wrongUser';
	}

	get nextAttemptAt(): Date | null {
		return this.#engineState.nextAttemptAt;
	}

	/** Refused changes the technician has not dismissed yet, newest first. */
	get rejected(): RejectedChange[] {
		return this.#rejected.current;
	}

	dispose(): void {
		this.#stopListening();
	}
}
