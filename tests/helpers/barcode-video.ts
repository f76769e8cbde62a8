/**
 * Videos for Chromium's fake camera (`--use-file-for-fake-video-capture`), made by the tests:
 * a code of a given text, black on white, in the middle of every frame: a QR code (lean-qr) or
 * a Code 128 barcode, what part and serial labels carry (code128.ts). Y4M is the format
 * Chromium reads uncompressed: a header line, then per frame "FRAME\n" and its Y, U and V planes
 * (4:2:0, so each chroma plane is a quarter of the picture).
 */
import { writeFileSync } from 'node:fs';
import { generate } from 'lean-qr';
import { code128Modules } from './code128';

/** The width the scanner asks the camera for (lib/client/scanning/camera.ts). */
const WIDTH = 1280;
const HEIGHT = 480;
/** One second at 10 frames per second: Chromium plays the file in a loop. */
const FRAMES = 10;
/** Modules of white around a QR code, as the QR standard asks (code128.ts draws its own). */
const QR_QUIET_ZONE = 4;
const WHITE = 235;
const BLACK = 16;

/** A code as a grid of modules, its quiet zone included: `dark(x, y)` for a black module. */
interface Symbol {
	columns: number;
	rows: number;
	dark(x: number, y: number): boolean;
}

function qrSymbol(text: string): Symbol {
	const code = generate(text);
	const size = code.size + 2 * QR_QUIET_ZONE;
	const inCode = (n: number) => n - QR_QUIET_ZONE;
	return {
		columns: size,
		rows: size,
		dark: (x, y) => {
			const [codeX, codeY] = [inCode(x), inCode(y)];
			const inside = codeX >= 0 && codeY >= 0 && codeX < code.size && codeY < code.size;
			return inside && code.get(codeX, codeY);
		}
	};
}

function code128Symbol(text: string): Symbol {
	const modules = code128Modules(text);
	// Bars as tall as a third of their length, like a printed label's.
	return { columns: modules.length, rows: Math.ceil(modules.length / 3), dark: (x) => modules[x] };
}

/** Writes `symbol` to `path` as a Y4M video, as large as fits in 80 % of the frame. */
function writeSymbolVideo(path: string, symbol: Symbol): void {
	const scale = Math.floor(Math.min((WIDTH * 0.8) / symbol.columns, (HEIGHT * 0.8) / symbol.rows));
	if (scale < 2) throw new Error(`A code of ${symbol.columns} modules is too wide to be read.`);
	const left = Math.floor((WIDTH - symbol.columns * scale) / 2);
	const top = Math.floor((HEIGHT - symbol.rows * scale) / 2);

	const luma = Buffer.alloc(WIDTH * HEIGHT, WHITE);
	for (let y = 0; y < symbol.rows; y++) {
		for (let x = 0; x < symbol.columns; x++) {
			if (!symbol.dark(x, y)) continue;
			const pixelX = left + x * scale;
			const pixelY = top + y * scale;
			for (let row = pixelY; row < pixelY + scale; row++) {
				luma.fill(BLACK, row * WIDTH + pixelX, row * WIDTH + pixelX + scale);
			}
		}
	}
	// No colour: both chroma planes at their middle value.
	const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
	const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
	const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
	writeFileSync(path, Buffer.concat([header, ...Array.from({ length: FRAMES }, () => frame)]));
}

/** Writes a Y4M video of `text` as a QR code to `path`. */
export function writeQrVideo(path: string, text: string): void {
	writeSymbolVideo(path, qrSymbol(text));
}

/** Writes a Y4M video of `text` as a Code 128 barcode (code set B) to `path`. */
export function writeCode128Video(path: string, text: string): void {
	writeSymbolVideo(path, code128Symbol(text));
}
