/** For the files tests: image-like bytes (the signature the sniffing reads, then noise) and descriptions. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { JobFileType } from '../../shared/evidence-domain';
import type { JobFileDescription } from './service';

export const SIGNATURES = {
	'image/jpeg': [0xff, 0xd8, 0xff, 0xe0],
	'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
	'image/webp': [...Buffer.from('RIFF'), 0x10, 0, 0, 0, ...Buffer.from('WEBPVP8 ')]
} as const satisfies Record<JobFileType, readonly number[]>;

/** `size` bytes starting with `type`'s signature (or any given first bytes). */
export function imageBytes(type: JobFileType | readonly number[], size: number): Uint8Array {
	const head = typeof type === 'string' ? SIGNATURES[type] : type;
	const bytes = new Uint8Array(randomBytes(size));
	bytes.set(head.slice(0, size));
	return bytes;
}

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export const base64Of = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** A description of `bytes` on `jobId`, with a small JPEG thumbnail. */
export function describing(
	jobId: string,
	bytes: Uint8Array,
	values: Partial<JobFileDescription> = {}
): JobFileDescription {
	return {
		id: randomUUID(),
		jobId,
		kind: 'before',
		contentType: 'image/jpeg',
		byteSize: bytes.length,
		sha256: sha256Of(bytes),
		width: 1600,
		height: 1200,
		takenAt: new Date('2026-03-02T02:00:00Z'),
		thumbnail: base64Of(imageBytes('image/jpeg', 600)),
		...values
	};
}

/** `bytes` cut into pieces of `size`, each with its offset. */
export function piecesOf(bytes: Uint8Array, size: number): { offset: number; data: Uint8Array }[] {
	const pieces = [];
	for (let offset = 0; offset < bytes.length; offset += size) {
		pieces.push({ offset, data: bytes.subarray(offset, offset + size) });
	}
	return pieces;
}
