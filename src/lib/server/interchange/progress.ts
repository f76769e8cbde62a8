/**
 * How far an import is, for a person waiting on a large one: the command line's progress line
 * and the upload page's bar. Reports are throttled, so that counting every row costs nothing.
 */

/** The stages of an import, in order: each file is read, then checked (and staged), then written. */
export type ImportPhase = 'reading' | 'checking' | 'writing';

export interface ImportProgress {
	phase: ImportPhase;
	/** The file being read, checked or written. */
	file: string;
	/** Its rows done so far (`writing`: the rows being written). */
	rows: number;
}

/** At most one report in this many milliseconds, except when the phase or file changes. */
const REPORT_EVERY_MS = 200;

export class ProgressReporter {
	private lastAt = 0;
	private last: ImportProgress | null = null;

	constructor(private readonly listener: (progress: ImportProgress) => void = () => {}) {}

	at(phase: ImportPhase, file: string, rows: number): void {
		const now = performance.now();
		const moved = this.last?.phase !== phase || this.last.file !== file;
		if (!moved && now - this.lastAt < REPORT_EVERY_MS) return;
		this.lastAt = now;
		this.last = { phase, file, rows };
		this.listener(this.last);
	}
}
