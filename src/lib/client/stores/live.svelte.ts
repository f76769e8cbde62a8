/**
 * A Dexie liveQuery as a Svelte 5 reactive value: `current` re-renders whatever reads it when the
 * rows it depends on change, in this tab or in any other tab of the same browser. The query runs
 * only while something on screen reads it.
 */
import { liveQuery } from 'dexie';
import { createSubscriber } from 'svelte/reactivity';

export class LiveQuery<T> {
	#value: T;
	#loaded = $state(false);
	#error = $state<unknown>(null);
	readonly #subscribe: () => void;

	constructor(query: () => T | Promise<T>, initial: T) {
		this.#value = initial;
		this.#subscribe = createSubscriber((update) => {
			const subscription = liveQuery(query).subscribe({
				next: (value) => {
					this.#value = value;
					this.#loaded = true;
					this.#error = null;
					update();
				},
				error: (error: unknown) => {
					this.#error = error;
					update();
				}
			});
			return () => subscription.unsubscribe();
		});
	}

	get current(): T {
		this.#subscribe();
		return this.#value;
	}

	/** False until the first answer arrived: "loading" rather than "nothing there". */
	get loaded(): boolean {
		this.#subscribe();
		return this.#loaded;
	}

	get error(): unknown {
		this.#subscribe();
		return this.#error;
	}
}
