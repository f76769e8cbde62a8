/**
 * The service worker as the page sees it (docs/pwa.md): registers the generated sw.js and tells
 * the update prompt when a new version of the app is installed and waiting.
 *
 * A new version never takes over by itself (registerType 'prompt'): activating it means a
 * reload, and a reload in the middle of a form would lose what is typed but not yet saved.
 * Saved work is safe either way: it lives in IndexedDB, not in the page.
 */
import { registerSW } from 'virtual:pwa-register';

/** Browsers look for a new sw.js on navigations; an app left open for days also asks hourly. */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

class AppUpdate {
	/** A new version is ready; the prompt asks the user to reload. */
	available = $state(false);
	/** The user chose to reload; the new version is taking over. */
	applying = $state(false);

	#started = false;
	#registration: ServiceWorkerRegistration | undefined;
	#activateWaiting: (() => Promise<void>) | null = null;
	/** The waiting version the user said "later" to. */
	#postponed: ServiceWorker | null = null;
	/** Another tab let the new version take over: this tab only needs to reload. */
	#activatedElsewhere = false;

	/** Registers the service worker once per page; later calls do nothing. */
	start(): void {
		if (this.#started || !('serviceWorker' in navigator)) return;
		this.#started = true;
		this.#activateWaiting = registerSW({
			immediate: true,
			onNeedRefresh: () => {
				// Workbox announces one new version up to twice ("installed", then "waiting"):
				// "later" holds for that version.
				const waiting = this.#registration?.waiting ?? null;
				if (waiting && waiting === this.#postponed) return;
				this.available = true;
			},
			// The new version controls this tab now. If this tab asked for it, apply() reloads;
			// otherwise (another tab did) leave the choice to this tab's user as well.
			onNeedReload: () => {
				if (this.applying) return;
				this.#activatedElsewhere = true;
				this.available = true;
			},
			onRegisteredSW: (_url, registration) => {
				this.#registration = registration;
				if (!registration) return;
				setInterval(() => {
					// A failed check (offline, flaky network) is simply retried at the next interval.
					if (navigator.onLine) registration.update().catch(() => undefined);
				}, UPDATE_CHECK_INTERVAL_MS);
			},
			onRegisterError: (error) => {
				console.error('RepairScore: the service worker could not be registered', error);
			}
		});
	}

	/** Lets the waiting version take over; the page reloads once it controls this tab. */
	async apply(): Promise<void> {
		this.applying = true;
		// Workbox reports the takeover only to tabs that were controlled when they loaded: a tab
		// opened on the first visit never hears of it, so this tab listens itself. With nothing
		// waiting any more, another tab already let the new version in: a reload is all it takes.
		if (this.#activatedElsewhere || !this.#registration?.waiting) {
			location.reload();
			return;
		}
		navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), {
			once: true
		});
		await this.#activateWaiting?.();
	}

	/** Hides the prompt; it comes back on the next page load while the new version still waits. */
	dismiss(): void {
		this.#postponed = this.#registration?.waiting ?? null;
		this.available = false;
	}
}

export const appUpdate = new AppUpdate();
