/**
 * The service worker as the page sees it (docs/pwa.md): registers the generated sw.js and tells
 * the update prompt when a new version of the app is installed and waiting.
 *
 * A new version never takes over by itself (registerType 'prompt'): activating it means a
 * reload, and a reload in the middle of a form would lose what is typed but not yet saved.
 * Saved work is safe either way: it lives in IndexedDB, not in the page.
 *
 * Written against the browser's own service worker API rather than workbox-window (what
 * virtual:pwa-register loads): the few events below are all the prompt needs, and every
 * technician page would otherwise download that library.
 */

/** Where vite.config.ts has the PWA plugin write the worker (its default name, scope '/'). */
const SERVICE_WORKER_URL = '/sw.js';
const SERVICE_WORKER_SCOPE = '/';
/** Browsers look for a new sw.js on navigations; an app left open for days also asks hourly. */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

class AppUpdate {
	/** A new version is ready; the prompt asks the user to reload. */
	available = $state(false);
	/** The user chose to reload; the new version is taking over. */
	applying = $state(false);

	#started = false;
	#registration: ServiceWorkerRegistration | undefined;
	/** A new version was announced to this tab: a change of controller from now on is that version. */
	#announced = false;
	/** The waiting version the user said "later" to. */
	#postponed: ServiceWorker | null = null;
	/** Another tab let the new version take over: this tab only needs to reload. */
	#activatedElsewhere = false;

	/** Registers the service worker once per page; later calls do nothing. */
	start(): void {
		if (this.#started || !('serviceWorker' in navigator)) return;
		this.#started = true;
		// The new version controls this tab now. If this tab asked for it, apply() reloads;
		// otherwise (another tab did) leave the choice to this tab's user as well. The first
		// version claiming the tab of the first visit is no update: nothing was announced then.
		navigator.serviceWorker.addEventListener('controllerchange', () => {
			if (!this.#announced || this.applying) return;
			this.#activatedElsewhere = true;
			this.available = true;
		});
		navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE }).then(
			(registration) => {
				this.#registration = registration;
				// Installed while this tab was closed, or announced before this page was reloaded.
				if (registration.waiting) this.#announce(registration.waiting);
				// The browser may have found the new version before this page asked.
				if (registration.installing) this.#watch(registration, registration.installing);
				registration.addEventListener('updatefound', () => {
					if (registration.installing) this.#watch(registration, registration.installing);
				});
				setInterval(() => {
					// A failed check (offline, flaky network) is simply retried at the next interval.
					if (navigator.onLine) registration.update().catch(() => undefined);
				}, UPDATE_CHECK_INTERVAL_MS);
			},
			(error: unknown) => {
				console.error('RepairScore: the service worker could not be registered', error);
			}
		);
	}

	#watch(registration: ServiceWorkerRegistration, installing: ServiceWorker): void {
		installing.addEventListener('statechange', () => {
			// With no older version active this is the first one: it takes over at once, no prompt.
			if (installing.state === 'installed' && registration.active) {
				this.#announce(installing);
			}
		});
	}

	#announce(waiting: ServiceWorker): void {
		this.#announced = true;
		// "Later" holds for that version.
		if (waiting !== this.#postponed) this.available = true;
	}

	/** Lets the waiting version take over; the page reloads once it controls this tab. */
	apply(): void {
		this.applying = true;
		const waiting = this.#registration?.waiting;
		// With nothing waiting any more, another tab already let the new version in: a reload is
		// all it takes.
		if (this.#activatedElsewhere || !waiting) {
			location.reload();
			return;
		}
		navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), {
			once: true
		});
		// The generated worker activates on this message (Workbox's skipWaiting handler).
		waiting.postMessage({ type: 'SKIP_WAITING' });
	}

	/** Hides the prompt; it comes back on the next page load while the new version still waits. */
	dismiss(): void {
		this.#postponed = this.#registration?.waiting ?? null;
		this.available = false;
	}
}

export const appUpdate = new AppUpdate();
