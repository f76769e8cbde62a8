/**
 * The photos a technician keeps on the phone: adding one (compressed, then its description,
 * thumbnail and full-size file written in one transaction) and how much of the phone's storage
 * they take.
 */
import { uuidv7 } from '../local/ids';
import type { LocalDatabase } from '../local/db';
import { compressPhoto } from './compress';
import type { PhotoKind, PhotoRecord } from './records';

export async function addPhoto(
	db: LocalDatabase,
	jobId: string,
	kind: PhotoKind,
	image: Blob,
	takenAt = new Date()
): Promise<PhotoRecord> {
	const { full, thumbnail, sha256 } = await compressPhoto(image);
	const photo: PhotoRecord = {
		id: uuidv7(takenAt.getTime()),
		jobId,
		kind,
		contentType: 'image/jpeg',
		byteSize: full.blob.size,
		sha256,
		width: full.width,
		height: full.height,
		takenAt,
		thumbnail: thumbnail.blob,
		state: 'waiting',
		sentBytes: 0,
		failures: 0,
		notBefore: null,
		refusal: null
	};
	await db.transaction('rw', db.photos, db.photoFiles, async () => {
		await db.photos.add(photo);
		await db.photoFiles.add({ id: photo.id, blob: full.blob });
	});
	return photo;
}

/** Bytes the phone holds for photos: every thumbnail, and the full-size files not yet stored. */
export async function photoBytesOnPhone(db: LocalDatabase): Promise<number> {
	let total = 0;
	await db.photos.each((photo) => (total += photo.thumbnail.size));
	await db.photoFiles.each((file) => (total += file.blob.size));
	return total;
}

/** Below this much free space, or above this share used, the phone warns before it is full. */
export const LOW_FREE_BYTES = 50 * 1024 * 1024;
export const HIGH_USED_SHARE = 0.9;

export interface StorageReport {
	photoBytes: number;
	/** What the browser still lets this app store; null when it does not say. */
	freeBytes: number | null;
	nearlyFull: boolean;
}

export function storageReport(
	estimate: { usage?: number; quota?: number } | null,
	photoBytes: number
): StorageReport {
	if (!estimate?.quota || estimate.usage === undefined) {
		return { photoBytes, freeBytes: null, nearlyFull: false };
	}
	const freeBytes = Math.max(0, estimate.quota - estimate.usage);
	return {
		photoBytes,
		freeBytes,
		nearlyFull: freeBytes < LOW_FREE_BYTES || estimate.usage / estimate.quota > HIGH_USED_SHARE
	};
}

/** Megabytes as the phone shows them (one decimal below 10). */
export function megabytes(bytes: number): string {
	const mb = bytes / (1024 * 1024);
	return mb < 10 ? mb.toFixed(1) : String(Math.round(mb));
}
