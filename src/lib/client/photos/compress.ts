/**
 * A photo as the phone keeps and sends it: decoded with its EXIF orientation applied, drawn at
 * most 1600 px on its longest side and encoded as JPEG of about 200 KB (encoding.ts), with a
 * thumbnail of 320 px within the server's 64 KiB. Drawing on a canvas and encoding again keeps
 * the pixels only: EXIF, and with it the place the camera recorded, does not survive.
 */
import { encodeFor, FULL_SIZE, THUMBNAIL, type Encoded } from './encoding';

export interface CompressedPhoto {
	full: Encoded;
	thumbnail: Encoded;
	/** Lower-case hex SHA-256 of the full-size file. */
	sha256: string;
}

type Canvas = OffscreenCanvas | HTMLCanvasElement;

function canvasOf(width: number, height: number): Canvas {
	if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	return canvas;
}

function jpegOf(canvas: Canvas, quality: number): Promise<Blob> {
	if ('convertToBlob' in canvas) return canvas.convertToBlob({ type: 'image/jpeg', quality });
	return new Promise((resolve, reject) =>
		canvas.toBlob(
			(blob) => (blob ? resolve(blob) : reject(new Error('The browser could not encode a JPEG'))),
			'image/jpeg',
			quality
		)
	);
}

function encoderOf(picture: ImageBitmap) {
	return async (width: number, height: number, quality: number) => {
		const canvas = canvasOf(width, height);
		const context = canvas.getContext('2d') as
			OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
		if (!context) throw new Error('The browser has no 2D canvas');
		// JPEG has no transparency: a transparent PNG from the gallery turns white, not black.
		context.fillStyle = '#fff';
		context.fillRect(0, 0, width, height);
		context.imageSmoothingQuality = 'high';
		context.drawImage(picture, 0, 0, width, height);
		return jpegOf(canvas, quality);
	};
}

export async function sha256Hex(blob: Blob): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
	return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Compresses a picked or taken image; throws if the browser cannot decode it. */
export async function compressPhoto(file: Blob): Promise<CompressedPhoto> {
	const picture = await createImageBitmap(file, { imageOrientation: 'from-image' });
	try {
		const encode = encoderOf(picture);
		const full = await encodeFor(FULL_SIZE, picture.width, picture.height, encode);
		const thumbnail = await encodeFor(THUMBNAIL, picture.width, picture.height, encode);
		return { full, thumbnail, sha256: await sha256Hex(full.blob) };
	} finally {
		picture.close();
	}
}
