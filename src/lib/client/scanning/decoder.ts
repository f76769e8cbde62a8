/**
 * Reading a barcode or QR code from the camera's preview: the browser's own BarcodeDetector
 * where it has one for these formats (Chrome on Android and macOS), otherwise ZXing compiled to
 * WebAssembly (zxing-decoder.ts), imported only now so that neither weighs on the phone's first
 * load (scripts/size-budget.mjs).
 */

/** The text of the code in the frame the video shows now, or null when it shows none. */
export type FrameDecoder = (video: HTMLVideoElement) => Promise<string | null>;

/** Device serials (QR, Code 128, Code 39, Data Matrix) and part codes (also EAN/UPC). */
export const SCANNED_FORMATS = [
	'qr_code',
	'code_128',
	'code_39',
	'data_matrix',
	'ean_13',
	'ean_8',
	'upc_a'
] as const;

/** The part of the Barcode Detection API used here; TypeScript's DOM types lack it. */
interface BarcodeDetectorApi {
	getSupportedFormats(): Promise<string[]>;
	new (options: { formats: string[] }): {
		detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
	};
}

async function nativeDecoder(): Promise<FrameDecoder | null> {
	const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorApi }).BarcodeDetector;
	if (!Detector) return null;
	const supported = new Set(await Detector.getSupportedFormats());
	// Linux and Windows Chrome have the API but no detector behind it: no formats.
	if (!supported.has('qr_code') || !supported.has('code_128')) return null;
	const detector = new Detector({ formats: SCANNED_FORMATS.filter((f) => supported.has(f)) });
	return async (video) =>
		(await detector.detect(video)).find((code) => code.rawValue)?.rawValue ?? null;
}

export async function loadDecoder(): Promise<FrameDecoder> {
	return (await nativeDecoder()) ?? (await import('./zxing-decoder')).zxingDecoder();
}
