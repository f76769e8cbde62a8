/**
 * Tests only: the file side of the server as shared/job-files.ts states it, in memory, with the
 * failures a phone meets injected per piece.
 */
import { createHash } from 'node:crypto';
import { JOB_FILE_CHUNK_BYTES } from '../../shared/evidence-domain';
import type { DescribeJobFile, JobFileProgress } from '../../shared/job-files';
import { PhotoUploadFailure, type PhotoTransport } from '../photos/transport';

/**
 * What happens to the next piece: it arrives and is answered (ok), never arrives
 * (unreachable), or arrives and is kept but its answer is lost (answerLost).
 */
export type PieceFault = 'ok' | 'unreachable' | 'answerLost';

interface ServerFile {
	description: DescribeJobFile;
	bytes: Uint8Array;
	received: number;
	stored: boolean;
}

export class FakeFileServer implements PhotoTransport {
	readonly files = new Map<string, ServerFile>();
	/** Every piece that reached the server: where it started, its length, whether it was kept. */
	readonly pieces: Array<{ id: string; offset: number; length: number; kept: boolean }> = [];
	readonly pieceFaults: PieceFault[] = [];
	describes = 0;

	constructor(
		/** Whether the server knows the job (its creation has arrived). */
		public knowsJob: (jobId: string) => boolean = () => true,
		/** Whether describe answers with the progress (else the phone asks files.progress). */
		private readonly describeAnswersProgress = false
	) {}

	async describe(input: DescribeJobFile): Promise<JobFileProgress | null> {
		this.describes += 1;
		if (!this.knowsJob(input.jobId)) throw new PhotoUploadFailure('jobUnknown', 'NOT_FOUND');
		const known = this.files.get(input.id);
		if (known && known.description.sha256 !== input.sha256) {
			throw new PhotoUploadFailure('refused', 'CONFLICT: the same id with other bytes');
		}
		if (!known) {
			this.files.set(input.id, {
				description: input,
				bytes: new Uint8Array(input.byteSize),
				received: 0,
				stored: false
			});
		}
		return this.describeAnswersProgress ? this.progressOf(input.id) : null;
	}

	async progress(ids: string[]): Promise<JobFileProgress[]> {
		return ids.filter((id) => this.files.has(id)).map((id) => this.progressOf(id));
	}

	async sendPiece(id: string, offset: number, piece: Blob): Promise<JobFileProgress> {
		const fault = this.pieceFaults.shift() ?? 'ok';
		if (fault === 'unreachable') throw new PhotoUploadFailure('offline', 'connection refused');
		const file = this.files.get(id);
		if (!file) throw new PhotoUploadFailure('jobUnknown', 'NOT_FOUND');
		if (piece.size > JOB_FILE_CHUNK_BYTES) throw new PhotoUploadFailure('refused', '413');
		const kept = offset === file.received && !file.stored;
		this.pieces.push({ id, offset, length: piece.size, kept });
		if (kept) {
			file.bytes.set(new Uint8Array(await piece.arrayBuffer()), offset);
			file.received += piece.size;
			if (file.received === file.description.byteSize) {
				const hash = createHash('sha256').update(file.bytes).digest('hex');
				file.stored = hash === file.description.sha256;
			}
		}
		if (fault === 'answerLost') throw new PhotoUploadFailure('offline', 'connection reset');
		return this.progressOf(id);
	}

	private progressOf(id: string): JobFileProgress {
		const file = this.files.get(id)!;
		return {
			id,
			receivedBytes: file.received,
			byteSize: file.description.byteSize,
			stored: file.stored
		};
	}
}
