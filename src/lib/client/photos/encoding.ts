/**
 * How big a photo is sent (issue 14: longest side 1600 px, about 200 KB) and how the encoder is
 * stepped to get there: the pure part of compression (compress.ts draws and encodes in the
 * browser), kept apart so it is tested without a canvas.
 */
import { JOB_FILE_MAX_BYTES, JOB_FILE_THUMBNAIL_MAX_BYTES } from '../../shared/evidence-domain';

export interface EncodingTarget {
	/** The longest side in pixels; a smaller picture is never enlarged. */
	longestSide: number;
	/** The size aimed at: quality steps down until the file is this small... */
	aimBytes: number;
	/** ...and a file still above this at the lowest quality is drawn smaller. */
	limitBytes: number;
}

export const FULL_SIZE: EncodingTarget = {
	longestSide: 1600,
	aimBytes: 200 * 1000,
	limitBytes: JOB_FILE_MAX_BYTES
};

export const THUMBNAIL: EncodingTarget = {
	longestSide: 320,
	aimBytes: JOB_FILE_THUMBNAIL_MAX_BYTES,
	limitBytes: JOB_FILE_THUMBNAIL_MAX_BYTES
};

/** JPEG qualities tried in turn; below the last one a photo shows its blocks. */
export const QUALITY_STEPS = [0.85, 0.75, 0.65, 0.55, 0.45, 0.35] as const;
/** Each time the lowest quality is still over the limit, the sides shrink by this. */
const SHRINK = 0.75;

/** The size that fits `width`×`height` within `longestSide`, keeping its proportions. */
export function fitWithin(width: number, height: number, longestSide: number) {
	const scale = Math.min(1, longestSide / Math.max(width, height));
	return {
		width: Math.max(1, Math.round(width * scale)),
		height: Math.max(1, Math.round(height * scale))
	};
}

export interface Encoded {
	blob: Blob;
	width: number;
	height: number;
	quality: number;
}

/**
 * Encodes a `width`×`height` picture for `target`: at the largest allowed size, quality stepping
 * down until the file is within the aim; if even the lowest quality is over the hard limit, the
 * picture is drawn smaller and the steps start again. A file between aim and limit at the
 * lowest quality is kept: that is a busy picture, and its detail is the evidence.
 */
export async function encodeFor(
	target: EncodingTarget,
	width: number,
	height: number,
	encode: (width: number, height: number, quality: number) => Promise<Blob>
): Promise<Encoded> {
	let size = fitWithin(width, height, target.longestSide);
	for (;;) {
		let blob: Blob | null = null;
		for (const quality of QUALITY_STEPS) {
			blob = await encode(size.width, size.height, quality);
			if (blob.size <= target.aimBytes) return { blob, ...size, quality };
		}
		const lowest = QUALITY_STEPS[QUALITY_STEPS.length - 1];
		if (blob && blob.size <= target.limitBytes) return { blob, ...size, quality: lowest };
		if (size.width === 1 && size.height === 1) {
			throw new Error(`A 1×1 JPEG is still ${blob?.size} bytes`);
		}
		size = fitWithin(
			size.width,
			size.height,
			Math.floor(Math.max(size.width, size.height) * SHRINK)
		);
	}
}
