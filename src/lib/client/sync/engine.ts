/**
 * The device's sync engine (shared/spec/sync.md): push the outbox, then pull, under a lock so one
 * tab syncs at a time.
 *
 * When: at start, when the browser comes online, when the page becomes visible, shortly after a
 * local change (debounced), and on a timer. After a failure the next attempt waits with
 * exponential backoff and jitter, so a station's phones do not all hammer a recovering server.
 *
 * An expired session (401) pauses syncing: nothing is dropped, the status says "sign in again",
 * and the next sync after signing in resumes. Before anything is pushed the engine checks that
 * the server's session belongs to the owner of this database, so one user's outbox is never
 * sent with another user's session.
 */
import type { LocalDatabase } from '../local/db';
import { applyPull } from './apply-pull';
import { BUSY, syncLockFor, type SyncLock } from './lock';
import { pushOutbox } from './push';
import { SyncFailure, type SyncTransport } from './transport';

export type SyncPhase =
	/** Nothing wrong; the last attempt succeeded or none was made yet. */
	| 'idle'
	| 'syncing'
	/** The server could not be reached; retrying. */
	| 'offline'
	/** The server answered with an error; retrying with backoff. */
	| 'failing'
	/** The session expired or was signed out: waiting for the technician to sign in again. */
	| 'signedOut'
	/** The browser is signed in as someone else than the owner of this device store. */
	| 'wrongUser';

export interface SyncState {
	phase: SyncPhase;
	/** The last failure's explanation (server or network wording), for the status details. */
	lastError: string | null;
	/** Consecutive failed attempts. */
	failures: number;
	nextAttemptAt: Date | null;
}

type SyncOutcome = 'synced' | 'busy' | 'offline' | 'failed' | 'signedOut' | 'wrongUser';

export interface SyncEngineOptions {
	db: LocalDatabase;
	transport: SyncTransport;
	lock?: SyncLock;
	clock?: () => Date;
	random?: () => number;
	/** Period of the timer sync after a successful run. */
	intervalMs?: number;
	/** Wait after a local change, so a burst of taps becomes one push. */
	debounceMs?: number;
	backoffBaseMs?: number;
	backoffMaxMs?: number;
}

/** A pull racing another tab's pull is retried this often before the run counts as done. */
const STALE_PULL_RETRIES = 3;
/** Changes made during a run are pushed in the same run, but not endlessly. */
const MAX_ROUNDS = 5;

export class SyncEngine {
	readonly db: LocalDatabase;
	private readonly transport: SyncTransport;
	private readonly lock: SyncLock;
	private readonly clock: () => Date;
	private readonly random: () => number;
	private readonly intervalMs: number;
	private readonly debounceMs: number;
	private readonly backoffBaseMs: number;
	private readonly backoffMaxMs: number;

	private current: SyncState = { phase: 'idle', lastError: null, failures: 0, nextAttemptAt: null };
	private readonly listeners = new Set<(state: SyncState) => void>();
	/** The highest mutation id the server has answered for, as far as this engine knows. */
	private pushedThrough = 0;
	private running: Promise<SyncOutcome> | null = null;
	private rerunRequested = false;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private started = false;
	private readonly detach: Array<() => void> = [];

	constructor(options: SyncEngineOptions) {
		this.db = options.db;
		this.transport = options.transport;
		this.lock = options.lock ?? syncLockFor(options.db);
		this.clock = options.clock ?? (() => new Date());
		this.random = options.random ?? Math.random;
		this.intervalMs = options.intervalMs ?? 60_000;
		this.debounceMs = options.debounceMs ?? 1_500;
		this.backoffBaseMs = options.backoffBaseMs ?? 2_000;
		this.backoffMaxMs = options.backoffMaxMs ?? 300_000;
	}

	get state(): SyncState {
		return this.current;
	}

	subscribe(listener: (state: SyncState) => void): () => void {
		this.listeners.add(listener);
		listener(this.current);
		return () => this.listeners.delete(listener);
	}

	/** Starts the triggers (browser events and timer) and syncs once. */
	start(): void {
		if (this.started) return;
		this.started = true;
		if (typeof window !== 'undefined') {
			const onOnline = () => this.requestSync(0);
			window.addEventListener('online', onOnline);
			this.detach.push(() => window.removeEventListener('online', onOnline));
		}
		if (typeof document !== 'undefined') {
			const onVisibility = () => {
				if (document.visibilityState === 'visible') this.requestSync(0);
			};
			document.addEventListener('visibilitychange', onVisibility);
			this.detach.push(() => document.removeEventListener('visibilitychange', onVisibility));
		}
		this.requestSync(0);
	}

	stop(): void {
		this.started = false;
		for (const undo of this.detach.splice(0)) undo();
		this.clearTimer();
	}

	/** A local change was made: sync soon (several quick changes share one run). */
	notifyLocalWrite(): void {
		if (this.current.phase === 'signedOut' || this.current.phase === 'wrongUser') return;
		this.requestSync(this.debounceMs);
	}

