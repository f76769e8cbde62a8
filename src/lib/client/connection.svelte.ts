/**
 * Whether the browser has a network, as a rune the pages read: `navigator.onLine` and its
 * events. On the server (and before the page runs) the answer is "online".
 */
import { browser } from '$app/environment';

class Connection {
	offline = $state(false);
	/** The browser reported a network at some point while this page ran. */
	seenOnline = $state(false);

	constructor() {
		if (!browser) return;
		this.offline = !navigator.onLine;
		addEventListener('online', () => {
			this.offline = false;
			this.seenOnline = true;
		});
		addEventListener('offline', () => (this.offline = true));
	}
}

export const connection = new Connection();
