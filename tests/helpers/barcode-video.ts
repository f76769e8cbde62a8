/**
 * Videos for Chromium's fake camera (`--use-file-for-fake-video-capture`), made by the tests:
 * a QR code of a given text, black on white, in the middle of every frame. Y4M is the format
 * Chromium reads uncompressed: a header line, then per frame "FRAME\n" and its Y, U and V planes
 * (4:2:0, so each chroma plane is a quarter of the picture).
 */
import { writeFileSync } from 'node:fs';
import { generate } from 'lean-qr';

const WIDTH = 640;
const HEIGHT = 480;
/** One second at 10 frames per second: Chromium plays the file in a loop. */
const FRAMES = 10;
/** Modules of white around the code, as the QR standard asks. */
const QUIET_ZONE = 4;

/** Writes a Y4M video of `text` as a QR code to `path`. */
export function writeQrVideo(path: string, text: string): void {
	const code = generate(text);
	const modules = code.size + 2 * QUIET_ZONE;
	const scale = Math.floor((Math.min(WIDTH, HEIGHT) * 0.8) / modules);
	const left = Math.floor((WIDTH - modules * scale) / 2);
	const top = Math.floor((HEIGHT - modules * scale) / 2);

	const luma = Buffer.alloc(WIDTH * HEIGHT, 235);
	for (let y = 0; y < code.size; y++) {
		for (let x = 0; x < code.size; x++) {
			if (!code.get(x, y)) continue;
			const pixelX = left + (x + QUIET_ZONE) * scale;
			const pixelY = top + (y + QUIET_ZONE) * scale;
			for (let row = pixelY; row < pixelY + scale; row++) {
				luma.fill(16, row * WIDTH + pixelX, row * WIDTH + pixelX + scale);
			}
		}
	}
	// No colour: both chroma planes at their middle value.
	const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
	const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
	const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
	writeFileSync(path, Buffer.concat([header, ...Array.from({ length: FRAMES }, () => frame)]));
}
