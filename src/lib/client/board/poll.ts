/**
 * Keeping a page fresh while someone looks at it: the open-jobs board asks the server again
 * every ~20 s while the page is visible, at once when it becomes visible again, and not at all
 * while it is hidden (a tablet left on another tab or with its screen off costs nothing).
 */

/** What the board's load depends on (SvelteKit's `depends`), for `invalidate` to rerun it. */
export const BOARD_DEPENDENCY = 'desk:board';

const BOARD_POLL_MS = 20_000;

/** Calls `refresh` every `intervalMs` while the document is visible; returns the stop. */
export function pollWhileVisible(refresh: () => unknown, intervalMs = BOARD_POLL_MS): () => void {
	let timer: ReturnType<typeof setInterval> | undefined;
	const start = () => {
		timer ??= setInterval(refresh, intervalMs);
	};
	const stop = () => {
		clearInterval(timer);
		timer = undefined;
	};
	const onVisibilityChange = () => {
		if (document.visibilityState === 'visible') {
			refresh();
			start();
		} else {
			stop();
		}
	};
	if (document.visibilityState === 'visible') start();
	document.addEventListener('visibilitychange', onVisibilityChange);
	return () => {
		stop();
		document.removeEventListener('visibilitychange', onVisibilityChange);
	};
}
