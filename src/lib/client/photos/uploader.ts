/**
 * The photos' own upload queue, beside the sync engine and never in its way: the job's changes
 * go through the outbox whatever happens here, and a photo waits until its job has reached the
 * server (the pull has brought it into `serverJobs`).
 *
 * Each photo is described (with its thumbnail), then its bytes go in pieces of
 * JOB_FILE_CHUNK_BYTES from where the server says it has got to, so a cut connection costs one
 * piece and nothing is sent twice. When the server says the file is stored, its full-size copy
 * on the phone is freed; the thumbnail stays.
 *
 * Failures: no network or a server error pauses the whole queue with exponential backoff and
 * jitter (as the sync engine does); a photo whose job the server does not know yet waits on its
 * own backoff while the others go on; a refused photo is marked so and never sent again.
 */
import { JOB_FILE_CHUNK_BYTES } from '../../shared/evidence-domain';
import type { DescribeJobFile, JobFileProgress } from '../../shared/job-files';
import type { LocalDatabase } from '../local/db';
import type { PhotoRecord } from './records';
import { PhotoUploadFailure, type PhotoTransport } from './transport';

export type UploadOutcome =
	/** Every photo that could go has gone (some may wait for their job). */
	'done' | 'offline' | 'failed' | 'signedOut';

export interface PhotoUploaderOptions {
	db: LocalDatabase;
	transport: PhotoTransport;
	clock?: () => Date;
	random?: () => number;
	backoffBaseMs?: number;
	backoffMaxMs?: number;
}

const PENDING = ['waiting', 'uploading'] as const;

async function base64Of(blob: Blob): Promise<string> {
	const bytes = new Uint8Array(await blob.arrayBuffer());
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) {
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	}
	return btoa(binary);
}

export class PhotoUploader {
	private readonly db: LocalDatabase;
	private readonly transport: PhotoTransport;
	private readonly clock: () => Date;
	private readonly random: () => number;
	private readonly backoffBaseMs: number;
	private readonly backoffMaxMs: number;

	/** Consecutive runs that ended offline or failing. */
	private failures = 0;
	private running: Promise<UploadOutcome> | null = null;
	private rerunRequested = false;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private dueAt: number | null = null;
	private started = false;
	private readonly detach: Array<() => void> = [];

	constructor(options: PhotoUploaderOptions) {
		this.db = options.db;
		this.transport = options.transport;
		this.clock = options.clock ?? (() => new Date());
		this.random = options.random ?? Math.random;
		this.backoffBaseMs = options.backoffBaseMs ?? 2_000;
		this.backoffMaxMs = options.backoffMaxMs ?? 300_000;
	}

	/** Uploads now, and again whenever the browser comes online or a backoff ends. */
	start(): void {
		if (this.started) return;
		this.started = true;
		if (typeof window !== 'undefined') {
			const onOnline = () => {
				this.failures = 0;
				this.requestUpload(0);
			};
			window.addEventListener('online', onOnline);
			this.detach.push(() => window.removeEventListener('online', onOnline));
		}
		this.requestUpload(0);
	}

	stop(): void {
		this.started = false;
		for (const undo of this.detach.splice(0)) undo();
		this.clearTimer();
	}

	/** A photo was added or a job reached the server: upload in `delayMs` unless due sooner. */
	requestUpload(delayMs = 0): void {
		if (!this.started) return;
		const due = this.clock().getTime() + delayMs;
		if (this.timer && this.dueAt !== null && this.dueAt <= due) return;
		this.schedule(delayMs);
	}

	/** One run now (or joins the running one, which then runs once more). Never throws. */
	uploadNow(): Promise<UploadOutcome> {
		if (this.running) {
			this.rerunRequested = true;
			return this.running;
		}
		this.clearTimer();
		this.running = (async () => {
			let outcome: UploadOutcome;
			do {
				this.rerunRequested = false;
				outcome = await this.runOnce();
			} while (this.rerunRequested && outcome === 'done');
			return outcome;
		})().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	/** Exponential backoff with "equal jitter": between half and all of base·2^(n-1), capped. */
	backoffDelay(failures: number): number {
		const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (failures - 1));
		return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
	}

	private async runOnce(): Promise<UploadOutcome> {
		let outcome: UploadOutcome = 'done';
		try {
			for (const photo of await this.due()) await this.upload(photo);
		} catch (error) {
			outcome = this.failed(error);
		}
		await this.settle(outcome);
		return outcome;
	}

