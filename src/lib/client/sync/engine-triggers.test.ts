/**
 * When the engine syncs (sync.md: at start, on `online`, on visibility, after a write, on a
 * timer, with backoff and jitter after failures), on a fake clock. The transport only counts
 * attempts and answers as each test says; what a sync does is engine.test.ts's business.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalDatabase } from '../local/db';
import { fakeBrowser, openDeviceStore } from '../testing/browser';
import { SyncEngine, type SyncEngineOptions } from './engine';
import type { SyncLock } from './lock';
import { SyncFailure, type SyncTransport } from './transport';

const BASE_MS = 1_000;
const DEBOUNCE_MS = 500;
const INTERVAL_MS = 60_000;

const exclusive: SyncLock = { runExclusive: (task) => task() };

/** A browser's window and document, as far as the engine listens to them. */
class FakePage {
	readonly window = new EventTarget();
	readonly document = Object.assign(new EventTarget(), {
		visibilityState: 'visible' as DocumentVisibilityState
	});

	goOnline() {
		this.window.dispatchEvent(new Event('online'));
	}

	show(state: DocumentVisibilityState) {
		this.document.visibilityState = state;
		this.document.dispatchEvent(new Event('visibilitychange'));
	}
}

/** Attempts are counted at their first request; each is answered by `answer`. */
function countingTransport(ownerId: string, answer: () => 'offline' | 'ok') {
	const attempts: number[] = [];
	const transport: SyncTransport = {
		currentUserId: async () => {
			attempts.push(Date.now());
			if (answer() === 'offline') throw new SyncFailure('offline', 'no network');
			return ownerId;
		},
		push: async () => ({ lastMutationId: 0, results: [], gap: false }),
		pull: async () => ({
			cursor: '1',
			lastMutationId: 0,
			reset: false,
			changes: { jobs: [], jobParts: [], followUps: [], parts: [], faultCategories: [] },
			deletes: { jobs: [], jobParts: [], followUps: [], parts: [], faultCategories: [] }
		})
	};
	return { transport, attempts };
}

describe('when the sync engine syncs', () => {
	let page: FakePage;
	let db: LocalDatabase;
	let engine: SyncEngine | undefined;
	const started = Date.UTC(2026, 10, 23, 8, 0, 0);

	beforeEach(async () => {
		// Only the engine's timers are faked: the fake IndexedDB schedules with setImmediate.
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: started });
		page = new FakePage();
		vi.stubGlobal('window', page.window);
		vi.stubGlobal('document', page.document);
		db = await openDeviceStore(randomUUID(), fakeBrowser());
	});

	afterEach(() => {
		engine?.stop();
		db.close();
		vi.unstubAllGlobals();
		vi.useRealTimers();
	});

	function startEngine(
		answer: () => 'offline' | 'ok',
		options: Partial<SyncEngineOptions> = {}
	): number[] {
		const { transport, attempts } = countingTransport(db.ownerId, answer);
		engine = new SyncEngine({
			db,
			transport,
			lock: exclusive,
			clock: () => new Date(),
			random: () => 0.5,
			backoffBaseMs: BASE_MS,
			backoffMaxMs: 8 * BASE_MS,
			debounceMs: DEBOUNCE_MS,
			intervalMs: INTERVAL_MS,
			...options
		});
		engine.start();
		return attempts;
	}

	/** Lets timers due within `ms` fire, and the work they start finish. */
	async function wait(ms: number) {
		await vi.advanceTimersByTimeAsync(ms);
		for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
	}

	it('syncs at start, then on a timer while things go well', async () => {
		const attempts = startEngine(() => 'ok');
		await wait(0);
		expect(attempts).toEqual([started]);
		expect(engine?.state.phase).toBe('idle');

		await wait(INTERVAL_MS - 1);
		expect(attempts).toHaveLength(1);
		await wait(1);
		expect(attempts).toHaveLength(2);
	});

	it('backs off exponentially with jitter after failures, up to the ceiling', async () => {
		const attempts = startEngine(() => 'offline');
		await wait(0);
		// random() = 0.5: each wait is 3/4 of base·2^(n-1), capped at 8·base.
		for (const ceiling of [1, 2, 4, 8, 8]) await wait(0.75 * ceiling * BASE_MS);
		const gaps = attempts.slice(1).map((at, i) => at - attempts[i]);
		expect(gaps).toEqual([750, 1500, 3000, 6000, 6000]);
		expect(engine?.state).toMatchObject({ phase: 'offline', failures: 6 });
	});

	it('keeps every backoff wait between half and all of its ceiling', () => {
		for (const random of [0, 0.25, 0.999]) {
			const { transport } = countingTransport(db.ownerId, () => 'ok');
			const timing = new SyncEngine({
				db,
				transport,
				lock: exclusive,
				random: () => random,
				backoffBaseMs: BASE_MS,
				backoffMaxMs: 8 * BASE_MS
			});
			for (const [failures, ceiling] of [
				[1, 1],
				[3, 4],
				[9, 8]
			]) {
				const delay = timing.backoffDelay(failures);
				expect(delay).toBeGreaterThanOrEqual((ceiling * BASE_MS) / 2);
				expect(delay).toBeLessThanOrEqual(ceiling * BASE_MS);
			}
		}
	});

	it('syncs at once when the browser comes back online, instead of waiting out the backoff', async () => {
		let network: 'offline' | 'ok' = 'offline';
		const attempts = startEngine(() => network, { backoffBaseMs: 60_000 });
		await wait(0);
		expect(attempts).toHaveLength(1);

		network = 'ok';
		page.goOnline();
		await wait(0);
		expect(attempts).toHaveLength(2);
		expect(engine?.state.phase).toBe('idle');
	});

	it('syncs when the page becomes visible, not when it is hidden', async () => {
		const attempts = startEngine(() => 'ok');
		await wait(0);

		page.show('hidden');
		await wait(0);
		expect(attempts).toHaveLength(1);
		page.show('visible');
		await wait(0);
		expect(attempts).toHaveLength(2);
	});

	it('syncs once shortly after a burst of local changes', async () => {
		const attempts = startEngine(() => 'ok');
		await wait(0);

		engine?.notifyLocalWrite();
		await wait(DEBOUNCE_MS / 2);
		engine?.notifyLocalWrite();
		await wait(DEBOUNCE_MS / 2 - 1);
		expect(attempts).toHaveLength(1);
		await wait(1);
		expect(attempts).toHaveLength(2);
		await wait(DEBOUNCE_MS * 4);
		expect(attempts).toHaveLength(2);
	});

	it('stops every trigger when stopped', async () => {
		const attempts = startEngine(() => 'ok');
		await wait(0);
		engine?.stop();

		page.goOnline();
		page.show('visible');
		engine?.notifyLocalWrite();
		await wait(INTERVAL_MS * 2);
		expect(attempts).toHaveLength(1);
	});
});
