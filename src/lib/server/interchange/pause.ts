/**
 * Long CPU work in slices: an import of 20 MB reads, checks and plans for seconds, and one
 * Node process serves every request of the station. Work that calls `pause.maybe()` often
 * (per record, per row) gives the event loop back every SLICE_MS, so other requests wait at
 * most about one slice.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

const SLICE_MS = 10;

export class WorkSlicer {
	private sliceStart = performance.now();

	/** Resolves at once within a slice; after a slice, on the next turn of the event loop. */
	async maybe(): Promise<void> {
		if (performance.now() - this.sliceStart < SLICE_MS) return;
		await nextTurn();
		this.sliceStart = performance.now();
	}
}
