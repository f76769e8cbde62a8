/**
 * How compression steps the encoder (encoding.ts) with a stand-in encoder whose output shrinks
 * with quality and size, as JPEG's does. Drawing, orientation and EXIF need a browser's canvas:
 * tests/photos.spec.ts covers them in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { encodeFor, fitWithin, FULL_SIZE, QUALITY_STEPS, THUMBNAIL } from './encoding';

/** A stand-in JPEG encoder: `bytesPerPixel(quality)` bytes for each pixel. */
function encoder(bytesPerPixel: (quality: number) => number) {
	const calls: Array<[number, number, number]> = [];
	const encode = async (width: number, height: number, quality: number) => {
		calls.push([width, height, quality]);
		return new Blob([new Uint8Array(Math.ceil(width * height * bytesPerPixel(quality)))]);
	};
	return { encode, calls };
}

describe('fitting a picture', () => {
	it('brings the longest side to the limit, keeping proportions, and never enlarges', () => {
		expect(fitWithin(4000, 3000, 1600)).toEqual({ width: 1600, height: 1200 });
		expect(fitWithin(3000, 4000, 1600)).toEqual({ width: 1200, height: 1600 });
		expect(fitWithin(800, 600, 1600)).toEqual({ width: 800, height: 600 });
		expect(fitWithin(10_000, 10, 320)).toEqual({ width: 320, height: 1 });
	});
});

describe('encoding a photo', () => {
	it('takes the first quality that is within the aim, at the longest side allowed', async () => {
		// 1600×1200 at 0.1 byte per pixel per quality step: 0.85 → 163 KB, within 200 KB.
		const { encode, calls } = encoder((quality) => quality / 10);
		const encoded = await encodeFor(FULL_SIZE, 4000, 3000, encode);
		expect(encoded).toMatchObject({ width: 1600, height: 1200, quality: 0.85 });
		expect(calls).toHaveLength(1);
	});

	it('steps quality down until the file is about 200 KB', async () => {
		const { encode, calls } = encoder((quality) => quality / 5);
		const encoded = await encodeFor(FULL_SIZE, 4032, 3024, encode);
		expect(encoded.blob.size).toBeLessThanOrEqual(FULL_SIZE.aimBytes);
		expect(encoded.quality).toBe(0.45);
		expect(calls.map(([, , quality]) => quality)).toEqual([0.85, 0.75, 0.65, 0.55, 0.45]);
		expect(calls.every(([width, height]) => width === 1600 && height === 1200)).toBe(true);
	});

	it('keeps a busy picture above the aim at the lowest quality while within the limit', async () => {
		const { encode } = encoder(() => 0.5);
		const encoded = await encodeFor(FULL_SIZE, 1600, 1200, encode);
		expect(encoded).toMatchObject({ width: 1600, height: 1200, quality: QUALITY_STEPS.at(-1) });
		expect(encoded.blob.size).toBe(960_000);
	});

	it('draws a thumbnail smaller when even its lowest quality is over 64 KiB', async () => {
		const { encode } = encoder(() => 1);
		const encoded = await encodeFor(THUMBNAIL, 4000, 3000, encode);
		expect(encoded.blob.size).toBeLessThanOrEqual(64 * 1024);
		expect(encoded.width).toBeLessThan(320);
		expect(encoded.width / encoded.height).toBeCloseTo(4 / 3, 1);
	});
});