	/** Pending photos whose job the server has and whose own wait is over, oldest first. */
	private async due(): Promise<PhotoRecord[]> {
		const now = this.clock().getTime();
		const pending = await this.db.photos.where('state').anyOf(PENDING).toArray();
		const onServer = new Set(
			(await this.db.serverJobs.bulkGet([...new Set(pending.map((photo) => photo.jobId))]))
				.filter((job) => job !== undefined)
				.map((job) => job.id)
		);
		return pending
			.filter((photo) => onServer.has(photo.jobId))
			.filter((photo) => !photo.notBefore || photo.notBefore.getTime() <= now)
			.sort((a, b) => a.id.localeCompare(b.id));
	}

	/** Sends one photo; a failure of this photo alone is recorded on it, others propagate. */
	private async upload(photo: PhotoRecord): Promise<void> {
		const file = await this.db.photoFiles.get(photo.id);
		await this.db.photos.update(photo.id, { state: 'uploading' });
		try {
			if (!file) throw new PhotoUploadFailure('refused', 'The full-size file is gone');
			let progress = await this.transport.describe(await this.description(photo));
			progress ??= await this.progressOf(photo.id);
			while (!progress.stored) {
				const offset = progress.receivedBytes;
				if (offset >= photo.byteSize) {
					throw new PhotoUploadFailure('refused', 'The server has every byte but not this file');
				}
				const piece = file.blob.slice(
					offset,
					Math.min(offset + JOB_FILE_CHUNK_BYTES, photo.byteSize)
				);
				progress = await this.transport.sendPiece(photo.id, offset, piece);
				await this.db.photos.update(photo.id, { sentBytes: progress.receivedBytes });
			}
		} catch (error) {
			if (!(error instanceof PhotoUploadFailure)) throw error;
			if (error.kind === 'refused') {
				await this.db.photos.update(photo.id, { state: 'refused', refusal: error.message });
				return;
			}
			if (error.kind === 'jobUnknown') {
				const failures = photo.failures + 1;
				const notBefore = new Date(this.clock().getTime() + this.backoffDelay(failures));
				await this.db.photos.update(photo.id, { state: 'waiting', failures, notBefore });
				return;
			}
			await this.db.photos.update(photo.id, { state: 'waiting' });
			throw error;
		}
		await this.db.transaction('rw', this.db.photos, this.db.photoFiles, async () => {
			await this.db.photos.update(photo.id, {
				state: 'stored',
				sentBytes: photo.byteSize,
				failures: 0,
				notBefore: null
			});
			await this.db.photoFiles.delete(photo.id);
		});
	}

	private async progressOf(id: string): Promise<JobFileProgress> {
		const progress = (await this.transport.progress([id])).find((file) => file.id === id);
		if (!progress) throw new PhotoUploadFailure('jobUnknown', `The server has no file ${id}`);
		return progress;
	}

	private async description(photo: PhotoRecord): Promise<DescribeJobFile> {
		return {
			id: photo.id,
			jobId: photo.jobId,
			kind: photo.kind,
			contentType: photo.contentType,
			byteSize: photo.byteSize,
			sha256: photo.sha256,
			width: photo.width,
			height: photo.height,
			takenAt: photo.takenAt,
			thumbnail: await base64Of(photo.thumbnail)
		};
	}

	private failed(error: unknown): UploadOutcome {
		if (error instanceof PhotoUploadFailure) {
			if (error.kind === 'unauthorized') return 'signedOut';
			if (error.kind === 'offline') return 'offline';
		}
		return 'failed';
	}

	private async settle(outcome: UploadOutcome): Promise<void> {
		if (outcome === 'signedOut') {
			// Retrying cannot help until someone signs in; coming online or a new photo tries again.
			this.failures = 0;
			return;
		}
		if (outcome !== 'done') {
			this.failures += 1;
			this.scheduleIfStarted(this.backoffDelay(this.failures));
			return;
		}
		this.failures = 0;
		// The next photo whose job the server did not know is due at its own time.
		const waits = (await this.db.photos.where('state').anyOf(PENDING).toArray())
			.map((photo) => photo.notBefore?.getTime())
			.filter((time) => time !== undefined);
		if (waits.length > 0) {
			this.scheduleIfStarted(Math.max(0, Math.min(...waits) - this.clock().getTime()));
		}
	}

	private scheduleIfStarted(delayMs: number): void {
		if (this.started) this.schedule(delayMs);
	}

	private schedule(delayMs: number): void {
		this.clearTimer();
		this.dueAt = this.clock().getTime() + delayMs;
		this.timer = setTimeout(() => {
			this.timer = null;
			this.dueAt = null;
			void this.uploadNow();
		}, delayMs);
	}

	private clearTimer(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.dueAt = null;
	}
}