	/** Schedules a sync in `delayMs`, unless one is already due sooner. */
	requestSync(delayMs = this.debounceMs): void {
		if (!this.started) return;
		const due = this.clock().getTime() + delayMs;
		const scheduled = this.current.nextAttemptAt?.getTime();
		if (this.timer && scheduled !== undefined && scheduled <= due) return;
		this.schedule(delayMs);
	}

	/**
	 * Runs one sync now (or joins the one running, which then runs once more to pick up what
	 * changed meanwhile). Never throws: the outcome and the state say what happened.
	 */
	syncNow(): Promise<SyncOutcome> {
		if (this.running) {
			this.rerunRequested = true;
			return this.running;
		}
		this.clearTimer();
		this.running = (async () => {
			let outcome: SyncOutcome;
			do {
				this.rerunRequested = false;
				outcome = await this.runOnce();
			} while (this.rerunRequested && outcome === 'synced');
			return outcome;
		})().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	private async runOnce(): Promise<SyncOutcome> {
		this.update({ phase: 'syncing', nextAttemptAt: null });
		let outcome: SyncOutcome;
		try {
			const result = await this.lock.runExclusive(() => this.pushAndPull());
			outcome = result === BUSY ? 'busy' : result;
		} catch (error) {
			outcome = this.failed(error);
		}
		this.settle(outcome);
		return outcome;
	}

	private async pushAndPull(): Promise<'synced' | 'wrongUser'> {
		const serverUser = await this.transport.currentUserId();
		if (serverUser !== this.db.ownerId) return 'wrongUser';
		const clientId = await this.db.getMeta('clientId');
		this.pushedThrough = Math.max(this.pushedThrough, await this.db.getMeta('lastMutationId'));

		for (let round = 0; round < MAX_ROUNDS; round++) {
			this.pushedThrough = await pushOutbox(
				this.db,
				this.transport,
				clientId,
				this.pushedThrough,
				this.clock
			);
			await this.pull(clientId);
			const unsent = await this.db.outbox.where('id').above(this.pushedThrough).count();
			if (unsent === 0) break;
		}
		await this.db.setMeta('lastSyncedAt', this.clock());
		return 'synced';
	}

	private async pull(clientId: string): Promise<void> {
		for (let attempt = 0; attempt < STALE_PULL_RETRIES; attempt++) {
			const cursor = await this.db.getMeta('cursor');
			const answer = await this.transport.pull({ clientId, cursor });
			if ((await applyPull(this.db, answer, cursor)) === 'applied') {
				this.pushedThrough = Math.max(this.pushedThrough, answer.lastMutationId);
				return;
			}
		}
		throw new SyncFailure('server', 'Another tab kept changing the sync position; trying again.');
	}

	private failed(error: unknown): SyncOutcome {
		if (error instanceof SyncFailure) {
			this.update({ lastError: error.message });
			if (error.kind === 'unauthorized') return 'signedOut';
			if (error.kind === 'forbidden') return 'wrongUser';
			if (error.kind === 'offline') return 'offline';
			return 'failed';
		}
		this.update({ lastError: error instanceof Error ? error.message : String(error) });
		return 'failed';
	}

	private settle(outcome: SyncOutcome): void {
		switch (outcome) {
			case 'synced':
				this.update({ phase: 'idle', lastError: null, failures: 0 });
				this.scheduleIfStarted(this.intervalMs);
				return;
			case 'busy':
				// Another tab is syncing; look again soon in case it goes away mid-way.
				this.update({ phase: this.current.failures > 0 ? 'failing' : 'idle' });
				this.scheduleIfStarted(this.debounceMs * 2);
				return;
			case 'signedOut':
			case 'wrongUser':
				// No timer: retrying cannot help until someone signs in. Visibility / online
				// events and the technician's "sync now" still try, which is how it resumes.
				this.update({ phase: outcome, failures: 0 });
				return;
			case 'offline':
			case 'failed': {
				const failures = this.current.failures + 1;
				this.update({ phase: outcome === 'offline' ? 'offline' : 'failing', failures });
				this.scheduleIfStarted(this.backoffDelay(failures));
				return;
			}
		}
	}

	/** Exponential backoff with "equal jitter": between half and all of base·2^(n-1), capped. */
	backoffDelay(failures: number): number {
		const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (failures - 1));
		return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
	}

	private scheduleIfStarted(delayMs: number): void {
		if (this.started) this.schedule(delayMs);
	}

	private schedule(delayMs: number): void {
		this.clearTimer();
		this.timer = setTimeout(() => {
			this.timer = null;
			void this.syncNow();
		}, delayMs);
		this.update({ nextAttemptAt: new Date(this.clock().getTime() + delayMs) });
	}

	private clearTimer(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	private update(patch: Partial<SyncState>): void {
		this.current = { ...this.current, ...patch };
		for (const listener of this.listeners) listener(this.current);
	}
}
