/**
 * ZXing-C++ (zxing-wasm) reading the camera's frames where the browser has no BarcodeDetector.
 * Its WebAssembly comes from this app, never from the library's default CDN: the file is part
 * of the build, precached by the service worker (vite.config.ts), so scanning works offline.
 */
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { FrameDecoder } from './decoder';

const READER_OPTIONS: ReaderOptions = {
	formats: ['QRCode', 'Code128', 'Code39', 'DataMatrix', 'EAN13', 'EAN8', 'UPCA'],
	tryHarder: true,
	maxNumberOfSymbols: 1
};

export async function zxingDecoder(): Promise<FrameDecoder> {
	await prepareZXingModule({
		overrides: {
			locateFile: (file: string, prefix: string) =>
				file.endsWith('.wasm') ? wasmUrl : prefix + file
		},
		fireImmediately: true
	});
	const canvas = document.createElement('canvas');
	const context = canvas.getContext('2d', { willReadFrequently: true });
	if (!context) throw new Error('No 2D canvas to read camera frames from.');
	return async (video) => {
		const { videoWidth: width, videoHeight: height } = video;
		if (width === 0 || height === 0) return null;
		canvas.width = width;
		canvas.height = height;
		context.drawImage(video, 0, 0, width, height);
		const [found] = await readBarcodes(context.getImageData(0, 0, width, height), READER_OPTIONS);
		return found?.isValid ? found.text : null;
	};
}
